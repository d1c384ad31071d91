/**
 * One broker of the emulated cluster: its node id, rack, the address it advertises to clients, and
 * whether it is up. Several brokers share one Cluster (the state); each has its own listener
 * (server.ts), so a client reaches a broker by its address as it would a Kafka node. A single-broker
 * emulator is the cluster of one.
 */

/** A broker as clients see it: node id and advertised address (known only once listening). */
export interface BrokerEndpoint {
  nodeId: number;
  host: string;
  port: number;
}

export class Broker implements BrokerEndpoint {
  readonly nodeId: number;
  /** broker.rack; null when the cluster has no racks (Metadata's rack field). */
  readonly rack: string | null;
  /** Advertised host (advertised.listeners); set by startEmulator once the listener is bound. */
  host: string;
  /** Advertised port; 0 until bound when port 0 was asked for. */
  port: number;
  /**
   * Whether the broker is registered and unfenced. A broker that is down serves no connections and
   * holds no leadership; the controller (controller.ts) places and elects over the live ones only.
   */
  up = true;

  constructor(endpoint: BrokerEndpoint & { rack?: string | null }) {
    this.nodeId = endpoint.nodeId;
    this.rack = endpoint.rack ?? null;
    this.host = endpoint.host;
    this.port = endpoint.port;
  }

  /**
   * Advertised address per listener name when the broker has several (issue 17): a client is told the
   * address of the listener its request came in on, as Kafka's Metadata answers per listener.
   */
  readonly listenerEndpoints = new Map<string, { host: string; port: number }>();

  /** The address to tell a client connected on `listener` (host/port when that listener has none). */
  endpointFor(listener: string | undefined): { host: string; port: number } {
    const e = listener === undefined ? undefined : this.listenerEndpoints.get(listener);
    return { host: e?.host ?? this.host, port: e?.port ?? this.port };
  }

  /** `host:port`, what a client puts in bootstrap.servers. */
  get address(): string {
    return `${this.host}:${this.port}`;
  }
}
