// --command-config: Java's Properties line format, the keys kafkalab's clients act on, and errors that
// name the file and line.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { clientSettings, parseProperties, resolveClient } from '../../src/cli/command-config.js';
import { formatRecord, recordFormat } from '../../src/cli/commands/consume.js';
import { lineReader } from '../../src/cli/commands/produce.js';

describe('parseProperties', () => {
  it('reads = : and blank separators, comments, escapes and continuations', () => {
    const text =
      '# c\n! c\nbootstrap.servers = 127.0.0.1:1\nclient.id:a\\tb\nretries 3\nrequest.timeout.ms=10\\\n   00\n\n';
    const e = parseProperties(text, 'f.properties');
    expect(e.map((x) => [x.key, x.value, x.where])).toEqual([
      ['bootstrap.servers', '127.0.0.1:1', 'f.properties:3'],
      ['client.id', 'a\tb', 'f.properties:4'],
      ['retries', '3', 'f.properties:5'],
      ['request.timeout.ms', '1000', 'f.properties:6'],
    ]);
    expect(clientSettings('admin', e)).toMatchObject({
      bootstrap: '127.0.0.1:1',
      clientId: 'a\tb',
      requestTimeoutMs: 1000,
      retry: { retries: 3 },
    });
  });

  it('refuses an unknown key, a key of another client and a bad value, naming file and line', () => {
    expect(() => clientSettings('admin', parseProperties('x=1\nsasl.mechanism=PLAIN', 'c.p'))).toThrow(
      /c\.p:1: unknown admin property "x"/,
    );
    expect(() => clientSettings('consumer', parseProperties('\nacks=all', 'c.p'))).toThrow(
      /c\.p:2: acks is a producer property/,
    );
    expect(() => clientSettings('producer', parseProperties('acks=2', 'c.p'))).toThrow(
      /c\.p:1: acks must be all, -1, 0 or 1/,
    );
    // SASL without sasl.mechanism is Kafka's GSSAPI, which kafkalab does not speak (test/security).
    expect(() => clientSettings('admin', parseProperties('security.protocol=SASL_SSL', 'c.p'))).toThrow(
      /c\.p:1: sasl\.mechanism=GSSAPI \(Kafka's default\) is not supported/,
    );
  });

  it('--bootstrap-server wins over the file, the flags over the file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cc-'));
    const file = join(dir, 'c.properties');
    writeFileSync(file, 'bootstrap.servers=127.0.0.1:9\nclient.id=file\n');
    expect(resolveClient('admin', { commandConfig: file })).toMatchObject({
      bootstrap: '127.0.0.1:9',
      clientId: 'file',
    });
    expect(resolveClient('admin', { commandConfig: file, bootstrapServer: 'h:1' }).bootstrap).toBe('h:1');
    expect(
      resolveClient('consumer', { commandConfig: file }, [
        { key: 'client.id', value: 'flag', where: '--consumer-property' },
      ]).clientId,
    ).toBe('flag');
    expect(() => resolveClient('admin', { commandConfig: join(dir, 'none') })).toThrow(
      /cannot read --command-config/,
    );
  });
});

describe('console formats', () => {
  const r = {
    topic: 't',
    partition: 0,
    offset: 1n,
    timestamp: 5n,
    key: Buffer.from('k'),
    value: null,
    headers: [
      { key: 'h1', value: Buffer.from('v1') },
      { key: 'h2', value: null },
    ],
  };
  it('DefaultMessageFormatter columns and separators', () => {
    const all = {
      topic: 't',
      property: {
        'print.timestamp': 'true',
        'print.partition': 'true',
        'print.offset': 'true',
        'print.headers': 'true',
        'print.key': 'true',
      },
    };
    expect(formatRecord(r, recordFormat(all))).toBe(
      'CreateTime:5\tPartition:0\tOffset:1\th1:v1,h2:null\tk\tnull\n',
    );
    expect(
      formatRecord(
        r,
        recordFormat({
          topic: 't',
          property: {
            'print.value': 'false',
            'print.key': 'TRUE',
            'line.separator': '##',
            'null.literal': '-',
          },
        }),
      ),
    ).toBe('k##');
    expect(() => recordFormat({ topic: 't', property: { 'print.keys': 'true' } })).toThrow(
      /not a formatter property/,
    );
  });
  it('LineMessageReader: headers, key, null marker, errors', () => {
    const read = lineReader({
      topic: 't',
      property: { 'parse.headers': 'true', 'parse.key': 'true', 'null.marker': 'NULL' },
    });
    expect(read('a:1,b:NULL\tk\tv', 1)).toEqual({
      key: 'k',
      value: 'v',
      headers: [
        { key: 'a', value: '1' },
        { key: 'b', value: null },
      ],
    });
    expect(read('NULL\tNULL\tNULL', 2)).toEqual({ key: null, value: null });
    expect(() => read('a\tk\tv', 3)).toThrow("No header key separator found in pair 'a' on line number 3");
    expect(() => read('a:1 k v', 4)).toThrow(/No headers delimiter found on line number 4/);
  });
});
