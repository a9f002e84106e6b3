import type { EventPattern } from '../../shared/domain/event-pattern';
import { eventBusArn, ruleArn } from './arns';
import type { BusPolicy } from './bus-policy';
import { alreadyExistsError, busNotFoundError, limitExceededError, ruleNotFoundError, validationError } from './errors';
import type { JsonObject } from './request-fields';

/** A rule target as PutTargets accepted it; `wire` is echoed by ListTargetsByRule. */
export interface Target {
  id: string;
  arn: string;
  input?: string;
  inputPath?: string;
  inputTransformer?: { inputPathsMap: Record<string, string>; inputTemplate: string };
  maximumRetryAttempts: number;
  maximumEventAgeInSeconds: number;
  deadLetterArn?: string;
  wire: JsonObject;
}

export type RuleState = 'ENABLED' | 'DISABLED' | 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS';

/** What PutRule sets; everything it omits becomes unset, as in AWS. */
export interface RuleSpec {
  name: string;
  eventPattern?: string;
  pattern?: EventPattern;
  scheduleExpression?: string;
  state: RuleState;
  description?: string;
  roleArn?: string;
}

export interface Rule extends RuleSpec {
  arn: string;
  region: string;
  busName: string;
  createdAt: Date;
  targets: Map<string, Target>;
}

export interface EventBus {
  name: string;
  arn: string;
  region: string;
  description?: string;
  /** The resource-based policy; without one, every principal of the account may publish. */
  policy?: BusPolicy;
  createdAt: Date;
  lastModifiedAt: Date;
  rules: Map<string, Rule>;
}

/** AWS quotas the local endpoint enforces (classic buses). */
export const QUOTAS = { busesPerRegion: 100, rulesPerBus: 300, targetsPerRule: 5 } as const;

/** Buses, rules and targets of every region; a region gets its `default` bus on first use. */
export class EventBridgeStore {
  private readonly regions = new Map<string, Map<string, EventBus>>();

  constructor(
    readonly accountId: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** The buses of a region, creating the region with its default bus when first seen. */
  buses(region: string): Map<string, EventBus> {
    let buses = this.regions.get(region);
    if (!buses) {
      buses = new Map();
      this.regions.set(region, buses);
      buses.set('default', this.newBus(region, 'default'));
    }
    return buses;
  }

  findBus(region: string, name: string): EventBus | undefined {
    return this.buses(region).get(name);
  }

  /** The bus, or ResourceNotFoundException with AWS's text. */
  getBus(region: string, name: string): EventBus {
    const bus = this.findBus(region, name);
    if (!bus) throw busNotFoundError(name);
    return bus;
  }

  createBus(region: string, name: string, description?: string, policy?: BusPolicy): EventBus {
    const buses = this.buses(region);
    if (buses.has(name)) throw alreadyExistsError(`Event bus ${name} already exists.`);
    if (buses.size >= QUOTAS.busesPerRegion) throw limitExceededError();
    const bus = { ...this.newBus(region, name), description, policy };
    buses.set(name, bus);
    return bus;
  }

  /** Replaces (or, with undefined, removes) the bus's resource-based policy. */
  setPolicy(bus: EventBus, policy: BusPolicy | undefined): void {
    bus.policy = policy;
    bus.lastModifiedAt = this.now();
  }

  /** Deletes a custom bus and its rules; unknown names succeed, as in AWS. */
  deleteBus(region: string, name: string): void {
    if (name === 'default') throw validationError('Cannot delete event bus default.');
    this.buses(region).delete(name);
  }

  listBuses(region: string, prefix = ''): EventBus[] {
    return [...this.buses(region).values()].filter((b) => b.name.startsWith(prefix)).sort(byName);
  }

  /** Creates or replaces a rule; a replaced rule keeps its targets and creation time. */
  putRule(bus: EventBus, spec: RuleSpec): Rule {
    const existing = bus.rules.get(spec.name);
    if (!existing && bus.rules.size >= QUOTAS.rulesPerBus) throw limitExceededError();
    const rule: Rule = {
      ...spec,
      arn: ruleArn(bus.region, this.accountId, bus.name, spec.name),
      region: bus.region,
      busName: bus.name,
      createdAt: existing?.createdAt ?? this.now(),
      targets: existing?.targets ?? new Map(),
    };
    bus.rules.set(spec.name, rule);
    return rule;
  }

  /** The rule, or ResourceNotFoundException with AWS's text. */
  getRule(bus: EventBus, name: string): Rule {
    const rule = bus.rules.get(name);
    if (!rule) throw ruleNotFoundError(name, bus.name);
    return rule;
  }

  listRules(bus: EventBus, prefix = ''): Rule[] {
    return [...bus.rules.values()].filter((r) => r.name.startsWith(prefix)).sort(byName);
  }

  /** Upserts targets by Id, all or nothing, keeping the 5-per-rule quota. */
  putTargets(rule: Rule, targets: readonly Target[]): void {
    const ids = new Set([...rule.targets.keys(), ...targets.map((t) => t.id)]);
    if (ids.size > QUOTAS.targetsPerRule) throw limitExceededError();
    for (const target of targets) rule.targets.set(target.id, target);
  }

  private newBus(region: string, name: string): EventBus {
    const at = this.now();
    return {
      name,
      region,
      arn: eventBusArn(region, this.accountId, name),
      createdAt: at,
      lastModifiedAt: at,
      rules: new Map(),
    };
  }
}

const byName = (a: { name: string }, b: { name: string }): number => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
