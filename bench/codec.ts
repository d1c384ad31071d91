/**
 * npm run bench:codec — kafkalab's codecs side by side with kafkajs 2.2 and @platformatic/kafka, in
 * one process: record-batch encode/decode for three record shapes, a Produce request encode, a Fetch
 * response decode, and CRC-32C throughput. Prints a markdown table (pasted into the README).
 *
 * Versions differ where the peers differ: kafkajs speaks only non-flexible versions (Produce v7,
 * Fetch v11), @platformatic/kafka only flexible ones (Produce v9+, Fetch v12+); kafkalab runs the
 * flexible version (the one a modern broker picks) and, for Fetch, kafkajs' version too.
 */
import { createRequire } from 'node:module';
import * as platformatic from '@platformatic/kafka';
import { crc32c as platformaticWasmCrc32c } from '@platformatic/wasm-utils';
import {
  ALL_APIS,
  apiByKey,
  apiByName,
  codecFor,
  decodeRequestFrame,
  decodeResponseFrame,
  encodeRequestFrame,
  encodeResponseFrame,
  Fetch,
  Heartbeat,
  Produce,
} from '../src/protocol/index.js';
import { crc32cPortable } from '../src/protocol/records/crc32c.js';
import {
  crc32c,
  decodeRecordBatches,
  encodeRecordBatch,
  type RecordInput,
} from '../src/protocol/records/index.js';
import { type Contender, machineLine, renderTable, runScenario, type Scenario } from './harness.js';

const require = createRequire(import.meta.url);
const kjsBatch = require('kafkajs/src/protocol/recordBatch/v0');
const kjsRecord = require('kafkajs/src/protocol/recordBatch/record/v0');
const kjsBatchDecoder = require('kafkajs/src/protocol/recordBatch/v0/decoder');
const KjsDecoder = require('kafkajs/src/protocol/decoder');
const kjsProduceV7 = require('kafkajs/src/protocol/requests/produce/v7/request');
const kjsFetchV11 = require('kafkajs/src/protocol/requests/fetch/v11/response');
const kjsCrc32c = require('kafkajs/src/protocol/recordBatch/crc32C');

interface Shape {
  name: string;
  count: number;
  key: number;
  value: number;
  headers: number;
}

const SHAPES: Shape[] = [
  { name: '1000 × (10 B key, 100 B value)', count: 1000, key: 10, value: 100, headers: 0 },
  { name: '1000 tiny (4 B key, 8 B value, 2 headers)', count: 1000, key: 4, value: 8, headers: 2 },
  { name: '100 × 10 KiB value', count: 100, key: 10, value: 10 * 1024, headers: 0 },
];

const TS = 1_700_000_000_000;

function makeMessages(s: Shape) {
  return Array.from({ length: s.count }, (_, i) => ({
    key: Buffer.alloc(s.key, 97 + (i % 26)),
    value: Buffer.alloc(s.value, 48 + (i % 10)),
    headers: Array.from({ length: s.headers }, (_, h) => ({ key: `h${h}`, value: Buffer.from(`v${i}`) })),
    timestamp: TS + i,
  }));
}

type Messages = ReturnType<typeof makeMessages>;

const ours = {
  encode: (m: Messages) => encodeRecordBatch({ records: m as RecordInput[] }),
};

function kafkajsEncode(m: Messages) {
  const records = m.map((msg, i) =>
    kjsRecord({
      key: msg.key,
      value: msg.value,
      headers: Object.fromEntries(msg.headers.map((h) => [h.key, h.value])),
      offsetDelta: i,
      timestampDelta: msg.timestamp - TS,
    }),
  );
  return kjsBatch
    .RecordBatch({
      records,
      firstTimestamp: TS,
      maxTimestamp: TS + m.length - 1,
      lastOffsetDelta: m.length - 1,
    })
    .then((enc: { buffer: Buffer }) => enc.buffer);
}

function platformaticMessages(m: Messages) {
  return m.map((msg) => ({
    key: msg.key,
    value: msg.value,
    headers: new Map(msg.headers.map((h) => [Buffer.from(h.key), h.value])),
    topic: 't',
    timestamp: BigInt(msg.timestamp),
  }));
}

