// The renderers over hand-made frames: every byte below is worked out from the protocol rules
// (request header v1 = apiKey, apiVersion, correlationId, int16-length clientId; classic STRING =
// int16 length + UTF-8), not taken from our own encoder.
import { describe, expect, it } from 'vitest';
import { DecodeError } from '../../../src/protocol/errors.js';
import {
  explainRequest,
  explainResponse,
  formatBytes,
  formatValue,
  renderHexDump,
} from '../../../src/protocol/explain/index.js';
import { Heartbeat } from '../../../src/protocol/messages/index.js';

// Heartbeat v3 request (groupInstanceId NULLABLE_STRING null), header v1.
const heartbeatV3 = Buffer.from(
  [
    '00 00 00 18', // size 24 = 11 header bytes + 13 body bytes
    '00 0c', // requestApiKey 12 (Heartbeat)
    '00 03', // requestApiVersion 3
    '00 00 00 2a', // correlationId 42
    '00 01 63', // clientId "c"
    '00 02 67 31', // groupId "g1"
    '00 00 00 05', // generationId 5
    '00 01 6d', // memberId "m"
    'ff ff', // groupInstanceId null (length -1)
  ]
    .join(' ')
    .replace(/ /g, ''),
  'hex',
);

// Heartbeat v4 response, header v1 (flexible): correlationId, TAG_BUFFER; body throttleTimeMs,
// errorCode 27 REBALANCE_IN_PROGRESS, TAG_BUFFER with one unknown tag 5 of 2 bytes.
const heartbeatV4Response = Buffer.from(
  '00000010' + '00000007' + '00' + '00000064' + '001b' + '01' + '0502abcd',
  'hex',
);

describe('explainRequest', () => {
  const e = explainRequest(heartbeatV3);

  it('decodes and names API and version from the header', () => {
    expect(e.api).toBe(Heartbeat);
    expect(e.version).toBe(3);
    expect(e.decoded.body).toEqual({ groupId: 'g1', generationId: 5, memberId: 'm', groupInstanceId: null });
  });

  it('lists one aligned line per field in byte order', () => {
    const lines = e.listing().split('\n');
    expect(lines[0]).toMatch(/^offset\s+bytes\s+type\s+path\s+value\s+note$/);
    const rows = lines.slice(1).map((l) => l.split(/\s{2,}/));
    expect(rows.map((r) => r[0])).toEqual([
      '0x0000',
      '0x0004',
      '0x0006',
      '0x0008',
      '0x000c',
      '0x000f',
      '0x0013',
      '0x0017',
      '0x001a',
    ]);
    expect(rows[4]).toEqual([
      '0x000c',
      '00 01 63',
      'NULLABLE_STRING',
      'header.clientId',
      '"c"',
      'int16 length 1',
    ]);
    expect(rows[5]).toEqual(['0x000f', '00 02 67 31', 'STRING', 'groupId', '"g1"', 'int16 length 2']);
    expect(rows[8]).toEqual([
      '0x001a',
      'ff ff',
      'NULLABLE_STRING',
      'groupInstanceId',
      'null',
      'length -1 = null',
    ]);
    // Columns line up: every row's path column starts where the header's does.
    const pathColumn = lines[0].indexOf('path');
    for (const l of lines.slice(1)) expect(l[pathColumn - 1]).toBe(' ');
    expect(lines[6].slice(pathColumn).startsWith('groupId')).toBe(true);
  });

  it('draws a tree with containers as headings and byte ranges', () => {
    const tree = e.tree().split('\n');
    expect(tree[0]).toMatch(/^size: 24 /);
    expect(tree[1]).toBe('header  STRUCT 0x0004..0x000f (11 bytes)  request header v1');
    expect(tree[2]).toMatch(/^ {2}requestApiKey: 12 {2}\(INT16 @0x0004\+2\)$/);
    expect(tree[6]).toBe('body  STRUCT 0x000f..0x001c (13 bytes)  HeartbeatRequest v3');
    expect(tree[7]).toMatch(/^ {2}groupId: "g1"/);
  });

  it('puts carets under exactly the bytes of a chosen field', () => {
    const dump = e.hexDump('memberId').split('\n');
    // memberId is bytes 0x17..0x19: line 0x0010, columns 7, 8, 9 of that line.
    expect(dump[0]).toBe('0x0000  00 00 00 18 00 0c 00 03  00 00 00 2a 00 01 63 00  |...........*..c.|');
    expect(dump[1]).toBe('0x0010  02 67 31 00 00 00 05 00  01 6d ff ff              |.g1......m..|');
    const hexStart = '0x0010  '.length;
    const caretLine = dump[2];
    const caretCols = [...caretLine].flatMap((ch, i) => (ch === '^' ? [i] : []));
    // Byte k of a line starts at hexStart + 3k (+1 after the middle gap).
    const col = (k: number) => hexStart + 3 * k + (k >= 8 ? 1 : 0);
    expect(caretCols).toEqual([col(7), col(7) + 1, col(8), col(8) + 1, col(9), col(9) + 1]);
    expect(dump[3]).toBe('^ 0x0017+3  memberId (STRING) = "m"  int16 length 1');
  });

  it('names the known fields when a --field path does not exist', () => {
    expect(() => e.hexDump('memberID.nope')).toThrow(/no field 'memberID.nope'/);
  });

  it('throws a DecodeError naming offset and path for a truncated frame', () => {
    const cut = Buffer.from(heartbeatV3.subarray(0, 0x15));
    cut.writeInt32BE(cut.length - 4, 0);
    expect(() => explainRequest(cut)).toThrow(DecodeError);
    try {
      explainRequest(cut);
    } catch (err) {
      expect((err as DecodeError).offset).toBe(0x13);
      expect((err as DecodeError).path).toBe('generationId');
    }
  });

  it('accepts bytes without the size prefix', () => {
    const e2 = explainRequest(heartbeatV3.subarray(4), { sizePrefixed: false });
    expect(e2.decoded.body.memberId).toBe('m');
    expect(e2.spans.find((s) => s.path === 'memberId')?.offset).toBe(0x13);
  });
});

