import type { PutEventsResultEntry } from '@aws-sdk/client-eventbridge';
import type { RouterOptions } from '../../../local/cloud/deploy-router';
import type { Delivery, E2eTarget, Item, PublishEntry, TableName } from './e2e-target';
import { keyOf, REGIONS, RouterHarness } from '../../../local/harness/router-harness';

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

  /** Every copy that reached a bus, from the local EventBridge inspector: a repeat shows up twice. */
  async deliveries(ids: readonly string[]): Promise<Delivery[]> {
    const wanted = new Set(ids);
    return this.harness.delivered().flatMap((event) => {
      const id = keyOf(event);
      return id !== undefined && wanted.has(id) ? [{ id, to: `${event.bus}#${event.region}` }] : [];
    });
  }

  async ledger(region: string, ids: readonly string[]): Promise<Item[]> {
    return this.scanFor(region, 'ledger', 'id', ids);
  }

  async inbox(region: string, ids: readonly string[]): Promise<Item[]> {
    return this.scanFor(region, 'inbox', 'id', ids);
  }

  async quarantined(region: string, eventIds: readonly string[]): Promise<Item[]> {
    return this.scanFor(region, 'quarantine', 'eventId', eventIds);
  }

  get(region: string, table: TableName, key: Record<string, string>): Promise<Item | undefined> {
    return this.harness.get(region, table, key);
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

  private async scanFor(
    region: string,
    table: TableName,
    attribute: string,
    values: readonly string[],
  ): Promise<Item[]> {
    const wanted = new Set(values);
    return (await this.harness.scan(region, table)).filter((item) => wanted.has(String(item[attribute])));
  }
}
