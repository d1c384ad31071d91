// GetTelemetrySubscriptions (API key 71): KIP-714 client metrics. A client asks the broker which of its
// metrics the cluster wants, how often to push them and in which compression; the broker answers with
// a subscription id that later PushTelemetry requests must quote. A client that has no instance id yet
// sends the zero uuid and gets one assigned. Only v0 exists, flexible from the start.
import { api, field, type MessageValue, types } from '../schema/declare.js';

export const GetTelemetrySubscriptions = api({
  apiKey: 71,
  name: 'GetTelemetrySubscriptions',
  request: {
    validVersions: '0',
    flexibleVersions: '0+',
    fields: {
      clientInstanceId: field.uuid('0+'),
    },
  },
  response: {
    validVersions: '0',
    flexibleVersions: '0+',
    fields: {
      throttleTimeMs: field.int32('0+'),
      errorCode: field.int16('0+'),
      clientInstanceId: field.uuid('0+'),
      // Changes whenever the matching client-metrics configuration changes.
      subscriptionId: field.int32('0+'),
      // Record-batch compression codes (0 none, 1 gzip, 2 snappy, 3 lz4, 4 zstd), preferred first.
      acceptedCompressionTypes: field.array('0+', types.int8),
      pushIntervalMs: field.int32('0+'),
      telemetryMaxBytes: field.int32('0+'),
      deltaTemporality: field.bool('0+'),
      // Metric name prefixes; an empty list means "push nothing", a single "*" means everything.
      requestedMetrics: field.array('0+', types.string),
    },
  },
});

export type GetTelemetrySubscriptionsRequest = MessageValue<typeof GetTelemetrySubscriptions.request>;
export type GetTelemetrySubscriptionsResponse = MessageValue<typeof GetTelemetrySubscriptions.response>;
