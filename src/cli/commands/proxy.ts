/**
 * `kafkalab proxy --upstream HOST:PORT`: a decoding TCP proxy in front of any broker. Only option
 * parsing and output here; the proxy lives in src/proxy.
 */
import { createWriteStream } from 'node:fs';
import { Command, InvalidArgumentError } from 'commander';
import type { ClientSecurity } from '../../client/security.js';
import { parseHostPort, startProxy } from '../../proxy/index.js';
import { readCommandConfig } from '../command-config.js';
import { UsageError } from '../errors.js';
import { clientSecurity, SECURITY_KEYS, type SecurityEntries } from '../security-config.js';

interface ProxyCliOptions {
  upstream: string;
  host: string;
  port: number;
  trace?: boolean;
  explain?: boolean;
  record?: string;
  capVersions?: boolean;
  inspect?: boolean | number;
  commandConfig?: string;
}

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    throw new InvalidArgumentError('--port must be an integer in 0..65535');
  return n;
}

function hostPort(value: string): string {
  try {
    parseHostPort(value);
  } catch (err) {
    throw new InvalidArgumentError((err as Error).message);
  }
  return value;
}

export function proxyCommand(): Command {
  return new Command('proxy')
    .description(
      "Sit between a Kafka client and a broker, decode every frame both ways, and rewrite broker addresses so that all of the client's connections come through here.",
    )
    .requiredOption(
      '--upstream <host:port>',
      'the broker to forward to (a real Kafka or the emulator)',
      hostPort,
    )
    .option('--host <host>', 'interface for every listener', '127.0.0.1')
    .option('--port <port>', 'port of the bootstrap listener (0 picks a free one)', port, 0)
    .option(
      '--trace',
      'one line per request/response: connection, client id, API, version, correlation id, sizes, latency, errors, rewrites',
    )
    .option('--explain', 'the full byte-by-byte listing of both frames of every exchange')
    .option(
      '--record <file>',
      "one JSON line per exchange (the emulator's format), for `kafkalab decode --trace FILE`",
    )
    .option(
      '--cap-versions',
      'lower the versions in ApiVersions answers to those kafkalab decodes, so a newer client stays visible (changes what it negotiates)',
    )
    .option(
      '--inspect [port]',
      'serve the browser inspector of the proxied exchanges on 127.0.0.1 (port 0 or none: a free one)',
      port,
    )
    .option(
      '--command-config <file>',
      "how to reach the brokers, in a Kafka client's security settings (security.protocol, ssl.*, sasl.*): the proxy adds TLS and logs in itself, so clients connect to it with PLAINTEXT",
    )
    .action(async (o: ProxyCliOptions) => {
      const upstreamSecurity = upstreamSecurityOf(o.commandConfig);
      const out = (text: string) => void process.stdout.write(text);
      // Loaded only when asked for: the inspector pulls in the explainer and the HTTP server.
      const inspector =
        o.inspect === undefined
          ? undefined
          : await (await import('../../inspector/index.js')).inspectFeed(`proxy → ${o.upstream}`, {
              port: typeof o.inspect === 'number' ? o.inspect : 0,
            });
      const toEntry = inspector ? (await import('../../trace/entry.js')).entryFromProxy : undefined;
      const record = o.record ? createWriteStream(o.record, { flags: 'w' }) : undefined;
      if (record) {
        await new Promise<void>((resolve, reject) => {
          record.once('open', () => resolve());
          record.once('error', reject);
        });
      }
      const proxy = await startProxy({
        upstream: o.upstream,
        upstreamSecurity,
        host: o.host,
        capVersions: o.capVersions ?? false,
        port: o.port,
        trace: o.trace ? (line) => out(`${line}\n`) : undefined,
        explain: o.explain ? (text) => out(`${text}\n`) : undefined,
        warn: (line) => void process.stderr.write(`kafkalab proxy: ${line}\n`),
        recordLine: record ? (line) => void record.write(`${line}\n`) : undefined,
        onExchange: inspector && toEntry ? (x) => inspector.add(toEntry(x)) : undefined,
      });
      const via =
        upstreamSecurity?.protocol && upstreamSecurity.protocol !== 'PLAINTEXT'
          ? ` (${upstreamSecurity.protocol})`
          : '';
      out(`kafkalab proxy listening on ${proxy.bootstrap} → ${o.upstream}${via}\n`);
      if (inspector) out(`kafkalab inspector on ${inspector.url}\n`);
      await new Promise<void>((resolve) => {
        const stop = () => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          void Promise.all([proxy.stop(), inspector?.close()])
            .then(() => (record ? new Promise<void>((done) => record.end(done)) : undefined))
            .then(resolve);
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      });
    });
}

/**
 * The security settings of `--command-config FILE`, as a client reads them (src/cli/security-config.ts);
 * any other key is refused by name: the proxy is no client, so it has no use for it.
 */
function upstreamSecurityOf(file: string | undefined): ClientSecurity | undefined {
  const entries: SecurityEntries = new Map();
  for (const e of readCommandConfig(file)) {
    if (!(SECURITY_KEYS as readonly string[]).includes(e.key))
      throw new UsageError(
        `${e.where}: the proxy takes only security settings from --command-config (${SECURITY_KEYS.join(', ')}), not "${e.key}"`,
      );
    entries.set(e.key, { value: e.value, where: e.where });
  }
  return clientSecurity(entries);
}
