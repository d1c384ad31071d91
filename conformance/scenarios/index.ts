/** Every scenario, in the order the suite runs them (cheap and stateless first). */
import type { Scenario } from '../runner/types.js';
import { adminTopics } from './admin-topics.js';
import { badInput } from './bad-input.js';
import { clientQuotas } from './client-quotas.js';
import { compression } from './compression.js';
import { configSynonyms } from './config-synonyms.js';
import { configs } from './configs.js';
import { consumerGroupProtocol } from './consumer-group-protocol.js';
import { deleteRecords } from './delete-records.js';
import { evictionTiming } from './eviction-timing.js';
import { groupErrors } from './group-errors.js';
import { groupMembership } from './group-membership.js';
import { groupMigration } from './group-migration.js';
import { idempotentRetry } from './idempotent-retry.js';
import { internalTopics } from './internal-topics.js';
import { listOffsets } from './list-offsets.js';
import { memberEpoch } from './member-epoch.js';
import { messageTimestamps } from './message-timestamps.js';
import { offsetOutOfRange } from './offset-out-of-range.js';
import { offsetsCommitFetch } from './offsets-commit-fetch.js';
import { produceAcks } from './produce-acks.js';
import { scramCredentials } from './scram-credentials.js';
import { seedWorkflow } from './seed-workflow.js';
import { sessionTimeout } from './session-timeout.js';
import { staticMembership } from './static-membership.js';
import { transactionsAdmin } from './transactions-admin.js';
import { transactionsBasic } from './transactions-basic.js';
import { unknownTopic } from './unknown-topic.js';
import { versionNegotiation } from './version-negotiation.js';

export const SCENARIOS: readonly Scenario[] = [
  versionNegotiation,
  badInput,
  adminTopics,
  configs,
  configSynonyms,
  clientQuotas,
  scramCredentials,
  unknownTopic,
  internalTopics,
  produceAcks,
  compression,
  messageTimestamps,
  idempotentRetry,
  transactionsAdmin,
  transactionsBasic,
  listOffsets,
  offsetOutOfRange,
  deleteRecords,
  groupMembership,
  groupErrors,
  offsetsCommitFetch,
  sessionTimeout,
  staticMembership,
  consumerGroupProtocol,
  memberEpoch,
  groupMigration,
  evictionTiming,
  seedWorkflow,
];
