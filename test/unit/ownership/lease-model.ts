import {
  acceptsAcquire,
  acceptsRenew,
  decideAcquire,
  isValidAt,
  judgeLeaseWrite,
  readCommittedLease,
  leaseFrom,
  type Lease,
  type LeaseSettings,
  type WriteAck,
} from '../../../shared/domain/ownership';
import type { Action } from './lease-scenarios';

/**
 * A simulated quorum store for the lease protocol: regions with a register and a clock each, one
 * contender per region, and a network that delays, reorders or loses every write and every ack.
 * The contenders run the real decision functions and the regions the real conditions.
 */

/** The conditions the regions apply; a test may swap one for a broken variant. */
export interface RegionRules {
  acquire: typeof acceptsAcquire;
  renew: typeof acceptsRenew;
}

export const DOMAIN_RULES: RegionRules = { acquire: acceptsAcquire, renew: acceptsRenew };

type Op = 'acquire' | 'renew';
interface Message {
  round: number;
  from: number;
  region: number;
  op: Op;
  lease: Lease;
  stampedNow: number;
}
interface Round {
  id: number;
  lease: Lease;
  acks: Array<WriteAck<Lease>>;
}
interface Contender {
  /** Leases this contender committed and acts on while one of them is valid on its clock. */
  beliefs: Lease[];
  /** Its last committed lease, which it renews (possibly long after it stopped being valid). */
  last?: Lease;
  round?: Round;
  /** Writes decided but not yet sent. */
  planned?: { op: Op; lease: Lease };
}

/** A broken safety property, with enough of the state to read the counterexample. */
export class ProtocolViolation extends Error {}

/** Runs a scenario, checking after every step that ownership is exclusive and epochs only grow. */
export class LeaseModel {
  realNow = 1_000_000;
  readonly stores: Array<Lease | undefined>;
  readonly up: boolean[];
  readonly offsets: number[];
  readonly contenders: Contender[];
  readonly commits: Lease[] = [];
  private readonly inFlight: Message[] = [];
  private nextRound = 1;

  constructor(
    readonly regionCount: number,
    contenderCount: number,
    offsets: readonly number[],
    readonly settings: LeaseSettings,
    private readonly rules: RegionRules = DOMAIN_RULES,
  ) {
    this.stores = Array.from({ length: regionCount }, () => undefined);
    this.up = Array.from({ length: regionCount }, () => true);
    this.offsets = [...offsets];
    this.contenders = Array.from({ length: contenderCount }, () => ({ beliefs: [] }));
  }

  /** Contender `c` runs in region `c`, on that region's clock. */
  clockOf(c: number): number {
    return this.realNow + (this.offsets[c] ?? 0);
  }

  /** The contenders that act as owner right now. */
  believers(): number[] {
    return this.contenders.flatMap((state, c) =>
      state.beliefs.some((lease) => isValidAt(lease, this.clockOf(c), this.settings.marginMs)) ? [c] : [],
    );
  }

  get pendingWrites(): number {
    return this.inFlight.length;
  }

  run(actions: readonly Action[]): void {
    for (const action of actions) this.step(action);
  }

  step(action: Action): void {
    this.apply(action);
    const believers = this.believers();
    if (believers.length > 1)
      throw new ProtocolViolation(
        `at real time ${this.realNow} contenders ${believers.join(' and ')} both hold the lease: ${this.describe()}`,
      );
    this.checkSettledRead(believers[0]);
  }

  /** A read of every region that comes out settled names the lease its current holder acts on. */
  private checkSettledRead(believer: number | undefined): void {
    const reading = readCommittedLease(this.stores, this.regionCount);
    if (believer === undefined || reading.kind !== 'read' || !reading.settled) return;
    const acting = this.contenders[believer]?.beliefs.filter((lease) =>
      isValidAt(lease, this.clockOf(believer), this.settings.marginMs),
    );
    if (!acting?.some((lease) => lease.holder === reading.lease?.holder && lease.epoch === reading.lease.epoch))
      throw new ProtocolViolation(
        `at real time ${this.realNow} a settled read shows ${JSON.stringify(reading.lease)} while ${name(believer)} holds: ${this.describe()}`,
      );
  }

  private apply(action: Action): void {
    const contender = 'contender' in action ? this.contenders[action.contender] : undefined;
    switch (action.kind) {
      case 'tick':
        this.realNow += action.ms;
        return;
      case 'await-expiry':
        return this.awaitExpiry(action.contender, action.region, action.extraMs);
      case 'acquire':
        return this.acquire(action.contender, action.answering, action.paused);
      case 'send':
        if (contender?.planned) this.send(action.contender, contender.planned.op, contender.planned.lease);
        if (contender) contender.planned = undefined;
        return;
      case 'renew':
        if (contender?.last) this.send(action.contender, 'renew', this.renewal(action.contender, contender.last));
        return;
      case 'deliver':
      case 'drop':
        return this.settle(action.pick, action.kind === 'deliver', action.kind === 'deliver' && action.ackLost);
      case 'deliver-round':
        return this.deliverRound(action.contender, action.regions);
      case 'crash':
        if (contender) this.contenders[action.contender] = { beliefs: [] };
        return;
      case 'store':
        this.up[action.region] = action.up;
        return;
      case 'skew':
        this.offsets[action.region] = action.offset;
        return;
    }
  }

