import { connect, type JetStreamClient, type JetStreamManager, type NatsConnection } from 'nats';
import { silentLogger, type Logger } from '../log.js';
import { logFields, ProsperError } from '../errors.js';

export interface NatsLinkOptions {
  servers: string | string[];
  /** Shown in the server's connection list (e.g. `prosper-edge-eu1`). */
  name?: string;
  /** Pause between connection attempts. Default 500 ms. */
  reconnectWaitMs?: number;
  /** Per-attempt connect timeout. Default 2 s. */
  connectTimeoutMs?: number;
  log?: Logger;
}

type Listener = () => void;

/**
 * One NATS connection that keeps trying forever, from the first attempt on: an edge must start
 * and serve its miners while NATS is down. `up` says whether publishes can reach JetStream now;
 * listeners hear each transition (the edge sink replays its spool on `up`).
 */
export class NatsLink {
  nc: NatsConnection | undefined;
  js: JetStreamClient | undefined;
  up = false;
  private readonly upListeners = new Set<Listener>();
  private readonly downListeners = new Set<Listener>();
  private closing = false;
  private readonly connecting: Promise<void>;
  private readonly log: Logger;
  private wake: (() => void) | undefined;

  constructor(private readonly opts: NatsLinkOptions) {
    this.log = opts.log ?? silentLogger();
    this.connecting = this.run();
  }

  /** Resolves once connected the first time (or when closed before). */
  ready(): Promise<void> {
    return this.connecting;
  }

  onUp(fn: Listener): () => void {
    this.upListeners.add(fn);
    return () => this.upListeners.delete(fn);
  }

  onDown(fn: Listener): () => void {
    this.downListeners.add(fn);
    return () => this.downListeners.delete(fn);
  }

  async jetstreamManager(): Promise<JetStreamManager> {
    await this.ready();
    if (!this.nc) throw new ProsperError('PROSPER_E_CLUSTER_LINK', 'NATS link closed');
    return this.nc.jetstreamManager();
  }

  private async run(): Promise<void> {
    // Our own loop for the first connection (the client's waitOnFirstConnect cannot be cancelled).
    let nc: NatsConnection | undefined;
    let attempts = 0;
    while (!nc && !this.closing) {
      try {
        nc = await connect({
          servers: this.opts.servers,
          name: this.opts.name,
          maxReconnectAttempts: -1,
          reconnectTimeWait: this.opts.reconnectWaitMs ?? 500,
          reconnectJitter: 50,
          timeout: this.opts.connectTimeoutMs ?? 2000,
        });
      } catch (err) {
        if (attempts++ === 0) this.log.warn({ ...logFields(err) }, 'NATS unreachable; retrying');
        await new Promise<void>((resolve) => {
          this.wake = resolve;
          setTimeout(resolve, this.opts.reconnectWaitMs ?? 500);
        });
      }
    }
    if (!nc) return;
    if (this.closing) {
      await nc.close();
      return;
    }
    this.nc = nc;
    this.js = nc.jetstream();
    this.setUp(true);
    void (async () => {
      for await (const s of nc.status()) {
        if (s.type === 'disconnect') this.setUp(false);
        else if (s.type === 'reconnect') this.setUp(true);
      }
    })();
    void nc.closed().then(() => this.setUp(false));
  }

  private setUp(up: boolean): void {
    if (this.up === up) return;
    this.up = up;
    this.log.info({ up }, up ? 'NATS link up' : 'NATS link down');
    for (const fn of up ? this.upListeners : this.downListeners) {
      try {
        fn();
      } catch (err) {
        this.log.error({ err }, 'NATS link listener failed');
      }
    }
  }

  async close(): Promise<void> {
    this.closing = true;
    this.wake?.();
    await this.connecting;
    const nc = this.nc;
    if (!nc || nc.isClosed()) return;
    // Drain (let in-flight replies arrive) only when connected; a draining client that is
    // reconnecting would keep trying.
    if (this.up) await nc.drain().catch(() => nc.close());
    else await nc.close();
  }
}
