// KIP-368 from the client's side: the emulator gives every SASL session a lifetime
// (connections.max.reauth.ms) and closes a connection whose session ended at its next request other
// than SaslHandshake, as Kafka's SocketServer does. kafkalab's Connection logs in again on the same
// socket before that (SaslHandshake + SaslAuthenticate, at 85-95% of the lifetime), so a client
// sending bursts of requests across several lifetimes keeps one connection and loses no request.
// The workload runs over real time (the session clock is the broker's wall clock here), paced at
// 40 ms, bounded to 1.5 s.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Connection } from '../../src/client/connection.js';
import { Metadata } from '../../src/protocol/messages/03-metadata.js';
import { type SecureEmulator, startSecureEmulator } from './harness.js';

const LIFETIME_MS = 400;
let e: SecureEmulator;

beforeAll(async () => {
  e = await startSecureEmulator({
    listeners: 'SASL_PLAINTEXT://127.0.0.1:0',
    'sasl.enabled.mechanisms': 'PLAIN,SCRAM-SHA-256',
    'sasl.users': 'alice:alice-secret',
    'connections.max.reauth.ms': String(LIFETIME_MS),
    'connection.failed.authentication.delay.ms': '0',
  });
}, 30_000);

afterAll(async () => {
  await e?.stop();
});

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('KIP-368 re-authentication by the client', () => {
  for (const mechanism of ['PLAIN', 'SCRAM-SHA-256'] as const) {
    it(`${mechanism}: one connection outlives several sessions; every request answered`, async () => {
      const [host, port] = e.bootstrap.split(':');
      const c = new Connection({
        host: host as string,
        port: Number(port),
        clientId: `reauth-${mechanism}`,
        security: { sasl: { mechanism, username: 'alice', password: 'alice-secret' } },
      });
      let handshakes = 0;
      const seen = e.emulator.hooks.observe(17, (x) => {
        if (x.header.clientId === `reauth-${mechanism}`) handshakes++;
      });
      let closedWith: Error | undefined | null = null;
      c.onClose((err) => {
        closedWith = err;
      });
      try {
        await c.connect();
        expect(c.saslSessionLifetimeMs).toBe(BigInt(LIFETIME_MS));
        let answered = 0;
        const end = performance.now() + 1500;
        while (performance.now() < end) {
          // A burst: requests asked for while a re-authentication is due wait for it.
          const burst = await Promise.all(
            [0, 1, 2].map(() => c.request(Metadata, { topics: [], allowAutoTopicCreation: false })),
          );
          answered += burst.length;
          await pause(40);
        }
        expect(closedWith).toBeNull();
        expect(answered).toBeGreaterThan(30);
        // 1.5 s of sessions of 400 ms, renewed at 340-380 ms: at least three re-authentications.
        expect(c.reauthentications).toBeGreaterThanOrEqual(3);
        expect(handshakes).toBe(c.reauthentications + 1);
        expect(e.trace.some((l) => l.includes('expired'))).toBe(false);
      } finally {
        seen.remove();
        await c.close();
      }
    });
  }
});
