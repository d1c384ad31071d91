// `kafkalab decode` through its command function, with files and stdin in memory. The frames are the
// hand-worked fixtures in test/fixtures (their comments derive every byte from the protocol rules).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type CliIO, type DecodeOptions, runDecode } from '../../src/cli/commands/decode.js';
import { parseFrameInput } from '../../src/cli/frame-input.js';
import { encodeRequestFrame } from '../../src/protocol/frame.js';
import { ApiVersions, Metadata, Produce } from '../../src/protocol/messages/index.js';
import { encodeRecordBatch, ensureCodecs } from '../../src/protocol/records/index.js';
import { runCli } from '../support/cli.js';

const fixtures = join(import.meta.dirname, '..', 'fixtures');
const fixture = (name: string) => readFileSync(join(fixtures, name));

async function decode(
  file: string | undefined,
  options: DecodeOptions = {},
  stdin: Buffer = Buffer.alloc(0),
) {
  let out = '';
  let err = '';
  const io: CliIO = {
    readFile: async (path) => {
      if (path.startsWith('mem:')) return stdinFiles[path];
      return readFileSync(join(fixtures, path));
    },
    readStdin: async () => stdin,
    out: (t) => {
      out += t;
    },
    err: (t) => {
      err += t;
    },
  };
  const code = await runDecode(file, options, io);
  return { code, out, err };
}
const stdinFiles: Record<string, Buffer> = {};

describe('frame input', () => {
  it('reads hex text with whitespace, colons, 0x prefixes and comments, or raw bytes', () => {
    expect(parseFrameInput(Buffer.from('00:01:0a ff # comment 12\n// another 34\n0x10'))).toEqual(
      Buffer.from('00010aff10', 'hex'),
    );
    const raw = Buffer.from([0, 0, 0, 1, 0xff]);
    expect(parseFrameInput(raw)).toEqual(raw);
  });

  it('refuses text that is not hex, naming the line and column', () => {
    expect(() => parseFrameInput(Buffer.from('zz 00 12 qq'))).toThrow(
      'not hex at line 1, column 1: "z" is not a hex digit (raw binary input: --raw)',
    );
    expect(() => parseFrameInput(Buffer.from('00 01 # fine\n02 0g 03'), { source: 'f.hex' })).toThrow(
      /^f\.hex: not hex at line 2, column 5: "g" is not a hex digit/,
    );
    expect(() => parseFrameInput(Buffer.from('00 01\n 02 0'))).toThrow(
      "not hex at line 2, column 5: an odd number of hex digits (7): the digit '0' here has no pair",
    );
    // `0x` opens a byte group only; inside one it is a typo.
    expect(() => parseFrameInput(Buffer.from('0a0x10'))).toThrow(/line 1, column 4: "x"/);
  });

  it('takes printable input as raw bytes with --raw', () => {
    expect(parseFrameInput(Buffer.from('abc'), { raw: true })).toEqual(Buffer.from('abc'));
    expect(parseFrameInput(Buffer.from('00 01'), { raw: true })).toEqual(Buffer.from('00 01'));
  });
});

describe('kafkalab decode: input', () => {
  it('refuses a hex typo with exit 1 and the place, not a decode of the letters', async () => {
    const { code, out, err } = await decode('-', {}, Buffer.from('zz 00 12 qq\n'));
    expect(code).toBe(1);
    expect(out).toBe('');
    expect(err).toBe(
      'kafkalab: stdin: not hex at line 1, column 1: "z" is not a hex digit (raw binary input: --raw)\n',
    );
    const odd = await decode('-', {}, Buffer.from('00 00 00 0'));
    expect(odd.err).toMatch(/^kafkalab: stdin: not hex at line 1, column 10: an odd number of hex digits/);
  });

  it('decodes raw bytes given with --raw like the same bytes detected as binary', async () => {
    const raw = parseFrameInput(fixture('metadata-v12-request.hex'));
    const detected = await decode('-', {}, raw);
    const forced = await decode('-', { raw: true }, raw);
    expect(forced.code).toBe(0);
    expect(forced.out).toBe(detected.out);
  });
});