function platformaticEncode(pm: ReturnType<typeof platformaticMessages>) {
  return platformatic.createRecordsBatch(pm, {}).buffer;
}

function batchScenarios(s: Shape): Scenario[] {
  const m = makeMessages(s);
  const pm = platformaticMessages(m);
  const bytes = ours.encode(m);
  const encode: Scenario = {
    name: `RecordBatch encode, ${s.name}`,
    unitsPerOp: s.count,
    unit: ' records',
    contenders: [
      { name: 'kafkalab', run: () => ours.encode(m) },
      { name: 'kafkajs', run: () => kafkajsEncode(m) },
      { name: '@platformatic/kafka', run: () => platformaticEncode(pm) },
    ],
  };
  const decode: Scenario = {
    name: `RecordBatch decode, ${s.name}`,
    unitsPerOp: s.count,
    unit: ' records',
    contenders: [
      { name: 'kafkalab', run: () => decodeRecordBatches(bytes, { verifyCrc: false }) },
      { name: 'kafkalab (CRC verified)', run: () => decodeRecordBatches(bytes, { verifyCrc: true }) },
      { name: 'kafkajs', run: () => kjsBatchDecoder(new KjsDecoder(bytes)) },
      {
        name: '@platformatic/kafka',
        run: () => platformatic.readRecordsBatch(platformatic.Reader.from(bytes)),
      },
    ],
  };
  return [encode, decode];
}

/** Produce: one topic, 4 partitions, 250 records of 10 B key + 100 B value each. */
function produceScenario(): Scenario {
  const shape = SHAPES[0];
  const perPartition = makeMessages({ ...shape, count: 250 });
  const partitions = [0, 1, 2, 3];
  const pm = partitions.flatMap((p) =>
    platformaticMessages(perPartition).map((x) => ({ ...x, partition: p })),
  );
  const produceV9 = codecFor(Produce.request, 9);
  const oursRun = () =>
    produceV9.encode({
      acks: -1,
      timeoutMs: 30000,
      topicData: [
        {
          name: 'bench',
          partitionData: partitions.map((index) => ({ index, records: ours.encode(perPartition) })),
        },
      ],
    });
  const kjsRun = () =>
    kjsProduceV7({
      acks: -1,
      timeout: 30000,
      compression: 0,
      topicData: [
        {
          topic: 'bench',
          partitions: partitions.map((partition) => ({
            partition,
            firstSequence: 0,
            messages: perPartition.map((msg) => ({
              key: msg.key,
              value: msg.value,
              timestamp: msg.timestamp,
            })),
          })),
        },
      ],
    }).encode();
  const contenders: Contender[] = [
    { name: 'kafkalab (v9)', run: oursRun },
    { name: 'kafkajs (v7)', run: kjsRun },
    {
      name: '@platformatic/kafka (v9)',
      run: () => platformatic.produceV9.createRequest(-1, 30000, pm, {}).buffer,
    },
  ];
  return { name: 'Produce request encode, 4 × 250 records', unitsPerOp: 1000, unit: ' records', contenders };
}

