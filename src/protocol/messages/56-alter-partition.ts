// AlterPartition (API key 56): a partition leader asks the controller to change the ISR (a follower
// caught up or fell behind) — formerly AlterIsr (KIP-497), renamed when it gained the leader
// recovery state (KIP-704). The controller answers with the partition epoch it committed.
// Broker to controller only.
//
// Why the versions exist: v1 adds leaderRecoveryState (KIP-704); v2 names topics by id instead of by
// name (KIP-841) and may answer INELIGIBLE_REPLICA, NEW_LEADER_ELECTED and UNKNOWN_TOPIC_ID; v3 sends
// each ISR member with its broker epoch (newIsrWithEpochs), so that a broker that restarted is not
// taken back into the ISR by a stale request (KIP-903). Kafka 4.0 removed v0-1 (KIP-896);
// kafka-clients 3.9.1 still carries them (with topicName), and so do we.
import { api, field, type MessageValue, struct, types } from '../schema/declare.js';

export const AlterPartition = api({
  apiKey: 56,
  name: 'AlterPartition',
  request: {
    validVersions: '0-3',
    flexibleVersions: '0+',
    fields: {
      brokerId: field.int32('0+'),
      brokerEpoch: field.int64('0+', { default: -1n }),
      topics: field.array(
        '0+',
        struct('TopicData', {
          // 3.9.1's JSON only: 4.1.1 dropped it with v0-1.
          topicName: field.string('0-1', { ignorable: true }),
          topicId: field.uuid('2+', { ignorable: true }),
          partitions: field.array(
            '0+',
            struct('PartitionData', {
              partitionIndex: field.int32('0+'),
              leaderEpoch: field.int32('0+'),
              newIsr: field.array('0-2', types.int32),
              newIsrWithEpochs: field.array(
                '3+',
                struct('BrokerState', {
                  brokerId: field.int32('3+'),
                  brokerEpoch: field.int64('3+', { default: -1n }),
                }),
              ),
              leaderRecoveryState: field.int8('1+', { default: 0 }),
              partitionEpoch: field.int32('0+'),
            }),
          ),
        }),
      ),
    },
  },
  response: {
    validVersions: '0-3',
    flexibleVersions: '0+',
    fields: {
      throttleTimeMs: field.int32('0+'),
      errorCode: field.int16('0+'),
      topics: field.array(
        '0+',
        struct('TopicData', {
          // 3.9.1's JSON only: 4.1.1 dropped it with v0-1.
          topicName: field.string('0-1', { ignorable: true }),
          topicId: field.uuid('2+', { ignorable: true }),
          partitions: field.array(
            '0+',
            struct('PartitionData', {
              partitionIndex: field.int32('0+'),
              errorCode: field.int16('0+'),
              leaderId: field.int32('0+'),
              leaderEpoch: field.int32('0+'),
              isr: field.array('0+', types.int32),
              leaderRecoveryState: field.int8('1+', { default: 0, ignorable: true }),
              partitionEpoch: field.int32('0+'),
            }),
          ),
        }),
      ),
    },
  },
});

export type AlterPartitionRequest = MessageValue<typeof AlterPartition.request>;
export type AlterPartitionResponse = MessageValue<typeof AlterPartition.response>;