describe('kafkalab decode: requests', () => {
  it('explains the Metadata v12 request fixture field by field', async () => {
    const { code, out, err } = await decode('metadata-v12-request.hex');
    expect(err).toBe('');
    expect(code).toBe(0);
    const lines = out.split('\n');
    expect(lines[0]).toBe('Metadata request v12 (API key 3), 69 bytes');
    // Offsets and values as worked out in the fixture's comments.
    expect(out).toMatch(
      /\n0x0017 {2}03 +UNSIGNED_VARINT +topics\.<count> +2 +compact array: 3 = 2 elements \+ 1\n/,
    );
    expect(out).toMatch(
      /\n0x0028 {2}07 6f 72 64 65 72 73 +COMPACT_NULLABLE_STRING +topics\[0\]\.name +"orders"/,
    );
    expect(out).toMatch(/\n0x0040 {2}00 +COMPACT_NULLABLE_STRING +topics\[1\]\.name +null/);
    expect(out).toMatch(/\n0x0043 {2}01 +BOOLEAN +includeTopicAuthorizedOperations +true\n/);
    // One line per leaf: size, 5 header parts, count, 3 + 3 topic parts, 2 booleans, body tags.
    expect(lines.filter((l) => l.startsWith('0x'))).toHaveLength(16);
  });

  it('reads the frame from stdin when no file is given, as raw bytes too', async () => {
    const raw = parseFrameInput(fixture('metadata-v12-request.hex'));
    const { code, out } = await decode(undefined, { format: 'tree' }, raw);
    expect(code).toBe(0);
    expect(out).toContain('header  STRUCT 0x0004..0x0017 (19 bytes)  request header v2');
    expect(out).toContain('body  STRUCT 0x0017..0x0045 (46 bytes)  MetadataRequest v12');
  });

  it('decodes bytes without the size prefix with --no-size', async () => {
    const raw = parseFrameInput(fixture('metadata-v12-request.hex')).subarray(4);
    const { code, out } = await decode('-', { size: false }, raw);
    expect(code).toBe(0);
    expect(out).toMatch(/\n0x0000 {2}00 03 +INT16 +header\.requestApiKey +3\n/);
  });

  it('puts carets under a field with --field', async () => {
    const { code, out } = await decode('metadata-v12-request.hex', {
      format: 'hex',
      field: 'topics[0].name',
    });
    expect(code).toBe(0);
    const lines = out.split('\n');
    const row = lines.findIndex((l) => l.startsWith('0x0020'));
    // 0x28..0x2e are bytes 8..14 of the 0x20 line: after the middle gap.
    expect(lines[row + 1]).toBe(`${' '.repeat(8)}${' '.repeat(24)} ${'^^ '.repeat(7).trimEnd()}`);
    expect(out).toContain('^ 0x0028+7  topics[0].name (COMPACT_NULLABLE_STRING) = "orders"');
  });

  it('prints Kafka JSON with camelCase names', async () => {
    const { code, out } = await decode('metadata-v12-request.hex', { format: 'json' });
    expect(code).toBe(0);
    const json = JSON.parse(out);
    expect(json).toMatchObject({
      api: 'Metadata',
      apiKey: 3,
      direction: 'request',
      version: 12,
      headerVersion: 2,
    });
    expect(json.header).toEqual({
      requestApiKey: 3,
      requestApiVersion: 12,
      correlationId: 1,
      clientId: 'kafkalab',
    });
    expect(json.body).toEqual({
      topics: [
        { topicId: 'AAAAAAAAAAAAAAAAAAAAAA', name: 'orders' },
        { topicId: Buffer.from('0102030405060708090a0b0c0d0e0f10', 'hex').toString('base64url'), name: null },
      ],
      allowAutoTopicCreation: false,
      includeTopicAuthorizedOperations: true,
    });
  });

  it('pins a corrupted frame to the byte: one error line, a hex dump with a caret, exit 1', async () => {
    const { code, out, err } = await decode('metadata-v12-request-corrupt.hex');
    expect(code).toBe(1);
    expect(out).toBe('');
    const lines = err.split('\n');
    // 0x7f at 0x28 claims 126 bytes; 69 - 0x29 = 28 remain.
    expect(lines[0]).toBe(
      'kafkalab: DecodeError: string length 126 exceeds the 28 bytes left at 0x28 (topics[0].name)',
    );
    const row = lines.findIndex((l) => l.startsWith('0x0020'));
    expect(lines[row + 1]).toBe(`${' '.repeat(8)}${' '.repeat(24)} ^^`);
    expect(err).not.toMatch(/\bat .*\.(ts|js):\d+/); // no stack trace
  });

  it('reports a frame cut short at the size field', async () => {
    const { code, err } = await decode('-', {}, Buffer.from('00 00 00', 'latin1'));
    expect(code).toBe(1);
    expect(err.split('\n')[0]).toBe('kafkalab: DecodeError: need 4 bytes, have 3 at 0x0');
  });
});