/** Fetch: a response with 4 partitions, each one batch of 250 records, decoded down to records. */
function fetchScenario(): Scenario {
  const batch = ours.encode(makeMessages({ ...SHAPES[0], count: 250 }));
  const body = (version: number) => ({
    responses: [
      {
        topic: 'bench',
        topicId: 'AAAAAAAAAAAAAAAAAAAAAQ',
        partitions: [0, 1, 2, 3].map((partitionIndex) => ({
          partitionIndex,
          highWatermark: 1000n,
          lastStableOffset: 1000n,
          logStartOffset: 0n,
          abortedTransactions: version >= 4 ? [] : null,
          records: batch,
        })),
      },
    ],
  });
  const frame11 = encodeResponseFrame({ api: Fetch, version: 11, correlationId: 1, body: body(11) as never });
  const frame17 = encodeResponseFrame({ api: Fetch, version: 17, correlationId: 1, body: body(17) as never });
  const decodeOurs = (frame: Buffer, version: number) => {
    const res = decodeResponseFrame(frame, Fetch, version).body;
    let n = 0;
    for (const t of res.responses)
      for (const p of t.partitions)
        if (p.records) for (const b of decodeRecordBatches(p.records).batches) n += b.records.length;
    return n;
  };
  // the peers take the body after the size prefix and the response header
  const body11 = frame11.subarray(8);
  const body17 = frame17.subarray(9);
  return {
    name: 'Fetch response decode, 4 × 250 records',
    unitsPerOp: 1000,
    unit: ' records',
    contenders: [
      { name: 'kafkalab (v17)', run: () => decodeOurs(frame17, 17) },
      { name: 'kafkalab (v11)', run: () => decodeOurs(frame11, 11) },
      { name: 'kafkajs (v11)', run: () => kjsFetchV11.decode(body11) },
      {
        name: '@platformatic/kafka (v17)',
        run: () => platformatic.fetchV17.parseResponse(1, 1, 17, platformatic.Reader.from(body17)),
      },
    ],
  };
}

/**
 * What it costs to find an API as the list of declarations grows (issue 12: from 26 APIs to every one
 * Kafka 4.1 defines): a key or a name to its declaration, a cached codec, and a whole small request
 * frame decoded (header, API lookup, version check, body). Per lookup, so the units are lookups.
 */
function lookupScenario(): Scenario {
  const keys = ALL_APIS.map((a) => a.apiKey);
  const names = ALL_APIS.map((a) => a.name);
  const frame = encodeRequestFrame({
    api: Heartbeat,
    version: 4,
    correlationId: 1,
    clientId: 'bench',
    body: { groupId: 'g', generationId: 1, memberId: 'm', groupInstanceId: null },
  });
  const each = (n: number, f: (i: number) => unknown) => () => {
    let x: unknown;
    for (let i = 0; i < n; i++) x = f(i);
    return x;
  };
  return {
    name: `API lookup, ${ALL_APIS.length} APIs declared (per lookup)`,
    unitsPerOp: 100,
    unit: ' lookups',
    contenders: [
      { name: 'kafkalab apiByKey', run: each(100, (i) => apiByKey(keys[i % keys.length])) },
      { name: 'kafkalab apiByName', run: each(100, (i) => apiByName(names[i % names.length])) },
      { name: 'kafkalab codecFor (cached)', run: each(100, () => codecFor(Heartbeat.request, 4)) },
      { name: 'kafkalab Heartbeat v4 request frame decode', run: each(100, () => decodeRequestFrame(frame)) },
    ],
  };
}

function crcScenario(): Scenario {
  const data = Buffer.alloc(1 << 20, 7);
  for (let i = 0; i < data.length; i++) data[i] = (i * 2654435761) >>> 24;
  return {
    name: 'CRC-32C over 1 MiB',
    unitsPerOp: data.length,
    unit: 'B',
    contenders: [
      { name: 'kafkalab', run: () => crc32c(data) },
      { name: 'kafkalab, TypeScript fallback', run: () => crc32cPortable(data) },
      { name: 'kafkajs', run: () => kjsCrc32c(data) },
      // its crc32c export: @node-rs/crc32 (a native addon) when installed, as here, else the next row
      { name: '@platformatic/kafka', run: () => platformatic.crc32c(data) },
      { name: '@platformatic/wasm-utils (its WebAssembly)', run: () => platformaticWasmCrc32c(data) },
    ],
  };
}

async function main() {
  const quick = process.argv.includes('--quick');
  const opts = quick ? { rounds: 1, ms: 50 } : { rounds: 5, ms: 300 };
  const scenarios = [
    ...SHAPES.flatMap(batchScenarios),
    produceScenario(),
    fetchScenario(),
    crcScenario(),
    lookupScenario(),
  ];
  const results = [];
  for (const s of scenarios) {
    process.stderr.write(`· ${s.name}\n`);
    results.push(...(await runScenario(s, opts)));
  }
  process.stdout.write(`${machineLine()}\n\n${renderTable(results)}\n`);
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exitCode = 1;
});
