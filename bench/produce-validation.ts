/**
 * `npm run bench:validation` — the broker's check of one produced batch (src/emulator/log-validator.ts),
 * in one process: the in-place record walk the Produce handler runs against the path that decodes
 * every record first (the one before it, kept as validateProduceRecordsDecoding). The batches are
 * what franz-go's producer sends under bench/kgo's load — 1 MB of 100-byte records, one raw snappy
 * block (franz-go does not use the xerial framing) — and the same uncompressed and in lz4, plus a
 * small batch of 100 records as kafkalab's producer sends; and the snappy decompression alone, the
 * WebAssembly kernel against the TypeScript loop. Interleaved rounds, median; the ratio is the
 * first contender's rate over the second's.
 */
import {
  type ValidationContext,
  validateProduceRecords,
  validateProduceRecordsDecoding,
} from '../src/emulator/log-validator.js';
import { BATCH_HEADER_SIZE, LOG_OVERHEAD, OFF } from '../src/protocol/records/batch-header.js';
import {
  COMPRESSION_TYPES,
  type CompressionType,
  compress,
  snappyCompress,
} from '../src/protocol/records/compression/index.js';
import {
  snappyDecompress,
  snappyDecompressPortable,
} from '../src/protocol/records/compression/snappy-raw.js';
import { crc32c, encodeRecordBatch } from '../src/protocol/records/index.js';
import { machineLine, renderTable, runScenario, type Scenario } from './harness.js';

const NOW = 1_700_000_000_000;
const CONTEXT: ValidationContext = {
  produceVersion: 11,
  maxMessageBytes: 8 * 1024 * 1024,
  compacted: false,
  logAppendTimeTopic: false,
  now: NOW,
  timestampBeforeMaxMs: 2n ** 63n - 1n,
  // KIP-1030's default: one hour ahead is allowed, so the window is checked on every record.
  timestampAfterMaxMs: 3_600_000n,
};

/** `count` records of `value` bytes ('a', as bench/kgo), no key, as an idempotent producer's batch. */
function batch(count: number, value: number, codec: CompressionType | 'snappy-raw'): Buffer {
  const records = Array.from({ length: count }, (_, i) => ({
    value: Buffer.alloc(value, 0x61),
    timestamp: NOW + (i >> 10),
  }));
  const plain = encodeRecordBatch({ records, producerId: 1n, producerEpoch: 0, baseSequence: 0 });
  if (codec === 'none') return plain;
  const body = plain.subarray(BATCH_HEADER_SIZE);
  const compressed = codec === 'snappy-raw' ? snappyCompress(body) : compress(codec, body);
  const out = Buffer.concat([plain.subarray(0, BATCH_HEADER_SIZE), compressed]);
  out.writeInt32BE(out.length - LOG_OVERHEAD, OFF.batchLength);
  const id = COMPRESSION_TYPES.indexOf(codec === 'snappy-raw' ? 'snappy' : codec);
  out.writeInt16BE((out.readInt16BE(OFF.attributes) & ~7) | id, OFF.attributes);
  out.writeUInt32BE(crc32c(out, OFF.attributes, out.length), OFF.crc);
  return out;
}

function scenario(name: string, count: number, b: Buffer): Scenario {
  for (const v of [validateProduceRecords(b, CONTEXT), validateProduceRecordsDecoding(b, CONTEXT)]) {
    if (!v.ok) throw new Error(`${name}: refused: ${v.message}`);
  }
  return {
    name: `${name} (${(b.length / 1024).toFixed(0)} KiB on the wire)`,
    unitsPerOp: count,
    unit: ' rec',
    contenders: [
      { name: 'kafkalab: in-place walk', run: () => validateProduceRecords(b, CONTEXT) },
      { name: 'decode every record (before)', run: () => validateProduceRecordsDecoding(b, CONTEXT) },
    ],
  };
}

async function main(): Promise<void> {
  console.log(`# bench:validation — ${machineLine()}\n`);
  const scenarios = [
    scenario('7000 × 100 B, snappy (raw block, as franz-go)', 7000, batch(7000, 100, 'snappy-raw')),
    scenario('7000 × 100 B, lz4', 7000, batch(7000, 100, 'lz4')),
    scenario('7000 × 100 B, uncompressed', 7000, batch(7000, 100, 'none')),
    scenario('100 × 100 B, uncompressed', 100, batch(100, 100, 'none')),
  ];
  // The codec alone: the WebAssembly kernel (what snappyDecompress runs for blocks of 4 KiB and
  // more) against the TypeScript loop it falls back to, on the franz-go-like batch's records.
  const plain = batch(7000, 100, 'none').subarray(BATCH_HEADER_SIZE);
  const block = snappyCompress(plain);
  scenarios.push({
    name: `snappy decompress, ${(plain.length / 1024).toFixed(0)} KiB of 100 B records`,
    unitsPerOp: plain.length / 1e6,
    unit: ' MB',
    contenders: [
      { name: 'kafkalab: WebAssembly kernel', run: () => snappyDecompress(block) },
      { name: 'TypeScript loop', run: () => snappyDecompressPortable(block) },
    ],
  });
  const results = [];
  for (const s of scenarios) results.push(...(await runScenario(s, { rounds: 5, ms: 300 })));
  console.log(renderTable(results));
}

await main();
