// DescribeLogDirs (API key 35): a broker's log directories and the size and lag of each replica in
// them (KIP-113; kafka-log-dirs.sh). A null topics list asks for every partition.
//
// Why the versions exist: v1 answers before throttling (KIP-219); v2 goes flexible; v3 adds a
// top-level error code (KIP-784); v4 adds each directory's total and usable bytes (KIP-827). Kafka 4.0
// removed v0 (KIP-896); kafka-clients 3.9.1 still carries it, and so do we.
import { api, field, type MessageValue, struct, types } from '../schema/declare.js';

export const DescribeLogDirs = api({
  apiKey: 35,
  name: 'DescribeLogDirs',
  request: {
    validVersions: '0-4',
    flexibleVersions: '2+',
    fields: {
      topics: field.array(
        '0+',
        struct('DescribableLogDirTopic', {
          topic: field.string('0+'),
          partitions: field.array('0+', types.int32),
        }),
        { nullableVersions: '0+' },
      ),
    },
  },
  response: {
    validVersions: '0-4',
    flexibleVersions: '2+',
    fields: {
      throttleTimeMs: field.int32('0+'),
      errorCode: field.int16('3+', { ignorable: true }),
      results: field.array(
        '0+',
        struct('DescribeLogDirsResult', {
          errorCode: field.int16('0+'),
          logDir: field.string('0+'),
          topics: field.array(
            '0+',
            struct('DescribeLogDirsTopic', {
              name: field.string('0+'),
              partitions: field.array(
                '0+',
                struct('DescribeLogDirsPartition', {
                  partitionIndex: field.int32('0+'),
                  partitionSize: field.int64('0+'),
                  offsetLag: field.int64('0+'),
                  isFutureKey: field.bool('0+'),
                }),
              ),
            }),
          ),
          totalBytes: field.int64('4+', { default: -1n, ignorable: true }),
          usableBytes: field.int64('4+', { default: -1n, ignorable: true }),
        }),
      ),
    },
  },
});

export type DescribeLogDirsRequest = MessageValue<typeof DescribeLogDirs.request>;
export type DescribeLogDirsResponse = MessageValue<typeof DescribeLogDirs.response>;
