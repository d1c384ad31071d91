/** One member of a classic group: what it joined with, its assignment, and what it is parked on. */
import type { Timer } from '../../clock.js';
import {
  EMPTY_BYTES,
  type JoinGroupArgs,
  type JoinGroupResult,
  type MemberProtocol,
  type SyncGroupResult,
} from './types.js';

export class Member {
  memberId: string;
  readonly groupInstanceId: string | null;
  clientId: string;
  clientHost: string;
  sessionTimeoutMs: number;
  rebalanceTimeoutMs: number;
  protocolType: string;
  protocols: readonly MemberProtocol[];
  assignment: Uint8Array = EMPTY_BYTES;
  /** Set while a JoinGroup is parked for this member. */
  joinWaiter?: (result: JoinGroupResult) => void;
  /** Set while a SyncGroup is parked for this member. */
  syncWaiter?: (result: SyncGroupResult) => void;
  heartbeatTimer?: Timer;

  constructor(memberId: string, a: JoinGroupArgs) {
    this.memberId = memberId;
    this.groupInstanceId = a.groupInstanceId;
    this.clientId = a.clientId;
    this.clientHost = a.clientHost;
    this.sessionTimeoutMs = a.sessionTimeoutMs;
    this.rebalanceTimeoutMs = a.rebalanceTimeoutMs;
    this.protocolType = a.protocolType;
    this.protocols = a.protocols;
  }

  metadataFor(protocol: string | null): Uint8Array {
    return this.protocols.find((p) => p.name === protocol)?.metadata ?? EMPTY_BYTES;
  }

  sameProtocols(protocols: readonly MemberProtocol[]): boolean {
    return (
      protocols.length === this.protocols.length &&
      protocols.every(
        (p, i) => p.name === this.protocols[i].name && bytesEqual(p.metadata, this.protocols[i].metadata),
      )
    );
  }

  /**
   * What a rejoin changes: protocols and timeouts (ClassicGroup.updateMember). The client id and
   * host stay those of the first JoinGroup — also for a static member's next incarnation, which
   * Kafka's replaceStaticMember copies from the old one.
   */
  update(a: JoinGroupArgs): void {
    this.protocols = a.protocols;
    this.sessionTimeoutMs = a.sessionTimeoutMs;
    this.rebalanceTimeoutMs = a.rebalanceTimeoutMs;
  }
}

function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
