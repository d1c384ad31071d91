/** The decoding proxy: every frame between any Kafka client and any broker, decoded and recorded. */
export {
  ADDRESS_APIS,
  type AddressMap,
  addressesIn,
  type BrokerAddress,
  rewriteAddresses,
  rewriteResponseFrame,
} from './address-rewrite.js';
export {
  type KafkaProxy,
  type ProxyListener,
  type ProxyOptions,
  parseHostPort,
  startProxy,
} from './proxy.js';
export { proxyExplain, proxyRecordLine, proxyTraceLine } from './record.js';
export type { ProxyExchange } from './types.js';
