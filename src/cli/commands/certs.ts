/**
 * `kafkalab certs --out DIR`: a CA and the broker and client certificates it signed, as PEM files
 * for a test suite's TLS (the emulator's or a real Kafka's SSL listener, mTLS clients). Made by
 * src/emulator/security/certs.ts (node-forge for X.509, Node's crypto for the RSA keys); printed:
 * the files and the settings that use them, for the emulator, Kafka's clients and kcat.
 */
import { resolve } from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { generateTestCertificates, writeTestCertificates } from '../../emulator/security/certs.js';

interface CertsCliOptions {
  out: string;
  host?: string[];
  clientName: string;
  days: number;
}

function days(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 36_500) throw new InvalidArgumentError('--days must be 1..36500');
  return n;
}

function hostList(value: string, previous: string[] = []): string[] {
  const hosts = value
    .split(',')
    .map((h) => h.trim())
    .filter(Boolean);
  if (hosts.length === 0) throw new InvalidArgumentError('--host needs a name or an address');
  return [...previous, ...hosts];
}

export function certsCommand(): Command {
  return new Command('certs')
    .description(
      'Write a test CA and the broker and client certificates it signed (PEM) for TLS tests: the emulator, Kafka, kcat',
    )
    .requiredOption('--out <dir>', 'directory to write to (created if missing; files there are replaced)')
    .option(
      '--host <names>',
      'names and addresses the broker certificate is valid for (comma-separated, repeatable; default localhost,127.0.0.1,::1)',
      hostList,
    )
    .option(
      '--client-name <cn>',
      'common name of the client certificate: its mTLS principal is User:CN=<cn>',
      'client',
    )
    .option('--days <n>', 'days the certificates are valid', days, 30)
    .action(async (o: CertsCliOptions) => {
      const dir = resolve(o.out);
      const certs = await generateTestCertificates({
        brokerHosts: o.host,
        clientName: o.clientName,
        days: o.days,
      });
      const files = writeTestCertificates(dir, certs);
      const out = process.stdout;
      out.write(`kafkalab certs: wrote a CA, a broker and a client certificate to ${dir}\n`);
      out.write(`  ${files.caCert}  the CA (clients trust it)\n`);
      out.write(`  ${files.brokerKeystore}  broker key + certificate + CA (ssl.keystore.type=PEM)\n`);
      out.write(`  ${files.clientKeystore}  client key + certificate + CA (ssl.keystore.type=PEM)\n`);
      out.write(
        `  ${files.brokerCert}, ${files.brokerKey}, ${files.clientCert}, ${files.clientKey}, ${files.caKey}\n`,
      );
      out.write('Emulator (or Kafka) SSL listener:\n');
      out.write(
        `  kafkalab emulator --override listeners=SSL://127.0.0.1:9093 --override ssl.keystore.type=PEM ` +
          `--override ssl.keystore.location=${files.brokerKeystore}\n`,
      );
      out.write(
        `  (mTLS: --override ssl.client.auth=required --override ssl.truststore.location=${files.caCert})\n`,
      );
      out.write('Java clients (client.properties):\n');
      out.write(
        `  security.protocol=SSL\n  ssl.truststore.type=PEM\n  ssl.truststore.location=${files.caCert}\n`,
      );
      out.write(
        `  # mTLS (ssl.client.auth=required):\n  ssl.keystore.type=PEM\n  ssl.keystore.location=${files.clientKeystore}\n`,
      );
      out.write('kcat / librdkafka:\n');
      out.write(
        `  -X security.protocol=SSL -X ssl.ca.location=${files.caCert} ` +
          `-X ssl.certificate.location=${files.clientCert} -X ssl.key.location=${files.clientKey}\n`,
      );
    });
}
