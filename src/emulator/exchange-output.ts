/**
 * What a learner sees of each exchange: the one-line trace, the full annotated listing of both frames
 * (`--explain`, the protocol layer's explain renderers), and the JSON line kept by `--record FILE`.
 * Pure formatting of an `Exchange`; the server decides when to call these.
 */
import { describeErrorCode } from '../protocol/error-codes.js';
import { explainRequest, explainResponse, renderHexDump } from '../protocol/explain/index.js';
import { toKafkaJsonText } from '../protocol/schema/json.js';
import type { Exchange } from './hooks.js';
import type { GroupTransition } from './state/groups.js';
import type { TxnTransition } from './state/transactions/types.js';

/**
 * `conn#3 client="rdkafka" Produce v9 corr=7 1081B→63B 0.41ms errors=CORRUPT_MESSAGE (2)`: who asked,
 * what, which version, the correlation id that pairs request and response, both frame sizes
 * (size prefix included), time spent in the emulator, and every non-zero error code of the response.
 */
export function traceLine(e: Exchange): string {
  const size = e.response ? `${e.raw.length}B→${e.response.raw.length}B` : `${e.raw.length}B→${e.outcome}`;
  const errors = e.errorCodes.length ? ` errors=${summarizeErrors(e.errorCodes)}` : '';
  return (
    `conn#${e.connection.id} client=${JSON.stringify(e.header.clientId ?? '')} ` +
    `${e.api.name} v${e.version} corr=${e.header.correlationId} ${size} ${e.latencyMs.toFixed(2)}ms${errors}`
  );
}

/**
 * `group "g1" PreparingRebalance → CompletingRebalance generation=1 leader=m-1 members=[m-1,m-2]`: a
 * consumer group's state change, printed among the exchanges that caused it (KIP-848 groups aside,
 * this is the classic protocol's Empty → PreparingRebalance → CompletingRebalance → Stable cycle).
 */
export function groupTransitionLine(t: GroupTransition): string {
  return (
    `group ${JSON.stringify(t.groupId)} ${t.from} → ${t.to} generation=${t.generationId} ` +
    `leader=${t.leaderId ?? '-'} members=[${t.memberIds.join(',')}]`
  );
}

/**
 * A transaction's state change, printed among the exchanges that caused it, so that the trace tells
 * one story (KIP-98): InitProducerId (Empty, a new epoch), the first AddPartitionsToTxn (Ongoing),
 * EndTxn (PrepareCommit/PrepareAbort), one COMMIT/ABORT marker per partition (what WriteTxnMarkers
 * writes in Kafka) with the last stable offset it lets read_committed consumers reach, and
 * CompleteCommit/CompleteAbort. Markers come before the line of the state they complete:
 *
 *   transaction "t1" Ongoing → PrepareCommit producerId=1000 epoch=0 partitions=[a-0] (EndTxn commit)
 *     COMMIT marker → a-0 at offset 2 (producerId=1000 epoch=0 coordinatorEpoch=0), last stable offset 3
 *   transaction "t1" PrepareCommit → CompleteCommit producerId=1000 epoch=0 partitions=[] (markers written)
 */
export function transactionTransitionLines(t: TxnTransition): string[] {
  const who = `producerId=${t.producerId} epoch=${t.producerEpoch}`;
  const kind = t.to === 'CompleteCommit' ? 'COMMIT' : 'ABORT';
  const markers = (t.markers ?? []).map(
    (m) =>
      `  ${kind} marker → ${m.topic}-${m.partition} at offset ${m.offset} (${who} coordinatorEpoch=${m.coordinatorEpoch}), last stable offset ${m.lastStableOffset}`,
  );
  const partitions = t.partitions.map((p) => `${p.topic}-${p.partition}`).join(',');
  return [
    ...markers,
    `transaction ${JSON.stringify(t.transactionalId)} ${t.from ?? 'new'} → ${t.to} ${who} ` +
      `partitions=[${partitions}] (${t.reason})`,
  ];
}

