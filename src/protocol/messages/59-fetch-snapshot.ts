// FetchSnapshot (API key 59): a KRaft follower or observer that is too far behind for Fetch fetches
// the leader's latest metadata snapshot in chunks (KIP-630). The chunk travels as unalignedRecords:
// a byte range of the snapshot file, not cut at record batch boundaries.
//
// Why the versions exist: v1 adds the replica's directory id to the request and the leaders'
// endpoints to the response, both tagged, for dynamic quorums (KIP-853).
import { api, field, type MessageValue, struct } from '../schema/declare.js';

export const FetchSnapshot = api({
  apiKey: 59,
  name: 'FetchSnapshot',
  request: {
    validVersions: '0-1',
    flexibleVersions: '0+',
    fields: {
      clusterId: field.string('0+', { nullableVersions: '0+', default: null, taggedVersions: '0+', tag: 0 }),
      replicaId: field.int32('0+', { default: -1 }),
      maxBytes: field.int32('0+', { default: 0x7fffffff }),
      topics: field.array(
        '0+',
        struct('TopicSnapshot', {
          name: field.string('0+'),
          partitions: field.array(
            '0+',
            struct('PartitionSnapshot', {
              partition: field.int32('0+'),
              currentLeaderEpoch: field.int32('0+'),
              snapshotId: field.struct(
                '0+',
                struct('SnapshotId', {
                  endOffset: field.int64('0+'),
                  epoch: field.int32('0+'),
                }),
              ),
              position: field.int64('0+'),
              replicaDirectoryId: field.uuid('1+', { taggedVersions: '1+', tag: 0, ignorable: true }),
            }),
          ),
        }),
      ),
    },
  },
  response: {
    validVersions: '0-1',
    flexibleVersions: '0+',
    fields: {
      throttleTimeMs: field.int32('0+', { ignorable: true }),
      errorCode: field.int16('0+'),
      topics: field.array(
        '0+',
        struct('TopicSnapshot', {
          name: field.string('0+'),
          partitions: field.array(
            '0+',
            struct('PartitionSnapshot', {
              index: field.int32('0+'),
              errorCode: field.int16('0+'),
              snapshotId: field.struct(
                '0+',
                struct('SnapshotId', {
                  endOffset: field.int64('0+'),
                  epoch: field.int32('0+'),
                }),
              ),
              currentLeader: field.struct(
                '0+',
                struct('LeaderIdAndEpoch', {
                  leaderId: field.int32('0+'),
                  leaderEpoch: field.int32('0+'),
                }),
                { taggedVersions: '0+', tag: 0 },
              ),
              size: field.int64('0+'),
              position: field.int64('0+'),
              unalignedRecords: field.records('0+'),
            }),
          ),
        }),
      ),
      nodeEndpoints: field.array(
        '1+',
        struct('NodeEndpoint', {
          nodeId: field.int32('1+'),
          host: field.string('1+'),
          port: field.uint16('1+'),
        }),
        { taggedVersions: '1+', tag: 0 },
      ),
    },
  },
});

export type FetchSnapshotRequest = MessageValue<typeof FetchSnapshot.request>;
export type FetchSnapshotResponse = MessageValue<typeof FetchSnapshot.response>;
