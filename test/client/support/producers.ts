/**
 * Producers for one test file: fast retries (the emulator answers at once, so backoff only slows the
 * tests), each closed by closeAll() in afterAll.
 */
import { Producer, type ProducerConnectOptions } from '../../../src/client/producer/producer.js';

export class TestProducers {
  private readonly made: Producer[] = [];

  constructor(private readonly bootstrap: () => string) {}

  /** A bound function, so a test file can call it as `producer(options)`. */
  readonly make = (options: Partial<ProducerConnectOptions> = {}): Producer => {
    const p = new Producer({
      bootstrap: this.bootstrap(),
      retry: { retries: 5, initialBackoffMs: 10, maxBackoffMs: 50 },
      ...options,
    });
    this.made.push(p);
    return p;
  };

  async closeAll(): Promise<void> {
    for (const p of this.made) await p.close().catch(() => {});
  }
}
