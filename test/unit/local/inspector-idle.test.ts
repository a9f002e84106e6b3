import { describe, expect, it } from 'vitest';
import { EventInspector } from '../../../local/eventbridge/inspector';

describe('the local EventBridge inspector: waiting until no delivery is in flight', () => {
  it('waits for work started while it waits, then resolves', async () => {
    // Prepare
    const inspector = new EventInspector();
    const order: string[] = [];
    const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    inspector.track(
      sleep(20).then(() => {
        order.push('first');
        inspector.track(sleep(20).then(() => void order.push('second')));
      }),
    );

    // Act
    await inspector.idle(5_000);

    // Assess
    expect(order).toEqual(['first', 'second']);
  });

  it('fails after its timeout, naming the work still in flight and how many of each', async () => {
    // Prepare: two deliveries that never end
    const inspector = new EventInspector();
    const never = () => new Promise<void>(() => undefined);
    inspector.track(never(), 'delivery eu-west-1/ingress/ingest → ingest');
    inspector.track(never(), 'delivery eu-west-1/ingress/ingest → ingest');

    // Act
    const idle = inspector.idle(50);

    // Assess
    await expect(idle).rejects.toThrow(
      'EventBridge work still in flight after 50 ms: 2 × delivery eu-west-1/ingress/ingest → ingest',
    );
  });
});
