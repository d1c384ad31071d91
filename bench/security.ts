/**
 * `npm run bench:security` — what TLS and SASL cost on the emulator (issue 17): one emulator with a
 * PLAINTEXT, an SSL, a SASL_PLAINTEXT and a SASL_SSL listener (SCRAM-SHA-512 and PLAIN users), and
 * kafkalab's client on each, interleaved rounds, medians:
 *  - produce: one awaited send of 100 × 1 KiB records (acks=1);
 *  - fetch: 1 MiB of stored records read back by one Fetch;
 *  - logins: a new connection through ApiVersions and the login (TLS handshake, SASL rounds).
 * Client and broker share this process, as in the other in-process benches: the ratios to
 * PLAINTEXT are the result; absolute rates depend on the machine.
 */
import { Connection } from '../src/client/connection.js';
import { Producer } from '../src/client/producer/producer.js';
import type { ClientSecurity } from '../src/client/security.js';
import { startEmulator } from '../src/emulator/index.js';
import { Fetch } from '../src/protocol/messages/01-fetch.js';
import { machineLine, type Result, runScenario } from './harness.js';

const TOPIC = 'bench-security';
const VALUE = Buffer.alloc(1024, 0x61);
const USER = { username: 'alice', password: 'alice-secret' };

const emulator = await startEmulator({
  port: 0,
  topics: [{ name: TOPIC, partitions: 1 }],
  security: {
    listeners:
      'PLAINTEXT://127.0.0.1:0,SSL://127.0.0.1:0,SASL_PLAINTEXT://127.0.0.1:0,SASL_SSL://127.0.0.1:0',
    'sasl.enabled.mechanisms': 'PLAIN,SCRAM-SHA-256,SCRAM-SHA-512',
    'sasl.users': `${USER.username}:${USER.password}`,
  },
});
const ca = emulator.certificates!.ca.cert;
const address = (listener: string) => {
  const e = emulator.endpoints.find((x) => x.listener === listener)!;
  return { host: e.bound.host, port: e.bound.port, bootstrap: `${e.bound.host}:${e.bound.port}` };
};

const listeners: { name: string; listener: string; security?: ClientSecurity }[] = [
  { name: 'PLAINTEXT', listener: 'PLAINTEXT' },
  { name: 'SSL', listener: 'SSL', security: { protocol: 'SSL', tls: { ca } } },
  {
    name: 'SASL_PLAINTEXT (SCRAM-SHA-512)',
    listener: 'SASL_PLAINTEXT',
    security: { sasl: { mechanism: 'SCRAM-SHA-512', ...USER } },
  },
  {
    name: 'SASL_SSL (SCRAM-SHA-512)',
    listener: 'SASL_SSL',
    security: { tls: { ca }, sasl: { mechanism: 'SCRAM-SHA-512', ...USER } },
  },
];

const results: Result[] = [];
const batch = Array.from({ length: 100 }, () => ({ value: VALUE, partition: 0 }));

// Produce.
const producers = listeners.map(
  (l) => new Producer({ bootstrap: address(l.listener).bootstrap, security: l.security, acks: 1 }),
);
results.push(
  ...(await runScenario({
    name: 'produce 100 × 1 KiB, acks=1',
    unitsPerOp: 100 * 1024,
    unit: 'B',
    contenders: listeners.map((l, i) => ({
      name: l.name,
      run: () => producers[i].send({ topic: TOPIC, messages: batch }),
    })),
  })),
);
await Promise.all(producers.map((p) => p.close()));

// Fetch 1 MiB of what is stored.
const fetchers = listeners.map((l) => {
  const a = address(l.listener);
  return new Connection({ host: a.host, port: a.port, security: l.security });
});
await Promise.all(fetchers.map((c) => c.connect()));
const fetchBody = {
  replicaId: -1,
  maxWaitMs: 0,
  minBytes: 1,
  maxBytes: 1024 * 1024,
  isolationLevel: 0,
  topics: [{ topic: TOPIC, partitions: [{ partition: 0, fetchOffset: 0n, partitionMaxBytes: 1024 * 1024 }] }],
};
results.push(
  ...(await runScenario({
    name: 'fetch 1 MiB',
    unitsPerOp: 1024 * 1024,
    unit: 'B',
    contenders: listeners.map((l, i) => ({
      name: l.name,
      run: () => fetchers[i].request(Fetch, fetchBody, { maxVersion: 12 }),
    })),
  })),
);
await Promise.all(fetchers.map((c) => c.close()));

// Logins: connect (TLS handshake, ApiVersions, SASL rounds), then close.
const logins: { name: string; listener: string; security?: ClientSecurity }[] = [
  { name: 'PLAINTEXT (no login)', listener: 'PLAINTEXT' },
  { name: 'SSL handshake', listener: 'SSL', security: { protocol: 'SSL', tls: { ca } } },
  { name: 'SASL PLAIN', listener: 'SASL_PLAINTEXT', security: { sasl: { mechanism: 'PLAIN', ...USER } } },
  {
    name: 'SASL SCRAM-SHA-256',
    listener: 'SASL_PLAINTEXT',
    security: { sasl: { mechanism: 'SCRAM-SHA-256', ...USER } },
  },
  {
    name: 'SASL SCRAM-SHA-512',
    listener: 'SASL_PLAINTEXT',
    security: { sasl: { mechanism: 'SCRAM-SHA-512', ...USER } },
  },
  {
    name: 'SASL_SSL SCRAM-SHA-512',
    listener: 'SASL_SSL',
    security: { tls: { ca }, sasl: { mechanism: 'SCRAM-SHA-512', ...USER } },
  },
];
results.push(
  ...(await runScenario({
    name: 'connection + login',
    unitsPerOp: 1,
    unit: ' logins',
    contenders: logins.map((l) => ({
      name: l.name,
      run: async () => {
        const a = address(l.listener);
        const c = new Connection({ host: a.host, port: a.port, security: l.security });
        await c.connect();
        await c.close();
      },
    })),
  })),
);
await emulator.stop();

/** 1.2 MB/s, 3.4 k logins/s */
function rate(r: Result): string {
  const v = r.unitsPerSec;
  const [n, suffix] =
    v >= 1e9 ? [v / 1e9, 'G'] : v >= 1e6 ? [v / 1e6, 'M'] : v >= 1e3 ? [v / 1e3, 'k'] : [v, ''];
  return `${n.toFixed(n >= 100 ? 0 : n >= 10 ? 1 : 2)} ${suffix}${r.unit.trim()}/s`;
}

console.log(machineLine());
console.log('| scenario | listener | rate | × PLAINTEXT |');
console.log('|---|---|---:|---:|');
for (const scenario of [...new Set(results.map((r) => r.scenario))]) {
  const rows = results.filter((r) => r.scenario === scenario);
  const base = rows[0];
  for (const r of rows)
    console.log(
      `| ${scenario} | ${r.contender} | ${rate(r)} | ${r === base ? '' : `${(r.unitsPerSec / base.unitsPerSec).toFixed(2)}`} |`,
    );
}
