/**
 * A secured emulator for the tests in this folder: Kafka's security settings by name (as
 * `--override` takes them), one throwaway CA + broker certificate shared by the whole file, the
 * trace kept so a test can read why a login failed.
 */
import { Cluster } from '../../src/emulator/cluster.js';
import { resolveConfig } from '../../src/emulator/config.js';
import { HANDLERS, routeHandlers, servedApis } from '../../src/emulator/handlers/index.js';
import { Hooks } from '../../src/emulator/hooks.js';
import { generateTestCertificates, type TestCertificates } from '../../src/emulator/security/certs.js';
import { resolveSecurity } from '../../src/emulator/security/config.js';
import { scramCredentialsOf } from '../../src/emulator/security/scram-credentials.js';
import { EmulatorServer } from '../../src/emulator/server.js';
import { SCRAM_MECHANISMS } from '../../src/protocol/sasl/scram.js';

let certs: Promise<TestCertificates> | undefined;

/** One set per test file (three RSA keys take a moment). */
export function testCertificates(): Promise<TestCertificates> {
  certs ??= generateTestCertificates();
  return certs;
}

export interface SecureEmulator {
  bootstrap: string;
  trace: string[];
  stop(): Promise<void>;
}

/** One listener, the first of `listeners`, with the file's certificate when it speaks TLS. */
export async function startSecureEmulator(props: Record<string, string>): Promise<SecureEmulator> {
  const security = resolveSecurity(props, { host: '127.0.0.1', port: 0 });
  const listener = security.listeners[0];
  const cluster = new Cluster(resolveConfig({ port: 0 }));
  const creds = scramCredentialsOf(cluster);
  for (const [user, password] of security.sasl.users)
    for (const m of Object.values(SCRAM_MECHANISMS)) creds.addPassword(user, m, password);
  const handlers = routeHandlers(HANDLERS);
  const trace: string[] = [];
  const tls = listener.protocol.endsWith('SSL') ? await testCertificates() : undefined;
  const server = new EmulatorServer({
    cluster,
    handlers,
    served: servedApis(handlers),
    hooks: new Hooks(),
    trace: (l) => trace.push(l),
    security: {
      listener: listener.name,
      protocol: listener.protocol,
      sasl: listener.protocol.startsWith('SASL_') ? security.sasl : undefined,
      tls: tls ? { cert: tls.broker.cert, key: tls.broker.key } : undefined,
    },
  });
  const bound = await server.listen(listener.host, listener.port);
  cluster.broker.host = bound.host;
  cluster.broker.port = bound.port;
  return {
    bootstrap: `${bound.host}:${bound.port}`,
    trace,
    async stop() {
      await server.close();
      cluster.stop();
    },
  };
}
