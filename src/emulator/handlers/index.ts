/**
 * The one explicit list of handlers. It drives routing (by API key), the versions ApiVersions
 * advertises, and the version check the server makes before a handler runs: an API that is not in
 * this list is not served, and its requests close the connection as Kafka does for an unknown key.
 */

import { parseVersions } from '../../protocol/schema/versions.js';
import type { Handler, ServedApi } from '../handler.js';
import produce from './00-produce.js';
import fetch from './01-fetch.js';
import listOffsets from './02-list-offsets.js';
import metadata from './03-metadata.js';
import offsetCommit from './08-offset-commit.js';
import offsetFetch from './09-offset-fetch.js';
import findCoordinator from './10-find-coordinator.js';
import joinGroup from './11-join-group.js';
import heartbeat from './12-heartbeat.js';
import leaveGroup from './13-leave-group.js';
import syncGroup from './14-sync-group.js';
import describeGroups from './15-describe-groups.js';
import listGroups from './16-list-groups.js';
import saslHandshake from './17-sasl-handshake.js';
import apiVersions from './18-api-versions.js';
import createTopics from './19-create-topics.js';
import deleteTopics from './20-delete-topics.js';
import deleteRecords from './21-delete-records.js';
import initProducerId from './22-init-producer-id.js';
import offsetForLeaderEpoch from './23-offset-for-leader-epoch.js';
import addPartitionsToTxn from './24-add-partitions-to-txn.js';
import addOffsetsToTxn from './25-add-offsets-to-txn.js';
import endTxn from './26-end-txn.js';
import writeTxnMarkers from './27-write-txn-markers.js';
import txnOffsetCommit from './28-txn-offset-commit.js';
import describeAcls from './29-describe-acls.js';
import createAcls from './30-create-acls.js';
import deleteAcls from './31-delete-acls.js';
import describeConfigs from './32-describe-configs.js';
import alterConfigs from './33-alter-configs.js';
import describeLogDirs from './35-describe-log-dirs.js';
import saslAuthenticate from './36-sasl-authenticate.js';
import createPartitions from './37-create-partitions.js';
import deleteGroups from './42-delete-groups.js';
import electLeaders from './43-elect-leaders.js';
import incrementalAlterConfigs from './44-incremental-alter-configs.js';
import offsetDelete from './47-offset-delete.js';
import describeClientQuotas from './48-describe-client-quotas.js';
import alterClientQuotas from './49-alter-client-quotas.js';
import describeUserScramCredentials from './50-describe-user-scram-credentials.js';
import alterUserScramCredentials from './51-alter-user-scram-credentials.js';
import describeCluster from './60-describe-cluster.js';
import describeProducers from './61-describe-producers.js';
import describeTransactions from './65-describe-transactions.js';
import listTransactions from './66-list-transactions.js';
import consumerGroupHeartbeat from './68-consumer-group-heartbeat.js';
import consumerGroupDescribe from './69-consumer-group-describe.js';
import listConfigResources from './74-list-config-resources.js';
import describeTopicPartitions from './75-describe-topic-partitions.js';

export const HANDLERS: readonly Handler<any>[] = [
  produce,
  fetch,
  listOffsets,
  metadata,
  apiVersions,
  saslHandshake,
  saslAuthenticate,
  createTopics,
  deleteTopics,
  deleteRecords,
  initProducerId,
  offsetForLeaderEpoch,
  addPartitionsToTxn,
  addOffsetsToTxn,
  endTxn,
  writeTxnMarkers,
  txnOffsetCommit,
  describeAcls,
  createAcls,
  deleteAcls,
  describeConfigs,
  alterConfigs,
  describeLogDirs,
  incrementalAlterConfigs,
  createPartitions,
  offsetCommit,
  offsetFetch,
  findCoordinator,
  joinGroup,
  heartbeat,
  leaveGroup,
  syncGroup,
  describeGroups,
  listGroups,
  deleteGroups,
  electLeaders,
  offsetDelete,
  describeClientQuotas,
  alterClientQuotas,
  describeUserScramCredentials,
  alterUserScramCredentials,
  describeCluster,
  describeProducers,
  describeTransactions,
  listTransactions,
  consumerGroupHeartbeat,
  consumerGroupDescribe,
  listConfigResources,
  describeTopicPartitions,
];

/** Builds the routing table; refuses a handler that claims versions its API does not declare. */
export function routeHandlers(handlers: readonly Handler<any>[]): Map<number, Handler<any>> {
  const byKey = new Map<number, Handler<any>>();
  for (const h of handlers) {
    const declared = parseVersions(h.api.request.validVersions);
    if (h.versions.min < declared.low || h.versions.max > declared.high || h.versions.min > h.versions.max) {
      throw new Error(
        `${h.api.name} handler serves v${h.versions.min}-${h.versions.max}, outside ${h.api.request.validVersions}`,
      );
    }
    if (byKey.has(h.api.apiKey)) throw new Error(`two handlers for API key ${h.api.apiKey}`);
    byKey.set(h.api.apiKey, h);
  }
  return byKey;
}

/** What ApiVersions advertises: exactly the routed handlers and their versions, by key. */
export function servedApis(byKey: Map<number, Handler<any>>): ServedApi[] {
  return [...byKey.values()]
    .map((h) => ({ apiKey: h.api.apiKey, minVersion: h.versions.min, maxVersion: h.versions.max }))
    .sort((a, b) => a.apiKey - b.apiKey);
}
