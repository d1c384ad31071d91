/**
 * KIP-584 feature versions as ApiVersions v3+ reports them: what a freshly formatted Apache Kafka
 * 4.1.1 broker (conformance/real-kafka/kafka.sh, no --feature flags) supports and finalizes, read off
 * its ApiVersions v4 answer. A client decides on them: Java's producer uses transactions V2 (KIP-890
 * part 2: Produce v12 adds partitions implicitly, EndTxn v5 bumps the epoch per transaction) only when
 * transaction.version 2 is finalized, which is why the emulator advertises what Kafka does rather
 * than nothing.
 *
 * On a real cluster these live in the metadata log (FeatureLevelRecord) and UpdateFeatures changes
 * them; the emulator has no metadata log, so they are constants and UpdateFeatures is not served.
 */
export interface SupportedFeature {
  name: string;
  minVersion: number;
  maxVersion: number;
}

export interface FinalizedFeature {
  name: string;
  minVersionLevel: number;
  maxVersionLevel: number;
}

/** In the order Kafka 4.1.1 lists them. */
export const SUPPORTED_FEATURES: readonly SupportedFeature[] = [
  { name: 'group.version', minVersion: 0, maxVersion: 1 },
  { name: 'kraft.version', minVersion: 0, maxVersion: 1 },
  { name: 'metadata.version', minVersion: 7, maxVersion: 27 },
  { name: 'share.version', minVersion: 0, maxVersion: 1 },
  { name: 'transaction.version', minVersion: 0, maxVersion: 2 },
  { name: 'eligible.leader.replicas.version', minVersion: 0, maxVersion: 1 },
];

/** A fresh 4.1.1 cluster's levels: metadata.version 27 (4.1-IV1), group.version 1 (KIP-848), TV 2. */
export const FINALIZED_FEATURES: readonly FinalizedFeature[] = [
  { name: 'group.version', minVersionLevel: 1, maxVersionLevel: 1 },
  { name: 'transaction.version', minVersionLevel: 2, maxVersionLevel: 2 },
  { name: 'eligible.leader.replicas.version', minVersionLevel: 1, maxVersionLevel: 1 },
  { name: 'kraft.version', minVersionLevel: 1, maxVersionLevel: 1 },
  { name: 'metadata.version', minVersionLevel: 27, maxVersionLevel: 27 },
];

/**
 * On a real cluster the offset of the metadata record that last changed a feature (21 on a fresh
 * 4.1.1 node); any value ≥ 0 tells a client that features are finalized, -1 that none are.
 */
export const FINALIZED_FEATURES_EPOCH = 1n;
