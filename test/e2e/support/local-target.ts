import type { PutEventsResultEntry } from '@aws-sdk/client-eventbridge';
import type { RouterOptions } from '../../../local/cloud/deploy-router';
import { attemptOf, keyOf, REGIONS, RouterHarness } from '../../../local/harness/router-harness';
import { zonesIn } from '../../../stages/lib/deployment-settings';
import type { Delivery, E2eTarget, Item, PublishEntry } from './e2e-target';

const DEFAULT_MAX_EVENT_BYTES = 262_144;

/** The local three-region cloud behind the e2e target interface; `harness` stays open for local-only drills. */
export class LocalTarget implements E2eTarget {
  readonly kind = 'local';
  readonly regions = REGIONS;

  private constructor(
    readonly harness: RouterHarness,
    readonly maxEventBytes: number,
  ) {}

  static async start(router: RouterOptions = {}): Promise<LocalTarget> {
    return new LocalTarget(await RouterHarness.start(router), router.maxEventBytes ?? DEFAULT_MAX_EVENT_BYTES);
  }

  get stage(): string {
    return this.harness.stage;
  }

  publish(region: string, entries: readonly PublishEntry[]): Promise<PutEventsResultEntry[]> {
    return this.harness.publish(region, entries);
  }

  /** Every copy that reached a bus, with its attempt number, from the local EventBridge inspector: a repeat shows up twice. */
  async deliveries(ids: readonly string[]): Promise<Delivery[]> {
    const wanted = new Set(ids);
    return this.harness.delivered().flatMap((event) => {
      const id = keyOf(event);
      return id !== undefined && wanted.has(id)
        ? [{ id, to: `${event.bus}#${event.region}`, attempt: attemptOf(event) }]
        : [];
    });
  }

  async ledger(region: string, ids: readonly string[]): Promise<Item[]> {
    const rows = await this.scanZones(region, 'ledger', 'id', ids);
    return rows.filter((row) => row.kind === 'delivery');
  }

  inbox(region: string, ids: readonly string[]): Promise<Item[]> {
    return this.scanZones(region, 'inbox', 'id', ids);
  }

  async quarantined(region: string, eventIds: readonly string[]): Promise<Item[]> {
    const wanted = new Set(eventIds);
    return (await this.harness.scan(region, this.harness.tables.quarantine)).filter((item) =>
      wanted.has(String(item.eventId)),
    );
  }

  inboxItem(region: string, zone: string, id: string): Promise<Item | undefined> {
    return this.harness.get(region, this.harness.tables.zone(zone, 'inbox'), { id });
  }

  waitFor<T>(
    what: string,
    check: () => Promise<T | undefined | false> | T | undefined | false,
    timeoutMs?: number,
  ): Promise<T> {
    return this.harness.waitFor(what, check, timeoutMs);
  }

  settle(): Promise<void> {
    return this.harness.settle();
  }

  stop(): Promise<void> {
    return this.harness.stop();
  }

  /** Items of these values in every zone table of one kind that exists in `region`. */
  private async scanZones(
    region: string,
    logical: 'inbox' | 'ledger',
    attribute: string,
    values: readonly string[],
  ): Promise<Item[]> {
    const wanted = new Set(values);
    const zones = zonesIn(this.harness.rc.router.config, region);
    const tables = await Promise.all(
      zones.map((zone) => this.harness.scan(region, this.harness.tables.zone(zone, logical))),
    );
    return tables.flat().filter((item) => wanted.has(String(item[attribute])));
  }
}