describe('kafkalab decode: responses', () => {
  it('needs --api/--version or --request', async () => {
    const { code, err } = await decode('api-versions-v4-response.hex', { api: 'ApiVersions' });
    expect(code).toBe(1);
    expect(err).toBe(
      'kafkalab: a response does not name its API: give --api NAME --version N, or --request FILE\n',
    );
  });

  it('explains the ApiVersions v4 response fixture with --api/--version (header v0, tagged fields)', async () => {
    const { code, out } = await decode('api-versions-v4-response.hex', {
      api: 'ApiVersions',
      version: '4',
      format: 'tree',
    });
    expect(code).toBe(0);
    expect(out).toContain(
      'header  STRUCT 0x0004..0x0008 (4 bytes)  response header v0: ApiVersions always (KIP-511)',
    );
    expect(out).toMatch(/<tag 0>: tag=0 size=23 .*supportedFeatures/);
    expect(out).toMatch(/ {8}name: "metadata.version" {2}\(COMPACT_STRING @0x0028\+17\)/);
    expect(out).toMatch(/finalizedFeaturesEpoch: 42 {2}\(INT64 @0x0040\+8\)/);
  });

  it('takes API and version from --request and prints exact int64 in JSON', async () => {
    const { code, out } = await decode('api-versions-v4-response.hex', {
      request: 'api-versions-v4-request.hex',
      format: 'json',
    });
    expect(code).toBe(0);
    expect(out).toContain('"finalizedFeaturesEpoch": 42');
    const json = JSON.parse(out);
    expect(json.body.apiKeys).toEqual([
      { apiKey: 3, minVersion: 0, maxVersion: 12 },
      { apiKey: 12, minVersion: 0, maxVersion: 4 },
      { apiKey: 18, minVersion: 0, maxVersion: 4 },
    ]);
    expect(json.body.supportedFeatures).toEqual([
      { name: 'metadata.version', minVersion: 1, maxVersion: 25 },
    ]);
  });

  it('refuses a response whose correlation id is not the request’s', async () => {
    const response = parseFrameInput(fixture('api-versions-v4-response.hex'));
    response.writeInt32BE(2, 4);
    stdinFiles['mem:request'] = fixture('api-versions-v4-request.hex');
    const { code, err } = await decode('-', { request: 'mem:request' }, response);
    expect(code).toBe(1);
    expect(err).toBe('kafkalab: correlation id 2 of the response does not match 1 of the request\n');
  });

  it('names unknown APIs, versions and fields', async () => {
    expect((await decode('api-versions-v4-response.hex', { api: 'Nope', version: '1' })).err).toBe(
      "kafkalab: unknown API 'Nope'\n",
    );
    expect((await decode('api-versions-v4-response.hex', { api: '18', version: '9' })).err).toBe(
      'kafkalab: ApiVersions has no version 9 (valid: 0-4)\n',
    );
    const field = await decode('metadata-v12-request.hex', { field: 'topics[7].name' });
    expect(field.code).toBe(1);
    expect(field.err).toMatch(
      /^kafkalab: no field 'topics\[7\]\.name' in this frame; fields include: topics\[0\]\.name/,
    );
  });

  it('reports a response decoded at the wrong version with the failing byte', async () => {
    // The v4 body read as v2 (classic): apiKeys' int32 count is bytes 0x0a..0x0d, 04 00 03 00 =
    // 67109632 entries of at least 6 bytes (three int16), and 72 - 0x0e = 58 bytes remain.
    const { code, err } = await decode('api-versions-v4-response.hex', { api: 'ApiVersions', version: '2' });
    expect(code).toBe(1);
    expect(err.split('\n')[0]).toBe(
      'kafkalab: DecodeError: array count 67109632 needs at least 402657792 bytes, have 58 at 0xa (apiKeys)',
    );
  });
});

