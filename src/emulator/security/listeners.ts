/**
 * From the security settings to what each listener's EmulatorServer needs: Node's TLS options
 * (the configured keystore, or a throwaway CA and broker certificate made at start when an SSL
 * listener has none), the SASL settings, and the SCRAM credentials of `sasl.users` stored in the
 * cluster (salted, as Kafka keeps them) — startEmulator calls this once, before listening.
 */
import type tls from 'node:tls';
import { SCRAM_MECHANISMS, type ScramMechanismName } from '../../protocol/sasl/scram.js';
import type { Cluster } from '../cluster.js';
import type { ListenerSecurity } from '../server.js';
import { generateTestCertificates, type TestCertificates } from './certs.js';
import { type ListenerSpec, resolveSecurity, type SecuritySettings, type TlsSettings } from './config.js';
import { scramCredentialsOf } from './scram-credentials.js';

export interface PreparedSecurity {
  settings: SecuritySettings;
  /** Made at start because an SSL listener was asked for without ssl.keystore.*: the client needs its CA. */
  throwaway?: TestCertificates;
  /** What the EmulatorServer of this listener takes. */
  forListener(spec: ListenerSpec): ListenerSecurity;
}

function tlsOptions(t: TlsSettings): tls.TlsOptions {
  return {
    cert: t.cert,
    key: t.key,
    pfx: t.pfx,
    passphrase: t.passphrase,
    ca: t.ca,
    // ssl.client.auth: requested asks for a certificate and takes a connection without one.
    requestCert: t.clientAuth !== 'none',
    rejectUnauthorized: t.clientAuth === 'required',
  };
}

export async function prepareSecurity(
  cluster: Cluster,
  props: Record<string, string>,
  defaults: { host: string; port: number },
): Promise<PreparedSecurity> {
  const settings = resolveSecurity(props, defaults);
  const { sasl } = settings;
  const creds = scramCredentialsOf(cluster);
  for (const name of sasl.mechanisms) {
    const m = SCRAM_MECHANISMS[name as ScramMechanismName];
    if (!m) continue;
    for (const [user, password] of sasl.users) creds.addPassword(user, m, password);
    for (const [user, password] of sasl.mechanismUsers.get(name) ?? []) creds.addPassword(user, m, password);
  }
  let tlsSettings = settings.tls;
  let throwaway: TestCertificates | undefined;
  if (!tlsSettings && settings.listeners.some((l) => l.protocol.endsWith('SSL'))) {
    const hosts = new Set(['localhost', '127.0.0.1', '::1']);
    for (const l of settings.listeners) if (l.host && !isWildcard(l.host)) hosts.add(l.host);
    for (const a of settings.advertised.values()) if (a.host) hosts.add(a.host);
    throwaway = await generateTestCertificates({ brokerHosts: [...hosts] });
    tlsSettings = {
      cert: throwaway.broker.cert,
      key: throwaway.broker.key,
      // Client certificates signed by the same CA are trusted (ssl.client.auth=required|requested).
      ca: throwaway.ca.cert,
      clientAuth: settings.clientAuth,
    };
  }
  return {
    settings,
    throwaway,
    forListener(spec) {
      const ssl = spec.protocol === 'SSL' || spec.protocol === 'SASL_SSL';
      return {
        listener: spec.name,
        protocol: spec.protocol,
        tls: ssl && tlsSettings ? tlsOptions(tlsSettings) : undefined,
        sasl: spec.protocol.startsWith('SASL_') ? sasl : undefined,
        principalMapper: settings.principalMapper,
      };
    },
  };
}

export function isWildcard(host: string): boolean {
  return host === '0.0.0.0' || host === '::' || host === '';
}
