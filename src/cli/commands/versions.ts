/**
 * `kafkalab versions`: what the broker says in ApiVersions, next to what kafkalab declares, and the
 * version kafkalab would pick for each API (like kafka-broker-api-versions.sh, with our side added).
 */
import type { Writable } from 'node:stream';
import { Command } from 'commander';
import { Cluster } from '../../client/cluster.js';
import { CLIENT_SOFTWARE_NAME, CLIENT_SOFTWARE_VERSION } from '../../client/connection.js';
import { compareApiVersions, renderApiVersionsTable } from '../../learning/api-versions.js';
import { ALL_APIS, ApiVersions } from '../../protocol/messages/index.js';
import { DEFAULT_BOOTSTRAP } from './topics.js';

export interface VersionsCliOptions {
  bootstrapServer: string;
}

export function versionsCommand(): Command {
  return new Command('versions')
    .description(
      "The broker's ApiVersions answer next to the versions kafkalab declares, and the version it would pick",
    )
    .option('--bootstrap-server <host:port>', 'broker(s) to ask, comma-separated', DEFAULT_BOOTSTRAP)
    .action(async (options: VersionsCliOptions) => {
      await runVersions(options, process.stdout);
    });
}

export async function runVersions(o: VersionsCliOptions, out: Writable): Promise<void> {
  const cluster = new Cluster({
    bootstrap: o.bootstrapServer,
    clientId: 'kafkalab-versions',
    retry: { retries: 2 },
  });
  try {
    // Opening the connection already negotiated (ApiVersions at our newest version the broker takes);
    // ask once more to have the full list, including the APIs kafkalab has no codec for.
    const conn = await cluster.anyConnection();
    const answer = await conn.request(ApiVersions, {
      clientSoftwareName: CLIENT_SOFTWARE_NAME,
      clientSoftwareVersion: CLIENT_SOFTWARE_VERSION,
    });
    const rows = compareApiVersions(answer.apiKeys, ALL_APIS);
    const common = rows.filter((r) => r.picked !== null).length;
    out.write(
      `${conn.host}:${conn.port} answered ApiVersions v${conn.apiVersionsVersion}: ` +
        `${answer.apiKeys.length} APIs; kafkalab declares ${ALL_APIS.length}; ${common} in common.\n\n`,
    );
    out.write(renderApiVersionsTable(rows));
  } finally {
    await cluster.close();
  }
}
