/** Raised into pending sleeps when the server stops, so retry loops end instead of firing later. */
export class DeliveryStoppedError extends Error {
  constructor() {
    super('The local EventBridge endpoint stopped before this delivery finished.');
    this.name = 'DeliveryStoppedError';
  }
}

/** Sleeps that can all be cancelled at once; stop() leaves no timer holding the process open. */
export class Timers {
  private readonly pending = new Map<NodeJS.Timeout, () => void>();
  private stopped = false;

  sleep(ms: number): Promise<void> {
    if (this.stopped) return Promise.reject(new DeliveryStoppedError());
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => {
          this.pending.delete(timer);
          resolve();
        },
        Math.max(0, ms),
      );
      this.pending.set(timer, () => reject(new DeliveryStoppedError()));
    });
  }

  stop(): void {
    this.stopped = true;
    for (const [timer, cancel] of this.pending) {
      clearTimeout(timer);
      cancel();
    }
    this.pending.clear();
  }
}