describe('kafkalab decode --trace: --frame with filters', () => {
  // #1 ApiVersions, #2 Metadata (corr 2), #3 ApiVersions, #4 Metadata (corr 4): one connection.
  const line = (n: number, api: typeof ApiVersions | typeof Metadata, version: number) => {
    const request =
      api === Metadata
        ? encodeRequestFrame({
            api: Metadata,
            version,
            correlationId: n,
            clientId: 'c',
            body: { topics: [{ name: `t${n}` }], allowAutoTopicCreation: false },
          })
        : encodeRequestFrame({ api: ApiVersions, version, correlationId: n, clientId: 'c', body: {} });
    return JSON.stringify({
      connection: 1,
      apiKey: api.apiKey,
      version,
      correlationId: n,
      receivedAt: new Date(1_700_000_000_000 + n).toISOString(),
      request: { hex: request.toString('hex') },
    });
  };
  stdinFiles['mem:trace'] = Buffer.from(
    [line(1, ApiVersions, 3), line(2, Metadata, 12), line(3, ApiVersions, 3), line(4, Metadata, 12)].join(
      '\n',
    ),
  );

  it('counts --frame within what the filters keep', async () => {
    const first = await decode(undefined, { trace: 'mem:trace', api: 'Metadata', frame: '1' });
    expect(first.err).toBe('');
    expect(first.code).toBe(0);
    expect(first.out).toMatch(/^exchange 1 of the 2 the filters keep:\n#2 .* Metadata v12 corr=2 /);
    expect(first.out).toContain('"t2"');
    const second = await decode(undefined, { trace: 'mem:trace', api: 'Metadata', frame: '2' });
    expect(second.out).toMatch(/\n#4 .* Metadata v12 corr=4 /);
    expect(second.out).toContain('"t4"');
    const none = await decode(undefined, { trace: 'mem:trace', api: 'Metadata', frame: '3' });
    expect(none.code).toBe(1);
    expect(none.err).toBe(
      'kafkalab: no exchange 3 among the 2 the filters keep (--frame counts within them; the file holds 4)\n',
    );
  });

  it('without filters, --frame N is #N of the file', async () => {
    const r = await decode(undefined, { trace: 'mem:trace', frame: '3' });
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^#3 .* ApiVersions v3 corr=3 /);
  });
});

describe('kafkalab decode --format json: records', () => {
  const produce = () =>
    encodeRequestFrame({
      api: Produce,
      version: 9,
      correlationId: 3,
      clientId: 'c',
      body: {
        transactionalId: null,
        acks: 1,
        timeoutMs: 1000,
        topicData: [
          {
            name: 't',
            partitionData: [
              {
                index: 0,
                records: encodeRecordBatch({
                  records: [{ key: 'k', value: 'v1', headers: [{ key: 'h', value: 'x' }] }],
                }),
              },
            ],
          },
        ],
      },
    });

  it('shows keys, values and headers of a Produce request beside the base64 field', async () => {
    const { code, out } = await decode('-', { format: 'json' }, produce());
    expect(code).toBe(0);
    const p = JSON.parse(out).body.topicData[0].partitionData[0];
    expect(typeof p.records).toBe('string');
    expect(p.recordsDecoded.batches[0].crcValid).toBe(true);
    expect(p.recordsDecoded.batches[0].records[0]).toMatchObject({
      key: 'k',
      value: 'v1',
      headers: [{ key: 'h', value: 'x' }],
    });
  });

  it('names a flipped byte inside the batch as the listing does', async () => {
    const frame = produce();
    frame[frame.indexOf(Buffer.from('v1')) + 1] ^= 0x02; // 'v1' → 'v3'
    const listing = await decode('-', {}, frame);
    const note = /not record batches: (CRC-32C mismatch.*)$/m.exec(listing.out)![1];
    const { code, out } = await decode('-', { format: 'json' }, frame);
    expect(code).toBe(0);
    const decoded = JSON.parse(out).body.topicData[0].partitionData[0].recordsDecoded;
    expect(decoded.error).toBe(`not record batches: ${note}`);
    expect(decoded.batches[0]).toMatchObject({ crcValid: false, error: note });
    expect(decoded.batches[0].records[0].value).toBe('v3');
  });
});

describe('kafkalab decode (built bin): a zstd batch', () => {
  // zstd's codec is WebAssembly that loads asynchronously; a fresh process must load it before it
  // explains the batch (it used to fail with "zstd codec is not ready").
  it('is explained in the listing and in JSON', async () => {
    await ensureCodecs();
    const frame = encodeRequestFrame({
      api: Produce,
      version: 9,
      correlationId: 1,
      clientId: 'c',
      body: {
        transactionalId: null,
        acks: 1,
        timeoutMs: 1000,
        topicData: [
          {
            name: 't',
            partitionData: [
              {
                index: 0,
                records: encodeRecordBatch({
                  compression: 'zstd',
                  records: [{ key: 'k', value: 'zstd value' }],
                }),
              },
            ],
          },
        ],
      },
    });
    const dir = mkdtempSync(join(tmpdir(), 'kafkalab-decode-'));
    const file = join(dir, 'zstd.hex');
    writeFileSync(file, frame.toString('hex'));
    try {
      const listing = await runCli(['decode', file]);
      expect(listing.stderr).toBe('');
      expect(listing.code).toBe(0);
      // The listing shows the compressed block (records inside it have no frame offsets)…
      expect(listing.stdout).toMatch(/compressed with zstd: \d+ → \d+ bytes/);
      // …JSON shows the records themselves.
      const json = await runCli(['decode', file, '--format', 'json']);
      expect(json.code).toBe(0);
      const p = JSON.parse(json.stdout).body.topicData[0].partitionData[0];
      expect(p.recordsDecoded.batches[0].attributes.compression).toBe('zstd');
      expect(p.recordsDecoded.batches[0].records[0].value).toBe('zstd value');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
