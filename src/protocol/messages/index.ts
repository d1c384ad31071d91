/**
 * Every API kafkalab declares, in one list: the client, the emulator's routing and its ApiVersions
 * answer, the decode CLI and the tests all read it from here.
 */
import type { ApiSpec } from '../schema/declare.js';
import { Produce } from './00-produce.js';
import { Fetch } from './01-fetch.js';
import { ListOffsets } from './02-list-offsets.js';
import { Metadata } from './03-metadata.js';
import { LeaderAndIsr } from './04-leader-and-isr.js';
import { StopReplica } from './05-stop-replica.js';
import { UpdateMetadata } from './06-update-metadata.js';
import { ControlledShutdown } from './07-controlled-shutdown.js';
import { OffsetCommit } from './08-offset-commit.js';
import { OffsetFetch } from './09-offset-fetch.js';
import { FindCoordinator } from './10-find-coordinator.js';
import { JoinGroup } from './11-join-group.js';
import { Heartbeat } from './12-heartbeat.js';
import { LeaveGroup } from './13-leave-group.js';
import { SyncGroup } from './14-sync-group.js';
import { DescribeGroups } from './15-describe-groups.js';
import { ListGroups } from './16-list-groups.js';
import { SaslHandshake } from './17-sasl-handshake.js';
import { ApiVersions } from './18-api-versions.js';
import { CreateTopics } from './19-create-topics.js';
import { DeleteTopics } from './20-delete-topics.js';
import { DeleteRecords } from './21-delete-records.js';
import { InitProducerId } from './22-init-producer-id.js';
import { OffsetForLeaderEpoch } from './23-offset-for-leader-epoch.js';
import { AddPartitionsToTxn } from './24-add-partitions-to-txn.js';
import { AddOffsetsToTxn } from './25-add-offsets-to-txn.js';
import { EndTxn } from './26-end-txn.js';
import { WriteTxnMarkers } from './27-write-txn-markers.js';
import { TxnOffsetCommit } from './28-txn-offset-commit.js';
import { DescribeAcls } from './29-describe-acls.js';
import { CreateAcls } from './30-create-acls.js';
import { DeleteAcls } from './31-delete-acls.js';
import { DescribeConfigs } from './32-describe-configs.js';
import { AlterConfigs } from './33-alter-configs.js';
import { AlterReplicaLogDirs } from './34-alter-replica-log-dirs.js';
import { DescribeLogDirs } from './35-describe-log-dirs.js';
import { SaslAuthenticate } from './36-sasl-authenticate.js';
import { CreatePartitions } from './37-create-partitions.js';
import { CreateDelegationToken } from './38-create-delegation-token.js';
import { RenewDelegationToken } from './39-renew-delegation-token.js';
import { ExpireDelegationToken } from './40-expire-delegation-token.js';
import { DescribeDelegationToken } from './41-describe-delegation-token.js';
import { DeleteGroups } from './42-delete-groups.js';
import { ElectLeaders } from './43-elect-leaders.js';
import { IncrementalAlterConfigs } from './44-incremental-alter-configs.js';
import { AlterPartitionReassignments } from './45-alter-partition-reassignments.js';
import { ListPartitionReassignments } from './46-list-partition-reassignments.js';
import { OffsetDelete } from './47-offset-delete.js';
import { DescribeClientQuotas } from './48-describe-client-quotas.js';
import { AlterClientQuotas } from './49-alter-client-quotas.js';
import { DescribeUserScramCredentials } from './50-describe-user-scram-credentials.js';
import { AlterUserScramCredentials } from './51-alter-user-scram-credentials.js';
import { Vote } from './52-vote.js';
import { BeginQuorumEpoch } from './53-begin-quorum-epoch.js';
import { EndQuorumEpoch } from './54-end-quorum-epoch.js';
import { DescribeQuorum } from './55-describe-quorum.js';
import { AlterPartition } from './56-alter-partition.js';
import { UpdateFeatures } from './57-update-features.js';
import { Envelope } from './58-envelope.js';
import { FetchSnapshot } from './59-fetch-snapshot.js';
import { DescribeCluster } from './60-describe-cluster.js';
import { DescribeProducers } from './61-describe-producers.js';
import { BrokerRegistration } from './62-broker-registration.js';
import { BrokerHeartbeat } from './63-broker-heartbeat.js';
import { UnregisterBroker } from './64-unregister-broker.js';
import { DescribeTransactions } from './65-describe-transactions.js';
import { ListTransactions } from './66-list-transactions.js';
import { AllocateProducerIds } from './67-allocate-producer-ids.js';
import { ConsumerGroupHeartbeat } from './68-consumer-group-heartbeat.js';
import { ConsumerGroupDescribe } from './69-consumer-group-describe.js';
import { ControllerRegistration } from './70-controller-registration.js';
import { GetTelemetrySubscriptions } from './71-get-telemetry-subscriptions.js';
import { PushTelemetry } from './72-push-telemetry.js';
import { AssignReplicasToDirs } from './73-assign-replicas-to-dirs.js';
import { ListConfigResources } from './74-list-config-resources.js';
import { DescribeTopicPartitions } from './75-describe-topic-partitions.js';
import { ShareGroupHeartbeat } from './76-share-group-heartbeat.js';
import { ShareGroupDescribe } from './77-share-group-describe.js';
import { ShareFetch } from './78-share-fetch.js';
import { ShareAcknowledge } from './79-share-acknowledge.js';
import { AddRaftVoter } from './80-add-raft-voter.js';
import { RemoveRaftVoter } from './81-remove-raft-voter.js';
import { UpdateRaftVoter } from './82-update-raft-voter.js';
import { InitializeShareGroupState } from './83-initialize-share-group-state.js';
import { ReadShareGroupState } from './84-read-share-group-state.js';
import { WriteShareGroupState } from './85-write-share-group-state.js';
import { DeleteShareGroupState } from './86-delete-share-group-state.js';
import { ReadShareGroupStateSummary } from './87-read-share-group-state-summary.js';
import { StreamsGroupHeartbeat } from './88-streams-group-heartbeat.js';
import { StreamsGroupDescribe } from './89-streams-group-describe.js';
import { DescribeShareGroupOffsets } from './90-describe-share-group-offsets.js';
import { AlterShareGroupOffsets } from './91-alter-share-group-offsets.js';
import { DeleteShareGroupOffsets } from './92-delete-share-group-offsets.js';