/** `UNKNOWN_TOPIC_OR_PARTITION (3)×2,LEADER_NOT_AVAILABLE (5)` */
export function summarizeErrors(codes: readonly number[]): string {
  const counts = new Map<number, number>();
  for (const c of codes) counts.set(c, (counts.get(c) ?? 0) + 1);
  return [...counts].map(([c, n]) => describeErrorCode(c) + (n > 1 ? `×${n}` : '')).join(',');
}

/**
 * Both frames, byte by byte: offset, bytes, wire type, field path, value, note. A frame the decoder
 * cannot explain (it should not happen for what we accepted and wrote) falls back to a hex dump.
 */
export function explainExchange(e: Exchange): string {
  const who = `conn#${e.connection.id} client=${JSON.stringify(e.header.clientId ?? '')}`;
  const parts = [
    `── ${who} ${e.api.name} v${e.version} request, correlation id ${e.header.correlationId}, ${e.raw.length} bytes`,
    safely(() => explainRequest(e.raw).listing(), e.raw),
  ];
  if (e.response) {
    const v = e.responseVersion ?? e.version;
    parts.push(
      `── ${who} ${e.api.name} v${v} response, correlation id ${e.header.correlationId}, ` +
        `${e.response.raw.length} bytes, ${e.latencyMs.toFixed(2)} ms` +
        (e.errorCodes.length ? `, errors ${summarizeErrors(e.errorCodes)}` : ''),
      safely(() => explainResponse(e.response!.raw, e.api, v).listing(), e.response.raw),
    );
  } else {
    parts.push(
      `── ${who} ${e.api.name} v${e.version}: ${e.outcome === 'closed' ? 'connection closed, no response' : 'no response (acks=0 or dropped)'}`,
    );
  }
  return `${parts.join('\n')}\n`;
}

function safely(render: () => string, raw: Buffer): string {
  try {
    return render();
  } catch (err) {
    return `(cannot explain: ${err instanceof Error ? err.message : String(err)})\n${renderHexDump(raw)}`;
  }
}

/**
 * One JSON line per exchange. Bodies are in Kafka's JSON form (schema/json.ts: int64 exact, bytes and
 * records base64), so a line can be read back with `fromKafkaJson` or fed to Kafka's own converters;
 * the raw frames are there too, in hex, size prefix included.
 */
export function exchangeJsonLine(e: Exchange): string {
  const fields: string[] = [
    `"connection":${e.connection.id}`,
    `"remote":${JSON.stringify(e.connection.remote)}`,
    `"clientId":${JSON.stringify(e.header.clientId ?? null)}`,
    `"apiKey":${e.api.apiKey}`,
    `"api":${JSON.stringify(e.api.name)}`,
    `"version":${e.version}`,
    `"correlationId":${e.header.correlationId}`,
    `"receivedAt":${JSON.stringify(new Date(e.receivedAt).toISOString())}`,
    `"latencyMs":${Number(e.latencyMs.toFixed(3))}`,
    `"outcome":${JSON.stringify(e.outcome)}`,
    `"errorCodes":${JSON.stringify(e.errorCodes)}`,
    `"request":{"hex":"${e.raw.toString('hex')}","body":${bodyJson(() => toKafkaJsonText(e.api.request, e.version, e.request))}}`,
  ];
  if (e.response) {
    const v = e.responseVersion ?? e.version;
    fields.push(
      `"response":{"version":${v},"hex":"${e.response.raw.toString('hex')}","body":${bodyJson(() => toKafkaJsonText(e.api.response, v, e.response!.body))}}`,
    );
  }
  return `{${fields.join(',')}}`;
}

function bodyJson(render: () => string): string {
  try {
    return render();
  } catch (err) {
    return JSON.stringify({ error: err instanceof Error ? err.message : String(err) });
  }
}
