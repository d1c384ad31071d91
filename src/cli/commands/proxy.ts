/**
 * `kafkalab proxy --upstream HOST:PORT`: a decoding TCP proxy in front of any broker. Only option
 * parsing and output here; the proxy lives in src/proxy.
 */
import { createWriteStream, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import type { ClientSecurity } from '../../client/security.js';
import { parseHostPort, startProxy } from '../../proxy/index.js';
import { readCommandConfig } from '../command-config.js';
import { removeDir } from '../emulator-security.js';
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
  listenerSsl?: boolean;
  listenerSslCert?: string;
  listenerSslKey?: string;
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
      "how to reach the brokers, in a Kafka client's security settings (security.protocol, ssl.*, sasl.*): the proxy adds TLS and logs in itself, so clients connect to it with PLAINTEXT (or SSL with --listener-ssl)",
    )
    .option(
      '--listener-ssl',
      "TLS on the proxy's own listeners: clients connect with security.protocol=SSL (a throwaway CA and certificate unless --listener-ssl-cert/--listener-ssl-key are given)",
    )
    .option(
      '--listener-ssl-cert <file>',
      'with --listener-ssl: the PEM certificate (chain) the proxy presents',
    )
    .option('--listener-ssl-key <file>', 'with --listener-ssl: its PEM private key')
    .action(async (o: ProxyCliOptions) => {
      const upstreamSecurity = upstreamSecurityOf(o.commandConfig);
      const listenerTls = await listenerTlsOf(o);
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
        listenerTls: listenerTls?.pair,
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
      if (listenerTls?.dir)
        out(
          `kafkalab proxy: no --listener-ssl-cert given: throwaway CA and certificate in ${listenerTls.dir} (clients trust ${listenerTls.dir}/ca.pem)\n`,
        );
      const scheme = listenerTls ? 'SSL://' : '';
      out(`kafkalab proxy listening on ${scheme}${proxy.bootstrap} → ${o.upstream}${via}\n`);
      if (inspector) out(`kafkalab inspector on ${inspector.url}\n`);
      await new Promise<void>((resolve) => {
        const stop = () => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          void Promise.all([proxy.stop(), inspector?.close()])
            .then(() => removeDir(listenerTls?.dir))
            .then(() => (record ? new Promise<void>((done) => record.end(done)) : undefined))
            .then(resolve);
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      });
    });
}

/**
 * `--listener-ssl`: the certificate and key given, or throwaway ones (CA, and a certificate for the
 * listeners' host) written to a temp dir for clients to trust, removed when the proxy stops.
 */
async function listenerTlsOf(
  o: ProxyCliOptions,
): Promise<{ pair: { cert: string; key: string }; dir?: string } | undefined> {
  if (!o.listenerSsl) {
    if (o.listenerSslCert || o.listenerSslKey)
      throw new UsageError('--listener-ssl-cert and --listener-ssl-key need --listener-ssl');
    return undefined;
  }
  if (o.listenerSslCert || o.listenerSslKey) {
    if (!o.listenerSslCert || !o.listenerSslKey)
      throw new UsageError('--listener-ssl-cert and --listener-ssl-key go together');
    const read = (file: string) => {
      try {
        return readFileSync(file, 'utf8');
      } catch (err) {
        throw new UsageError(`cannot read ${file}: ${(err as Error).message}`);
      }
    };
    return { pair: { cert: read(o.listenerSslCert), key: read(o.listenerSslKey) } };
  }
  const { generateTestCertificates, writeTestCertificates } = await import(
    '../../emulator/security/certs.js'
  );
  const hosts = new Set(['localhost', '127.0.0.1', '::1']);
  if (o.host !== '0.0.0.0' && o.host !== '::') hosts.add(o.host);
  const certs = await generateTestCertificates({ brokerHosts: [...hosts] });
  const dir = mkdtempSync(join(tmpdir(), 'kafkalab-proxy-certs-'));
  writeTestCertificates(dir, certs);
  return { pair: { cert: certs.broker.cert, key: certs.broker.key }, dir };
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
