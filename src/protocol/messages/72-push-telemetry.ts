// PushTelemetry (API key 72): KIP-714 client metrics. The client pushes the metrics its subscription
// asked for, as OpenTelemetry protobuf (OTLP MetricsData) in `metrics`, compressed with one of the
// accepted codecs; `terminating` marks the last push before the client closes. Only v0 exists,
// flexible from the start.
import { api, field, type MessageValue } from '../schema/declare.js';

export const PushTelemetry = api({
  apiKey: 72,
  name: 'PushTelemetry',
  request: {
    validVersions: '0',
    flexibleVersions: '0+',
    fields: {
      clientInstanceId: field.uuid('0+'),
      subscriptionId: field.int32('0+'),
      terminating: field.bool('0+'),
      compressionType: field.int8('0+'),
      metrics: field.bytes('0+'),
    },
  },
  response: {
    validVersions: '0',
    flexibleVersions: '0+',
    fields: {
      throttleTimeMs: field.int32('0+'),
      errorCode: field.int16('0+'),
    },
  },
});

export type PushTelemetryRequest = MessageValue<typeof PushTelemetry.request>;
export type PushTelemetryResponse = MessageValue<typeof PushTelemetry.response>;
