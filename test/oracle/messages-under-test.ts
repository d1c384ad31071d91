/**
 * Every message declaration kafkalab has, found without a hand-kept list: both sides of each API in
 * ALL_APIS, plus every other declaration the protocol modules export (request/response headers,
 * ConsumerProtocolSubscription/Assignment, …). New declarations are picked up as they are exported.
 */
import * as protocol from '../../src/protocol/index.js';
import * as messages from '../../src/protocol/messages/index.js';
import { ALL_APIS } from '../../src/protocol/messages/index.js';
import type { MessageSpec } from '../../src/protocol/schema/declare.js';

function isMessageSpec(x: unknown): x is MessageSpec {
  const m = x as MessageSpec;
  return (
    typeof m === 'object' &&
    m !== null &&
    typeof m.name === 'string' &&
    typeof m.validVersions === 'string' &&
    typeof m.flexibleVersions === 'string' &&
    m.body?.kind === 'struct'
  );
}

export function allMessageSpecs(): MessageSpec[] {
  const seen = new Set<MessageSpec>();
  for (const api of ALL_APIS) {
    seen.add(api.request);
    seen.add(api.response);
  }
  for (const value of [...Object.values(protocol), ...Object.values(messages)]) {
    if (isMessageSpec(value)) seen.add(value);
  }
  return [...seen];
}
