/**
 * Writes golden-frame tests from Apache Kafka's own serializer, so that fixture bytes are Kafka's and
 * not worked out by hand. For each case (API, request|response, version, value) it fills the value's
 * defaults with our codec, asks the oracle (kafka-clients, newest pin carrying the version) for its
 * bytes, checks they equal ours, and prints a test file whose byte layouts are annotated line by line
 * with the field path, wire type and value our decoder recorded while reading Kafka's bytes.
 *
 *   npx tsx test/oracle/golden-frame.ts <cases.mjs> > test/protocol/messages/NN-name.test.ts
 *
 * cases.mjs default-exports `{ api: 'DeleteRecords', file: '21-delete-records', cases: [{ side,
 * version, title, value }] }` (int64 values as bigint). A disagreement with Kafka stops the tool.
 * A development tool: the tests it writes run without a JVM.
 */
import { pathToFileURL } from 'node:url';
import { formatValue } from '../../src/protocol/explain/format-value.js';
import { leafSpans } from '../../src/protocol/explain/span-tree.js';
import { apiByName } from '../../src/protocol/messages/index.js';
import { SpanRecorder } from '../../src/protocol/primitives/spans.js';
import { codecFor } from '../../src/protocol/schema/codec.js';
import { toKafkaJsonText } from '../../src/protocol/schema/json.js';
import { buildOracle, OracleProcess } from './oracle-process.js';

interface Case {
  side: 'request' | 'response';
  version: number;
  title: string;
  value: Record<string, unknown>;
}

const { default: spec } = (await import(pathToFileURL(process.argv[2]).href)) as {
  default: { api: string; file: string; cases: Case[] };
};
const api = apiByName(spec.api);
if (!api) throw new Error(`no declared API ${spec.api}`);

const pins = buildOracle().sort((a, b) => b.version.localeCompare(a.version, 'en', { numeric: true }));
const oracles = pins.map((p) => new OracleProcess(p.version));

/** A TS literal of a decoded value (bigint as 42n, bytes as Buffer.from(hex)). */
function literal(v: unknown, indent: string): string {
  if (typeof v === 'bigint') return `${v}n`;
  if (v instanceof Uint8Array) return `Buffer.from('${Buffer.from(v).toString('hex')}', 'hex')`;
  if (v === null || typeof v !== 'object') return JSON.stringify(v).replace(/"/g, "'");
  const inner = `${indent}  `;
  if (Array.isArray(v)) {
    if (v.length === 0) return '[]';
    return `[\n${v.map((x) => `${inner}${literal(x, inner)},`).join('\n')}\n${indent}]`;
  }
  const entries = Object.entries(v).filter(([, x]) => x !== undefined);
  if (entries.length === 0) return '{}';
  return `{\n${entries.map(([k, x]) => `${inner}${k}: ${literal(x, inner)},`).join('\n')}\n${indent}}`;
}

const blocks: string[] = [];
for (const c of spec.cases) {
  const message = c.side === 'request' ? api.request : api.response;
  const codec = codecFor(message, c.version);
  const full = codec.decode(codec.encode(c.value as never)) as Record<string, unknown>;
  const ours = codec.encode(full as never).toString('hex');
  let kafka: string | undefined;
  let pin = '';
  for (const o of oracles) {
    const info = await o.info(message.name);
    if (!info || c.version < info.low || c.version > info.high) continue;
    const [a] = await o.send([
      JSON.stringify({ op: 'encode', message: message.name, version: c.version, json: 0 }).replace(
        '"json":0',
        `"json":${toKafkaJsonText(message, c.version, full)}`,
      ),
    ]);
    if (!a.ok) throw new Error(`kafka-clients ${o.pin} refused ${message.name} v${c.version}: ${a.error}`);
    kafka = a.hex;
    pin = o.pin;
    break;
  }
  if (kafka === undefined) throw new Error(`no pin carries ${message.name} v${c.version}`);
  if (kafka !== ours) throw new Error(`${message.name} v${c.version}: ours ${ours}, Kafka's ${kafka}`);
  const bytes = Buffer.from(kafka, 'hex');
  const recorder = new SpanRecorder();
  codec.decode(bytes, { recorder });
  const rows = leafSpans(recorder.spans).map((s) => {
    const hex = bytes.subarray(s.offset, s.offset + s.length).toString('hex');
    const what =
      s.wireType === 'TAG_BUFFER' || String(s.wireType).includes('TAG')
        ? ''
        : ` ${formatValue(s.value, { maxChars: 40 })}`;
    return [hex.replace(/(.{32})/g, '$1 ').trim(), `${s.path || message.name}: ${s.wireType}${what}`];
  });
  const width = Math.max(24, ...rows.map(([h]) => h.length + 2));
  const layout = rows.map(([h, d]) => `      ${h.padEnd(width)}${d.replace(/`/g, "'")}`).join('\n');
  blocks.push(`  it('${message.name} v${c.version}: ${c.title.replace(/'/g, "\\'")}', () => {
    // Bytes written by kafka-clients ${pin}'s ${message.name}Data.
    const bytes = hexLayout(\`
${layout}
    \`);
    const value = ${literal(full, '    ')};
    const codec = codecFor(${spec.api}.${c.side}, ${c.version});
    expect(codec.decode(bytes)).toEqual(value);
    expect(codec.encode(value)).toEqual(bytes);
    expect(codec.encode(codec.decode(bytes))).toEqual(bytes);
  });`);
}
await Promise.all(oracles.map((o) => o.close()));

process.stdout.write(`// Golden frames for ${spec.api} (API key ${api.apiKey}): decode, encode and mirror. The bytes are
// Apache Kafka's (its generated serializer, through the codec oracle: test/oracle/golden-frame.ts);
// the comments beside them are what our decoder reads there.
import { describe, expect, it } from 'vitest';
import { ${spec.api} } from '../../../src/protocol/messages/${spec.file}.js';
import { codecFor } from '../../../src/protocol/schema/codec.js';
import { hexLayout } from './hex-layout.js';

describe('${spec.api} golden frames', () => {
${blocks.join('\n\n')}
});
`);
