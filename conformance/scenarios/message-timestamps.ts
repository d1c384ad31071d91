/**
 * CreateTime records against the broker's clock (KIP-937): a record more than
 * message.timestamp.after.max.ms ahead (Kafka 4: 1 hour, KIP-1030) or more than
 * message.timestamp.before.max.ms behind (default Long.MAX_VALUE, i.e. never) is refused with
 * INVALID_TIMESTAMP and one record error per bad record (LogValidator.validateTimestamp,
 * processRecordErrors). Topic configs override the broker's; LogAppendTime topics are not checked.
 *
 * The record errors name our clock's and the broker's times, which differ between runs, so those are
 * compared through what does not move: the error, the record's index and offset, and the width of the
 * window (upper - lower bound = before + after, as Kafka computes the bounds).
 */
import assert from 'node:assert/strict';
import { DescribeConfigs } from '../../src/protocol/messages/32-describe-configs.js';
import { encodeRecordBatch } from '../../src/protocol/records/index.js';
import type { Scenario, ScenarioContext } from '../runner/types.js';
import { errorName, expectError, produceRaw, readAll, setUpTopic } from './support.js';

const HOUR = 3_600_000;
const OUT_OF_RANGE =
  /^Timestamp (-?\d+) of message with offset (\d+) is out of range\. The timestamp should be within \[(-?\d+), (-?\d+)\]$/;

function oneRecord(value: string, timestamp: number): Buffer {
  return encodeRecordBatch({ records: [{ key: 'k', value, timestamp }] });
}

/** A refused produce, as the parts of Kafka's answer that do not depend on either clock. */
async function refused(ctx: ScenarioContext, label: string, topic: string, value: string, timestamp: number) {
  const p = await produceRaw(ctx, null, topic, 0, oneRecord(value, timestamp));
  expectError(p.errorCode, 'INVALID_TIMESTAMP', label);
  assert.equal(p.recordErrors.length, 1, `${label}: one record error`);
  const m = OUT_OF_RANGE.exec(p.recordErrors[0].batchIndexErrorMessage ?? '');
  assert.ok(m, `${label}: record error worded as Kafka's: ${p.recordErrors[0].batchIndexErrorMessage}`);
  const [lower, upper] = [BigInt(m[3]), BigInt(m[4])];
  // Both topics here keep the 1 h after-window, so upper - 1 h is the broker's clock: near ours.
  const skew = Number(upper - BigInt(HOUR)) - Date.now();
  assert.ok(Math.abs(skew) < 60_000, `${label}: bounds [${lower}, ${upper}] are ${skew} ms off our clock`);
  ctx.checkpoint(label, {
    error: errorName(p.errorCode),
    baseOffset: p.baseOffset,
    logStartOffset: p.logStartOffset,
    // Not under the key errorMessage, which the normaliser blanks: this wording is fixed in Kafka.
    errorText: p.errorMessage,
    batchIndex: p.recordErrors[0].batchIndex,
    timestampIsTheRecords: m[1] === String(timestamp),
    offset: Number(m[2]),
    windowWidth: upper - lower,
  });
}

/** A produce the broker takes (its answer is recorded under `label`). */
async function accepted(
  ctx: ScenarioContext,
  label: string,
  topic: string,
  value: string,
  timestamp: number,
  why: string,
) {
  const p = await produceRaw(ctx, label, topic, 0, oneRecord(value, timestamp));
  expectError(p.errorCode, 'NONE', why);
}

export const messageTimestamps: Scenario = {
  name: 'message-timestamps',
  source: 'KIP-937, KIP-1030; LogValidator.validateTimestamp / processRecordErrors; ServerLogConfigs',
  description:
    'a record 2 h ahead refused (INVALID_TIMESTAMP), 1 s ahead accepted; topic overrides of both windows; LogAppendTime unchecked',
  async run(ctx) {
    const topic = ctx.name('timestamps');
    await setUpTopic(ctx, topic, 1);
    await refused(ctx, 'two-hours-ahead', topic, 'two-hours', Date.now() + 2 * HOUR);
    await accepted(ctx, 'one-second-ahead', topic, 'one-second', Date.now() + 1000, 'one second ahead');
    ctx.checkpoint('log', await readAll(ctx, topic, 0));
    await ctx.exchange('describe-configs', DescribeConfigs, {
      resources: [
        {
          resourceType: 2,
          resourceName: topic,
          configurationKeys: ['message.timestamp.after.max.ms', 'message.timestamp.before.max.ms'],
        },
      ],
      includeSynonyms: false,
      includeDocumentation: false,
    });

    // A topic that allows 3 hours ahead takes the record the default refuses.
    const wide = ctx.name('timestamps-after-3h');
    await setUpTopic(ctx, wide, 1, { 'message.timestamp.after.max.ms': String(3 * HOUR) });
    await accepted(
      ctx,
      'override-two-hours-ahead',
      wide,
      'wide',
      Date.now() + 2 * HOUR,
      'two hours ahead with a 3 h window',
    );

    // A topic that allows 1 minute behind refuses a record 2 minutes old.
    const recent = ctx.name('timestamps-before-1m');
    await setUpTopic(ctx, recent, 1, { 'message.timestamp.before.max.ms': '60000' });
    await refused(ctx, 'two-minutes-behind', recent, 'old', Date.now() - 120_000);
    await accepted(
      ctx,
      'one-second-behind',
      recent,
      'fresh',
      Date.now() - 1000,
      'one second behind with a 1 min window',
    );

    // LogAppendTime: the broker stamps the record itself, the client's timestamp is not checked.
    const appendTime = ctx.name('timestamps-log-append');
    await setUpTopic(ctx, appendTime, 1, { 'message.timestamp.type': 'LogAppendTime' });
    await accepted(
      ctx,
      'log-append-time-two-hours-ahead',
      appendTime,
      'stamped',
      Date.now() + 2 * HOUR,
      'LogAppendTime topic',
    );
  },
};