describe('explainResponse', () => {
  const e = explainResponse(heartbeatV4Response, Heartbeat, 4);

  it('explains header v1, the body and an unknown tagged field', () => {
    expect(e.decoded.body.errorCode).toBe(27);
    const listing = e.listing();
    expect(listing).toMatch(
      /0x0008 {2}00 +UNSIGNED_VARINT +header.<tags> +0 +tag buffer: 0 = no tagged fields/,
    );
    expect(listing).toMatch(/0x0010 {2}05 02 +TAGGED_FIELD .*tag 5 \(unknown, kept verbatim\), 2 bytes/);
    expect(listing).toMatch(/0x0012 {2}ab cd +RAW .*0xabcd \(2 B\)/);
    expect(e.tree()).toContain('<tag 5>: tag=5 size=2');
  });
});

describe('value formatting', () => {
  it('prints int64 exactly, strings quoted, null, bytes as text or hex', () => {
    expect(formatValue(9007199254740993n)).toBe('9007199254740993');
    expect(formatValue(-(2n ** 63n))).toBe('-9223372036854775808');
    expect(formatValue(null)).toBe('null');
    expect(formatValue('a"b')).toBe('"a\\"b"');
    expect(formatBytes(Buffer.from('hello'))).toBe('"hello" (5 B)');
    expect(formatBytes(Buffer.from([0, 1, 0xff]))).toBe('0x0001ff (3 B)');
    expect(formatBytes(Buffer.alloc(0))).toBe('<0 bytes>');
    expect(formatValue(Buffer.alloc(100, 1))).toMatch(/^0x(01){18}… \(100 B\)$/);
    expect(formatValue('x'.repeat(100))).toHaveLength(48);
    expect(formatValue([1, 2])).toBe('[2 items]');
  });
});

describe('renderHexDump', () => {
  it('marks the position just past the end when a read ran out of bytes', () => {
    const dump = renderHexDump(Buffer.from('00010203', 'hex'), {
      offset: 4,
      length: 0,
      label: 'need 4 bytes, have 0',
    });
    const lines = dump.split('\n');
    expect(lines[0].startsWith('0x0000  00 01 02 03  ')).toBe(true);
    // The ASCII column stays where a full line puts it: offset, two spaces, 16 × 3 - 1 + 1, two spaces.
    expect(lines[0].indexOf('|....|')).toBe(8 + 48 + 2);
    expect(lines[1].indexOf('^^')).toBe('0x0000  '.length + 12);
    expect(lines[2]).toBe('^ 0x0004 (end of input)  need 4 bytes, have 0');
  });

  it('covers 16 bytes per line and an ASCII column', () => {
    const dump = renderHexDump(Buffer.from('0123456789abcdefXY'));
    expect(dump.split('\n')).toEqual([
      '0x0000  30 31 32 33 34 35 36 37  38 39 61 62 63 64 65 66  |0123456789abcdef|',
      '0x0010  58 59                                             |XY|',
    ]);
  });
});
