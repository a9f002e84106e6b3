import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keyOf, RouterHarness } from '../../local/harness/router-harness';
import { skipSuite } from './support/e2e-target';
import { orderId } from './support/inbox-items';

const LOCAL_TRACE = 'the trace header the local EventBridge inspector records on each PutEvents entry';
const LAMBDA_TRACE_HEADER = /^Root=1-[0-9a-f]{8}-[0-9a-f]{24};Parent=[0-9a-f]{16};Sampled=0$/;

describe.skipIf(skipSuite('trace headers', { localOnly: LOCAL_TRACE }))(
  'X-Ray trace headers through the router',
  () => {
    let harness: RouterHarness;
    const run = `th${Date.now().toString(36)}`;

    beforeAll(async () => {
      harness = await RouterHarness.start();
    }, 120_000);

    afterAll(async () => {
      await harness?.stop();
    });

    /** Publishes one order and returns the ingest invocation's header (from the inbox item) and what the consumer's bus got. */
    const publishAndTrace = async (key: string, traceHeader?: string) => {
      await harness.publish('us-east-1', [
        {
          Source: 'com.switchyard.orders',
          DetailType: 'OrderPlaced',
          Detail: JSON.stringify({ orderId: key, total: 3 }),
          ...(traceHeader ? { TraceHeader: traceHeader } : {}),
        },
      ]);
      const delivered = await harness.waitFor(`${key} delivered`, () =>
        harness.delivered('us-east-1', 'fulfilment').find((e) => keyOf(e) === orderId(key)),
      );
      const item = await harness.get('us-east-1', harness.tables.zone('global', 'inbox'), { id: orderId(key) });
      return { ingest: item?.traceHeader, delivered: delivered.traceHeader };
    };

    it("delivers each event with the trace header of the ingest invocation that stored it (Lambda's own when the producer sent none)", async () => {
      // Act
      const first = await publishAndTrace(`${run}-a`);
      const second = await publishAndTrace(`${run}-b`);
      // Assess
      expect(first.ingest).toMatch(LAMBDA_TRACE_HEADER);
      expect(first.delivered).toBe(first.ingest);
      expect(second.delivered).toBe(second.ingest);
      expect(second.ingest).not.toBe(first.ingest);
    });

    it("carries the producer's trace header from its PutEvents entry through ingest to the consumer's bus", async () => {
      // Prepare
      const producer = 'Root=1-6a1b2c3d-0123456789abcdef01234567;Parent=0123456789abcdef;Sampled=1';
      // Act
      const traced = await publishAndTrace(`${run}-c`, producer);
      // Assess
      expect(traced).toEqual({ ingest: producer, delivered: producer });
    });
  },
);
