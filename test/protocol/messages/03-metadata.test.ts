// Golden frames for Metadata v13 (KIP-1102), the version Kafka 4.x's own tools send. Worked out by
// hand from the protocol rules: v13 is flexible, so the request header is v2 (its clientId still the
// classic int16-length string) and the response header v1; compact N+1 lengths and counts, a tag
// buffer closing every struct. v13 differs from v12 by one int16 only: the response's top-level
// errorCode, after the topics (v8-10's clusterAuthorizedOperations is gone since v11).
import { describe, expect, it } from 'vitest';
import {
  decodeRequestFrame,
  decodeResponseFrame,
  encodeRequestFrame,
  encodeResponseFrame,
} from '../../../src/protocol/frame.js';
import { Metadata } from '../../../src/protocol/messages/03-metadata.js';
import { codecFor } from '../../../src/protocol/schema/codec.js';
import { hexLayout, uuidOf } from './hex-layout.js';

const TOPIC_ID = uuidOf('000102030405060708090a0b0c0d0e0f');

describe('Metadata v13 golden frames', () => {
  it('request frame: header v2, one topic by id and name', () => {
    const frame = hexLayout(`
      00000025                          size: 37 bytes follow (14 header + 23 body)
      0003                              requestApiKey: 3 Metadata
      000d                              requestApiVersion: 13
      0000002a                          correlationId: 42
      0003 636c69                       clientId: classic NULLABLE_STRING "cli" (int16 length, even in v2)
      00                                header tag buffer: no tagged fields
      02                                topics: COMPACT_NULLABLE_ARRAY 1 element (+1; 0 would be null = all)
        000102030405060708090a0b0c0d0e0f  topicId: uuid, 16 raw bytes
        02 74                           name: COMPACT_NULLABLE_STRING "t" (1 byte +1)
        00                              MetadataRequestTopic tag buffer
      00                                allowAutoTopicCreation: false
      01                                includeTopicAuthorizedOperations: true
      00                                request tag buffer
    `);
    const body = {
      topics: [{ topicId: TOPIC_ID, name: 't' }],
      allowAutoTopicCreation: false,
      includeTopicAuthorizedOperations: true,
    };
    expect(
      encodeRequestFrame({ api: Metadata, version: 13, correlationId: 42, clientId: 'cli', body }),
    ).toEqual(frame);
    const decoded = decodeRequestFrame(frame);
    expect(decoded.header).toEqual({
      requestApiKey: 3,
      requestApiVersion: 13,
      correlationId: 42,
      clientId: 'cli',
    });
    expect(decoded.headerVersion).toBe(2);
    // includeClusterAuthorizedOperations (v8-10) is not on the wire: it decodes to its default.
    expect(decoded.body).toEqual({ ...body, includeClusterAuthorizedOperations: false });
  });

  it('response frame: header v1, one broker, one topic, the top-level errorCode last', () => {
    const frame = hexLayout(`
      00000057                          size: 87 bytes follow (5 header + 82 body)
      0000002a                          correlationId: 42
      00                                response header v1 tag buffer
      00000000                          throttleTimeMs: 0
      02                                brokers: COMPACT_ARRAY 1 element
        00000001                        nodeId: 1
        03 6231                         host: COMPACT_STRING "b1"
        00002384                        port: 9092
        00                              rack: COMPACT_NULLABLE_STRING null
        00                              MetadataResponseBroker tag buffer
      03 6331                           clusterId: "c1"
      00000001                          controllerId: 1
      02                                topics: 1 element
        0000                            errorCode: 0
        02 74                           name: "t"
        000102030405060708090a0b0c0d0e0f  topicId
        00                              isInternal: false
        02                              partitions: 1 element
          0000                          errorCode: 0
          00000000                      partitionIndex: 0
          00000001                      leaderId: 1
          00000005                      leaderEpoch: 5
          02 00000001                   replicaNodes: [1]
          02 00000001                   isrNodes: [1]
          01                            offlineReplicas: [] (0 elements +1)
          00                            MetadataResponsePartition tag buffer
        00000df8                        topicAuthorizedOperations: AclOperation bits 3-8, 10, 11
        00                              MetadataResponseTopic tag buffer
      0000                              errorCode: 0 (v13+, KIP-1102) — no clusterAuthorizedOperations since v11
      00                                response tag buffer
    `);
    const body = {
      throttleTimeMs: 0,
      brokers: [{ nodeId: 1, host: 'b1', port: 9092, rack: null }],
      clusterId: 'c1',
      controllerId: 1,
      topics: [
        {
          errorCode: 0,
          name: 't',
          topicId: TOPIC_ID,
          isInternal: false,
          partitions: [
            {
              errorCode: 0,
              partitionIndex: 0,
              leaderId: 1,
              leaderEpoch: 5,
              replicaNodes: [1],
              isrNodes: [1],
              offlineReplicas: [],
            },
          ],
          topicAuthorizedOperations: 0xdf8,
        },
      ],
      errorCode: 0,
    };
    expect(encodeResponseFrame({ api: Metadata, version: 13, correlationId: 42, body })).toEqual(frame);
    const decoded = decodeResponseFrame(frame, Metadata, 13);
    expect(decoded.header).toEqual({ correlationId: 42 });
    expect(decoded.headerVersion).toBe(1);
    expect(decoded.body).toEqual({ ...body, clusterAuthorizedOperations: -2147483648 });

    // The same answer at v12 is these bytes without the errorCode's two (the body's last 3 bytes are
    // errorCode 0000 and the tag buffer 00).
    const v13Body = frame.subarray(4 + 5);
    const v12Body = Buffer.concat([v13Body.subarray(0, v13Body.length - 3), v13Body.subarray(-1)]);
    expect(codecFor(Metadata.response, 12).encode(body)).toEqual(v12Body);
    expect(codecFor(Metadata.response, 12).decode(v12Body)).toEqual(decoded.body);
  });

  it('response body: REBOOTSTRAP_REQUIRED (129) from a proxy, nothing else known', () => {
    const bytes = hexLayout(`
      00000000      throttleTimeMs: 0
      01            brokers: 0 elements
      00            clusterId: null
      ffffffff      controllerId: -1
      01            topics: 0 elements
      0081          errorCode: 129 REBOOTSTRAP_REQUIRED
      00            response tag buffer
    `);
    const value = {
      throttleTimeMs: 0,
      brokers: [],
      clusterId: null,
      controllerId: -1,
      topics: [],
      clusterAuthorizedOperations: -2147483648,
      errorCode: 129,
    };
    const codec = codecFor(Metadata.response, 13);
    expect(codec.encode(value)).toEqual(bytes);
    expect(codec.decode(bytes)).toEqual(value);
    // v12 has no place for it; the field is ignorable, so it is dropped rather than refused.
    expect(codecFor(Metadata.response, 12).encode(value).length).toBe(bytes.length - 2);
  });
});