  /** Reads and decides; the writes go out now, or at the contender's next `send` (a pause between read and write). */
  private acquire(c: number, answering: readonly boolean[], paused: boolean): void {
    const contender = this.contenders[c];
    const answers = this.stores.filter((_, r) => answering[r] && this.up[r]);
    const decision = decideAcquire(answers, this.regionCount, name(c), this.clockOf(c), this.settings);
    if (!contender || (decision.kind !== 'write' && decision.kind !== 'renew')) return;
    const planned = {
      op: decision.kind === 'write' ? ('acquire' as const) : ('renew' as const),
      lease: decision.kind === 'write' ? decision.lease : this.renewal(c, decision.lease),
    };
    contender.planned = paused ? planned : undefined;
    if (!paused) this.send(c, planned.op, planned.lease);
  }

  private awaitExpiry(c: number, region: number, extraMs: number): void {
    const wait = (this.stores[region]?.expiresAt ?? 0) + this.settings.marginMs - this.clockOf(c);
    if (wait > 0) this.realNow += wait + extraMs;
  }

  private renewal(c: number, lease: Lease): Lease {
    return leaseFrom(name(c), lease.epoch, this.clockOf(c), this.settings);
  }

  private send(c: number, op: Op, lease: Lease): void {
    const round = {
      id: this.nextRound++,
      lease,
      acks: this.stores.map((): WriteAck<Lease> => ({ kind: 'no-answer' })),
    };
    const contender = this.contenders[c];
    if (!contender) return;
    contender.round = round;
    const stampedNow = this.clockOf(c);
    for (let region = 0; region < this.regionCount; region++)
      this.inFlight.push({ round: round.id, from: c, region, op, lease, stampedNow });
  }

  private settle(pick: number, delivered: boolean, ackLost: boolean): void {
    if (this.inFlight.length === 0) return;
    const [message] = this.inFlight.splice(pick % this.inFlight.length, 1);
    if (!message || !delivered || !this.up[message.region]) return;
    const ack = this.applyAtRegion(message);
    const sender = this.contenders[message.from];
    if (ackLost || !sender?.round || sender.round.id !== message.round) return;
    sender.round.acks[message.region] = ack;
    this.conclude(message.from, sender, sender.round);
  }

  private deliverRound(c: number, regions: readonly boolean[]): void {
    const latest = Math.max(0, ...this.inFlight.filter((m) => m.from === c).map((m) => m.round));
    for (let region = 0; region < this.regionCount; region++) {
      const index = this.inFlight.findIndex((m) => m.round === latest && m.region === region);
      if (index >= 0 && regions[region]) this.settle(index, true, false);
    }
  }

  private applyAtRegion({ region, op, lease, stampedNow }: Message): WriteAck<Lease> {
    const existing = this.stores[region];
    const margin = this.settings.marginMs;
    const accepted =
      op === 'acquire'
        ? this.rules.acquire(existing, lease, stampedNow, margin)
        : this.rules.renew(existing, lease, stampedNow, margin);
    if (!accepted) return { kind: 'refused', existing };
    this.stores[region] = lease;
    return { kind: 'accepted' };
  }

  private conclude(c: number, contender: Contender, round: Round): void {
    const verdict = judgeLeaseWrite(round.lease, round.acks, this.regionCount, this.clockOf(c), this.settings.marginMs);
    if (verdict.kind === 'held') {
      contender.round = undefined;
      contender.beliefs.push(verdict.lease);
      contender.last = verdict.lease;
      this.recordCommit(verdict.lease);
    } else if (verdict.kind === 'too-late') contender.round = undefined;
  }

  /** Epochs only grow, and one epoch never has two holders. */
  private recordCommit(lease: Lease): void {
    const previous = this.commits.at(-1);
    this.commits.push(lease);
    if (!previous) return;
    if (lease.epoch < previous.epoch || (lease.epoch === previous.epoch && lease.holder !== previous.holder))
      throw new ProtocolViolation(
        `at real time ${this.realNow} ${lease.holder} committed epoch ${lease.epoch} after ${previous.holder} committed epoch ${previous.epoch}`,
      );
  }

  private describe(): string {
    return JSON.stringify({
      clocks: this.contenders.map((_, c) => this.clockOf(c)),
      beliefs: this.contenders.map((state) => state.beliefs),
      stores: this.stores,
    });
  }
}

/** The contender name of region `c`. */
export const name = (c: number): string => `r${c}`;
