/**
 * `kafkalab versions` without the network: the broker's ApiVersions answer set next to the versions
 * kafkalab declares, and the version the client would send (the highest both sides support, as
 * Connection.versionFor picks it; some calls narrow it further, e.g. Produce needs v3+ for record
 * batches v2).
 */
import type { ApiSpec } from '../protocol/schema/declare.js';
import { parseVersions } from '../protocol/schema/versions.js';
import { API_PURPOSES, apiKeyName, apiPurpose } from './api-names.js';

export interface BrokerApiVersion {
  apiKey: number;
  minVersion: number;
  maxVersion: number;
}

export interface VersionRange {
  min: number;
  max: number;
}

export interface ApiVersionRow {
  apiKey: number;
  name: string;
  broker: VersionRange | null;
  kafkalab: VersionRange | null;
  /** The version kafkalab would send; null when either side lacks the API or there is no overlap. */
  picked: number | null;
  note: string;
}

export function compareApiVersions(
  broker: readonly BrokerApiVersion[],
  declared: readonly ApiSpec[],
): ApiVersionRow[] {
  const theirs = new Map(broker.map((b) => [b.apiKey, { min: b.minVersion, max: b.maxVersion }]));
  const ours = new Map(
    declared.map((a) => {
      const r = parseVersions(a.request.validVersions);
      return [a.apiKey, { spec: a, range: { min: r.low, max: r.high } }];
    }),
  );
  const keys = [...new Set([...theirs.keys(), ...ours.keys()])].sort((a, b) => a - b);
  return keys.map((apiKey) => {
    const b = theirs.get(apiKey) ?? null;
    const o = ours.get(apiKey);
    const k = o?.range ?? null;
    let picked: number | null = null;
    let note = '';
    if (!b) note = 'broker does not serve it';
    else if (!k) note = 'no kafkalab codec';
    else {
      const low = Math.max(b.min, k.min);
      const high = Math.min(b.max, k.max);
      if (high >= low) {
        picked = high;
        // Which side holds the client back: worth seeing when a newer broker meets an older client.
        if (b.max > k.max) note = `broker goes up to v${b.max}`;
        else if (k.max > b.max) note = `kafkalab goes up to v${k.max}`;
      } else note = 'no common version';
    }
    return { apiKey, name: o?.spec.name ?? apiKeyName(apiKey), broker: b, kafkalab: k, picked, note };
  });
}

const range = (r: VersionRange | null) => (r ? (r.min === r.max ? `${r.min}` : `${r.min}-${r.max}`) : '-');

/**
 * A fixed-width table, one API per line, in sections by what the APIs are for (API_PURPOSES: client,
 * groups, transactions, share groups, streams, admin, controller/KRaft, telemetry), key order within
 * a section. A section title line starts with a letter, an API line with its key.
 */
export function renderApiVersionsTable(rows: readonly ApiVersionRow[]): string {
  const header = ['KEY', 'API', 'BROKER', 'KAFKALAB', 'PICKED', 'NOTE'];
  const cells = rows.map((r) => [
    String(r.apiKey),
    r.name,
    range(r.broker),
    range(r.kafkalab),
    r.picked === null ? '-' : `v${r.picked}`,
    r.note,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (c: string[]) =>
    c
      .map((x, i) => (i === 0 ? x.padStart(widths[i]) : i === c.length - 1 ? x : x.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  const out = [line(header)];
  const sections = [...API_PURPOSES, { purpose: 'other', title: 'other: API keys newer than this table' }];
  for (const section of sections) {
    const members = rows.flatMap((r, i) => (apiPurpose(r.apiKey) === section.purpose ? [i] : []));
    if (members.length === 0) continue;
    out.push('', section.title, ...members.map((i) => line(cells[i])));
  }
  return `${out.join('\n')}\n`;
}