export type { ProduceRequest, ProduceResponse } from './00-produce.js';
export type { FetchRequest, FetchResponse } from './01-fetch.js';
export type { ListOffsetsRequest, ListOffsetsResponse } from './02-list-offsets.js';
export type { MetadataRequest, MetadataResponse } from './03-metadata.js';
export type { LeaderAndIsrRequest, LeaderAndIsrResponse } from './04-leader-and-isr.js';
export type { StopReplicaRequest, StopReplicaResponse } from './05-stop-replica.js';
export type { UpdateMetadataRequest, UpdateMetadataResponse } from './06-update-metadata.js';
export type { ControlledShutdownRequest, ControlledShutdownResponse } from './07-controlled-shutdown.js';
export type { OffsetCommitRequest, OffsetCommitResponse } from './08-offset-commit.js';
export type { OffsetFetchRequest, OffsetFetchResponse } from './09-offset-fetch.js';
export type { FindCoordinatorRequest, FindCoordinatorResponse } from './10-find-coordinator.js';
export type { JoinGroupRequest, JoinGroupResponse } from './11-join-group.js';
export type { HeartbeatRequest, HeartbeatResponse } from './12-heartbeat.js';
export type { LeaveGroupRequest, LeaveGroupResponse } from './13-leave-group.js';
export type { SyncGroupRequest, SyncGroupResponse } from './14-sync-group.js';
export type { DescribeGroupsRequest, DescribeGroupsResponse } from './15-describe-groups.js';
export type { ListGroupsRequest, ListGroupsResponse } from './16-list-groups.js';
export type { SaslHandshakeRequest, SaslHandshakeResponse } from './17-sasl-handshake.js';
export type { ApiVersionsRequest, ApiVersionsResponse } from './18-api-versions.js';
export type { CreateTopicsRequest, CreateTopicsResponse } from './19-create-topics.js';
export type { DeleteTopicsRequest, DeleteTopicsResponse } from './20-delete-topics.js';
export type { DeleteRecordsRequest, DeleteRecordsResponse } from './21-delete-records.js';
export type { InitProducerIdRequest, InitProducerIdResponse } from './22-init-producer-id.js';
export type {
  OffsetForLeaderEpochRequest,
  OffsetForLeaderEpochResponse,
} from './23-offset-for-leader-epoch.js';
export type { AddPartitionsToTxnRequest, AddPartitionsToTxnResponse } from './24-add-partitions-to-txn.js';
export type { AddOffsetsToTxnRequest, AddOffsetsToTxnResponse } from './25-add-offsets-to-txn.js';
export type { EndTxnRequest, EndTxnResponse } from './26-end-txn.js';
export type { WriteTxnMarkersRequest, WriteTxnMarkersResponse } from './27-write-txn-markers.js';
export type { TxnOffsetCommitRequest, TxnOffsetCommitResponse } from './28-txn-offset-commit.js';
export type { DescribeAclsRequest, DescribeAclsResponse } from './29-describe-acls.js';
export type { CreateAclsRequest, CreateAclsResponse } from './30-create-acls.js';
export type { DeleteAclsRequest, DeleteAclsResponse } from './31-delete-acls.js';
export type { DescribeConfigsRequest, DescribeConfigsResponse } from './32-describe-configs.js';
export type { AlterConfigsRequest, AlterConfigsResponse } from './33-alter-configs.js';
export type { AlterReplicaLogDirsRequest, AlterReplicaLogDirsResponse } from './34-alter-replica-log-dirs.js';
export type { DescribeLogDirsRequest, DescribeLogDirsResponse } from './35-describe-log-dirs.js';
export type { SaslAuthenticateRequest, SaslAuthenticateResponse } from './36-sasl-authenticate.js';
export type { CreatePartitionsRequest, CreatePartitionsResponse } from './37-create-partitions.js';
export type {
  CreateDelegationTokenRequest,
  CreateDelegationTokenResponse,
} from './38-create-delegation-token.js';
export type {
  RenewDelegationTokenRequest,
  RenewDelegationTokenResponse,
} from './39-renew-delegation-token.js';
export type {
  ExpireDelegationTokenRequest,
  ExpireDelegationTokenResponse,
} from './40-expire-delegation-token.js';
export type {
  DescribeDelegationTokenRequest,
  DescribeDelegationTokenResponse,
} from './41-describe-delegation-token.js';
export type { DeleteGroupsRequest, DeleteGroupsResponse } from './42-delete-groups.js';
export type { ElectLeadersRequest, ElectLeadersResponse } from './43-elect-leaders.js';
export type {
  IncrementalAlterConfigsRequest,
  IncrementalAlterConfigsResponse,
} from './44-incremental-alter-configs.js';
export type {
  AlterPartitionReassignmentsRequest,
  AlterPartitionReassignmentsResponse,
} from './45-alter-partition-reassignments.js';
export type {
  ListPartitionReassignmentsRequest,
  ListPartitionReassignmentsResponse,
} from './46-list-partition-reassignments.js';
export type { OffsetDeleteRequest, OffsetDeleteResponse } from './47-offset-delete.js';
export type {
  DescribeClientQuotasRequest,
  DescribeClientQuotasResponse,
} from './48-describe-client-quotas.js';
export type { AlterClientQuotasRequest, AlterClientQuotasResponse } from './49-alter-client-quotas.js';
export type {
  DescribeUserScramCredentialsRequest,
  DescribeUserScramCredentialsResponse,
} from './50-describe-user-scram-credentials.js';
export type {
  AlterUserScramCredentialsRequest,
  AlterUserScramCredentialsResponse,
} from './51-alter-user-scram-credentials.js';
export type { VoteRequest, VoteResponse } from './52-vote.js';
export type { BeginQuorumEpochRequest, BeginQuorumEpochResponse } from './53-begin-quorum-epoch.js';
export type { EndQuorumEpochRequest, EndQuorumEpochResponse } from './54-end-quorum-epoch.js';
export type { DescribeQuorumRequest, DescribeQuorumResponse } from './55-describe-quorum.js';
export type { AlterPartitionRequest, AlterPartitionResponse } from './56-alter-partition.js';
export type { UpdateFeaturesRequest, UpdateFeaturesResponse } from './57-update-features.js';
export type { EnvelopeRequest, EnvelopeResponse } from './58-envelope.js';
export type { FetchSnapshotRequest, FetchSnapshotResponse } from './59-fetch-snapshot.js';
export type { DescribeClusterRequest, DescribeClusterResponse } from './60-describe-cluster.js';
export type { DescribeProducersRequest, DescribeProducersResponse } from './61-describe-producers.js';
export type { BrokerRegistrationRequest, BrokerRegistrationResponse } from './62-broker-registration.js';
export type { BrokerHeartbeatRequest, BrokerHeartbeatResponse } from './63-broker-heartbeat.js';
export type { UnregisterBrokerRequest, UnregisterBrokerResponse } from './64-unregister-broker.js';
export type {
  DescribeTransactionsRequest,
  DescribeTransactionsResponse,
} from './65-describe-transactions.js';
export type { ListTransactionsRequest, ListTransactionsResponse } from './66-list-transactions.js';
export type { AllocateProducerIdsRequest, AllocateProducerIdsResponse } from './67-allocate-producer-ids.js';
export type {
  ConsumerGroupHeartbeatRequest,
  ConsumerGroupHeartbeatResponse,
} from './68-consumer-group-heartbeat.js';
export type {
  ConsumerGroupDescribeRequest,
  ConsumerGroupDescribeResponse,
} from './69-consumer-group-describe.js';
export type {
  ControllerRegistrationRequest,
  ControllerRegistrationResponse,
} from './70-controller-registration.js';
export type {
  GetTelemetrySubscriptionsRequest,
  GetTelemetrySubscriptionsResponse,
} from './71-get-telemetry-subscriptions.js';
export type { PushTelemetryRequest, PushTelemetryResponse } from './72-push-telemetry.js';
export type {
  AssignReplicasToDirsRequest,
  AssignReplicasToDirsResponse,
} from './73-assign-replicas-to-dirs.js';
export type { ListConfigResourcesRequest, ListConfigResourcesResponse } from './74-list-config-resources.js';
export type {
  DescribeTopicPartitionsRequest,
  DescribeTopicPartitionsResponse,
} from './75-describe-topic-partitions.js';
export type { ShareGroupHeartbeatRequest, ShareGroupHeartbeatResponse } from './76-share-group-heartbeat.js';
export type { ShareGroupDescribeRequest, ShareGroupDescribeResponse } from './77-share-group-describe.js';
export type { ShareFetchRequest, ShareFetchResponse } from './78-share-fetch.js';
export type { ShareAcknowledgeRequest, ShareAcknowledgeResponse } from './79-share-acknowledge.js';
export type { AddRaftVoterRequest, AddRaftVoterResponse } from './80-add-raft-voter.js';
export type { RemoveRaftVoterRequest, RemoveRaftVoterResponse } from './81-remove-raft-voter.js';
export type { UpdateRaftVoterRequest, UpdateRaftVoterResponse } from './82-update-raft-voter.js';
export type {
  InitializeShareGroupStateRequest,
  InitializeShareGroupStateResponse,
} from './83-initialize-share-group-state.js';
export type { ReadShareGroupStateRequest, ReadShareGroupStateResponse } from './84-read-share-group-state.js';
export type {
  WriteShareGroupStateRequest,
  WriteShareGroupStateResponse,
} from './85-write-share-group-state.js';
export type {
  DeleteShareGroupStateRequest,
  DeleteShareGroupStateResponse,
} from './86-delete-share-group-state.js';
export type {
  ReadShareGroupStateSummaryRequest,
  ReadShareGroupStateSummaryResponse,
} from './87-read-share-group-state-summary.js';
export type {
  StreamsGroupHeartbeatRequest,
  StreamsGroupHeartbeatResponse,
} from './88-streams-group-heartbeat.js';
export type {
  StreamsGroupDescribeRequest,
  StreamsGroupDescribeResponse,
} from './89-streams-group-describe.js';
export type {
  DescribeShareGroupOffsetsRequest,
  DescribeShareGroupOffsetsResponse,
} from './90-describe-share-group-offsets.js';
export type {
  AlterShareGroupOffsetsRequest,
  AlterShareGroupOffsetsResponse,
} from './91-alter-share-group-offsets.js';
export type {
  DeleteShareGroupOffsetsRequest,
  DeleteShareGroupOffsetsResponse,
} from './92-delete-share-group-offsets.js';
// The consumer's JoinGroup/SyncGroup payloads: not APIs, so not in ALL_APIS.
export * from './consumer-protocol.js';
export {
  AddOffsetsToTxn,
  AddPartitionsToTxn,
  AddRaftVoter,
  AllocateProducerIds,
  AlterClientQuotas,
  AlterConfigs,
  AlterPartition,
  AlterPartitionReassignments,
  AlterReplicaLogDirs,
  AlterShareGroupOffsets,
  AlterUserScramCredentials,
  ApiVersions,
  AssignReplicasToDirs,
  BeginQuorumEpoch,
  BrokerHeartbeat,
  BrokerRegistration,
  ConsumerGroupDescribe,
  ConsumerGroupHeartbeat,
  ControlledShutdown,
  ControllerRegistration,
  CreateAcls,
  CreateDelegationToken,
  CreatePartitions,
  CreateTopics,
  DeleteAcls,
  DeleteGroups,
  DeleteRecords,
  DeleteShareGroupOffsets,
  DeleteShareGroupState,
  DeleteTopics,
  DescribeAcls,
  DescribeClientQuotas,
  DescribeCluster,
  DescribeConfigs,
  DescribeDelegationToken,
  DescribeGroups,
  DescribeLogDirs,
  DescribeProducers,
  DescribeQuorum,
  DescribeShareGroupOffsets,
  DescribeTopicPartitions,
  DescribeTransactions,
  DescribeUserScramCredentials,
  ElectLeaders,
  EndQuorumEpoch,
  EndTxn,
  Envelope,
  ExpireDelegationToken,
  Fetch,
  FetchSnapshot,
  FindCoordinator,
  GetTelemetrySubscriptions,
  Heartbeat,
  IncrementalAlterConfigs,
  InitializeShareGroupState,
  InitProducerId,
  JoinGroup,
  LeaderAndIsr,
  LeaveGroup,
  ListConfigResources,
  ListGroups,
  ListOffsets,
  ListPartitionReassignments,
  ListTransactions,
  Metadata,
  OffsetCommit,
  OffsetDelete,
  OffsetFetch,
  OffsetForLeaderEpoch,
  Produce,
  PushTelemetry,
  ReadShareGroupState,
  ReadShareGroupStateSummary,
  RemoveRaftVoter,
  RenewDelegationToken,
  SaslAuthenticate,
  SaslHandshake,
  ShareAcknowledge,
  ShareFetch,
  ShareGroupDescribe,
  ShareGroupHeartbeat,
  StopReplica,
  StreamsGroupDescribe,
  StreamsGroupHeartbeat,
  SyncGroup,
  TxnOffsetCommit,
  UnregisterBroker,
  UpdateFeatures,
  UpdateMetadata,
  UpdateRaftVoter,
  Vote,
  WriteShareGroupState,
  WriteTxnMarkers,
};

export const ALL_APIS: readonly ApiSpec[] = [
  Produce,
  Fetch,
  ListOffsets,
  Metadata,
  LeaderAndIsr,
  StopReplica,
  UpdateMetadata,
  ControlledShutdown,
  OffsetCommit,
  OffsetFetch,
  FindCoordinator,
  JoinGroup,
  Heartbeat,
  LeaveGroup,
  SyncGroup,
  DescribeGroups,
  ListGroups,
  SaslHandshake,
  ApiVersions,
  CreateTopics,
  DeleteTopics,
  DeleteRecords,
  InitProducerId,
  OffsetForLeaderEpoch,
  AddPartitionsToTxn,
  AddOffsetsToTxn,
  EndTxn,
  WriteTxnMarkers,
  TxnOffsetCommit,
  DescribeAcls,
  CreateAcls,
  DeleteAcls,
  DescribeConfigs,
  AlterConfigs,
  AlterReplicaLogDirs,
  DescribeLogDirs,
  SaslAuthenticate,
  CreatePartitions,
  CreateDelegationToken,
  RenewDelegationToken,
  ExpireDelegationToken,
  DescribeDelegationToken,
  DeleteGroups,
  ElectLeaders,
  IncrementalAlterConfigs,
  AlterPartitionReassignments,
  ListPartitionReassignments,
  OffsetDelete,
  DescribeClientQuotas,
  AlterClientQuotas,
  DescribeUserScramCredentials,
  AlterUserScramCredentials,
  Vote,
  BeginQuorumEpoch,
  EndQuorumEpoch,
  DescribeQuorum,
  AlterPartition,
  UpdateFeatures,
  Envelope,
  FetchSnapshot,
  DescribeCluster,
  DescribeProducers,
  BrokerRegistration,
  BrokerHeartbeat,
  UnregisterBroker,
  DescribeTransactions,
  ListTransactions,
  AllocateProducerIds,
  ConsumerGroupHeartbeat,
  ConsumerGroupDescribe,
  ControllerRegistration,
  GetTelemetrySubscriptions,
  PushTelemetry,
  AssignReplicasToDirs,
  ListConfigResources,
  DescribeTopicPartitions,
  ShareGroupHeartbeat,
  ShareGroupDescribe,
  ShareFetch,
  ShareAcknowledge,
  AddRaftVoter,
  RemoveRaftVoter,
  UpdateRaftVoter,
  InitializeShareGroupState,
  ReadShareGroupState,
  WriteShareGroupState,
  DeleteShareGroupState,
  ReadShareGroupStateSummary,
  StreamsGroupHeartbeat,
  StreamsGroupDescribe,
  DescribeShareGroupOffsets,
  AlterShareGroupOffsets,
  DeleteShareGroupOffsets,
].sort((a, b) => a.apiKey - b.apiKey);

const byKey = new Map<number, ApiSpec>(ALL_APIS.map((a) => [a.apiKey, a]));
const byName = new Map<string, ApiSpec>(ALL_APIS.map((a) => [a.name.toLowerCase(), a]));

export function apiByKey(apiKey: number): ApiSpec | undefined {
  return byKey.get(apiKey);
}

/** Looks an API up by Kafka's name (`Metadata`, `metadata`, `MetadataRequest`) or by its key as text. */
export function apiByName(name: string): ApiSpec | undefined {
  if (/^\d+$/.test(name)) return byKey.get(Number(name));
  return byName.get(name.toLowerCase().replace(/(request|response)$/, ''));
}
