import { AckPolicy, headers, nanos, type ConsumerMessages, type JsMsg } from 'nats';
import { silentLogger, type Logger } from '../log.js';
import { decodeShare, shareMsgId, type EdgeShare } from './codec.js';
import type { NatsLink } from './link.js';
import type { ClusterNames } from './subjects.js';
import { logFields, ProsperError } from '../errors.js';

/** One share as the coordinator's callback sees it. */
export interface ShareDelivery {
  share: EdgeShare;
  /** The share's deduplication id (also its Nats-Msg-Id). */
  id: string;
  streamSeq: number;
  /** 1 on first delivery; more means an earlier attempt was not acknowledged. */
  deliveryCount: number;
}

export interface ShareConsumerOptions {
  link: NatsLink;
  names: ClusterNames;
  /** The durable consumer's name: the coordinator's position in the stream survives restarts. */
  durable?: string;
  /** Credits the share (ledger) and routes submission candidates; the share is acked after it resolves. */
  handle: (d: ShareDelivery) => Promise<void>;
  /** Shares handled at once (the ledger batches them). Default 256. */
  maxInFlight?: number;
  /** A share not acked this long after delivery is delivered again. Default 30 s. */
  ackWaitMs?: number;
  /** After this many failed deliveries a share is dead-lettered. Default 20. */
  maxDeliver?: number;
  /** Longest to wait for the server to confirm an ack. Default 5 s. */
  ackConfirmTimeoutMs?: number;
  /**
   * Wait for the server to confirm each ack (default). Off, an ack costs no round trip; a lost
   * ack then brings the share again, which is only safe when `handle` is idempotent per share id
   * (the coordinator's credit is: the store keeps credited share ids).
   */
  confirmAcks?: boolean;
  /** Pause before a failed share is delivered again. Default 1 s. */
  retryDelayMs?: number;
  log?: Logger;
}

/**
 * The coordinator's reader of the shares stream: a durable pull consumer with explicit acks.
 * Each share is acked only after the callback resolved (and the server confirmed the ack), so a
 * coordinator that dies mid-share gets it again after restart, and one that acked never does.
 * Undecodable messages and shares that keep failing are moved to the dead-letter stream (copied,
 * then acked away) with a log line, never crashing the loop.
 */
export class ShareConsumer {
  /** Shares whose ack the server confirmed. */
  handled = 0;
  deadLettered = 0;
  /** Acks sent without confirmation (the link dropped): those shares may be delivered again. */
  ackFailures = 0;
  private messages: ConsumerMessages | undefined;
  private loop: Promise<void> | undefined;
  private readonly inFlight = new Set<Promise<void>>();
  private slotFreed: (() => void) | undefined;
  private stopping = false;
  private readonly log: Logger;

  constructor(private readonly o: ShareConsumerOptions) {
    this.log = o.log ?? silentLogger();
  }

  get durable(): string {
    return this.o.durable ?? `${this.o.names.prefix}_coordinator`;
  }

  /** Creates (or updates) the durable consumer and starts handing shares to the callback. */
  async start(): Promise<void> {
    const jsm = await this.o.link.jetstreamManager();
    const maxInFlight = this.o.maxInFlight ?? 256;
    const config = {
      durable_name: this.durable,
      ack_policy: AckPolicy.Explicit,
      ack_wait: nanos(this.o.ackWaitMs ?? 30_000),
      max_ack_pending: maxInFlight * 4,
      filter_subject: this.o.names.sharesWildcard,
    };
    const exists = await jsm.consumers.info(this.o.names.sharesStream, this.durable).then(() => true, () => false);
    if (exists) await jsm.consumers.update(this.o.names.sharesStream, this.durable, { ack_wait: config.ack_wait, max_ack_pending: config.max_ack_pending });
    else await jsm.consumers.add(this.o.names.sharesStream, config);
    const js = this.o.link.js;
    if (!js) throw new ProsperError('PROSPER_E_CLUSTER_LINK', 'NATS link closed');
    const consumer = await js.consumers.get(this.o.names.sharesStream, this.durable);
    this.messages = await consumer.consume({ max_messages: maxInFlight });
    this.loop = this.run(this.messages, maxInFlight);
  }

  private async run(messages: ConsumerMessages, maxInFlight: number): Promise<void> {
    try {
      for await (const m of messages) {
        while (this.inFlight.size >= maxInFlight && !this.stopping) await new Promise<void>((r) => (this.slotFreed = r));
        // Not handled, not acked: the server delivers it again after the ack wait. The loop still
        // reads what the client had buffered, since the client ends the iteration only after it.
        if (this.stopping) continue;
        const p = this.handleOne(m).catch((err: unknown) => this.log.error({ err }, 'share handling failed'));
        this.inFlight.add(p);
        void p.finally(() => {
          this.inFlight.delete(p);
          this.slotFreed?.();
        });
      }
    } catch (err) {
      this.log.error({ ...logFields(err) }, 'share consumer stopped');
    }
  }

  private async handleOne(m: JsMsg): Promise<void> {
    let share: EdgeShare;
    try {
      share = decodeShare(m.data);
      // An edge publishes on its own subject only: one may not speak for another.
      if (m.subject !== this.o.names.sharesSubject(share.edgeId)) throw new ProsperError('PROSPER_E_CLUSTER_BAD_MESSAGE', `share of edge ${share.edgeId} on ${m.subject}`);
    } catch (err) {
      await this.deadLetter(m, (err as Error).message);
      return;
    }
    const d: ShareDelivery = { share, id: shareMsgId(share), streamSeq: m.info.streamSequence, deliveryCount: m.info.deliveryCount };
    try {
      await this.o.handle(d);
    } catch (err) {
      if (d.deliveryCount >= (this.o.maxDeliver ?? 20)) {
        await this.deadLetter(m, `handler failed ${d.deliveryCount} times: ${(err as Error).message}`);
      } else {
        this.log.warn({ ...logFields(err), id: d.id, deliveryCount: d.deliveryCount }, 'share not credited; will be delivered again');
        m.nak(this.o.retryDelayMs ?? 1000);
      }
      return;
    }
    if (this.o.confirmAcks === false) {
      m.ack();
      this.handled += 1;
      return;
    }
    // Confirmed ack: once this resolves the server will not deliver the share again. When the
    // confirmation is lost (link drop) the share may come again, with deliveryCount > 1.
    try {
      await m.ackAck({ timeout: this.o.ackConfirmTimeoutMs ?? 5000 });
    } catch (err) {
      this.ackFailures += 1;
      this.log.warn({ ...logFields(err), id: d.id }, 'ack not confirmed; the share may be delivered again');
      return;
    }
    this.handled += 1;
  }

  private async deadLetter(m: JsMsg, reason: string): Promise<void> {
    this.log.error({ reason, subject: m.subject, streamSeq: m.info.streamSequence, bytes: m.data.length }, 'share dead-lettered');
    const js = this.o.link.js;
    try {
      if (!js) throw new ProsperError('PROSPER_E_CLUSTER_LINK', 'NATS link closed');
      const h = headers();
      h.set('Prosper-Reason', reason.slice(0, 512));
      h.set('Prosper-Subject', m.subject);
      h.set('Prosper-Stream-Seq', String(m.info.streamSequence));
      await js.publish(this.o.names.deadSubject, m.data, { headers: h });
    } catch (err) {
      // Keep the share in the stream rather than lose it: it comes back after the delay.
      this.log.warn({ ...logFields(err) }, 'dead-letter publish failed; will retry');
      m.nak(this.o.retryDelayMs ?? 1000);
      return;
    }
    // Acked, not terminated: on a work-queue stream only an ack removes the message (server 2.9),
    // and the dead-letter stream now holds the copy.
    await m.ackAck();
    this.deadLettered += 1;
  }

  /**
   * Stops taking shares and waits up to `waitMs` (default: without limit) for those being
   * handled; shares still unacked then are delivered again after the ack wait.
   */
  async stop(opts: { waitMs?: number } = {}): Promise<void> {
    this.stopping = true;
    this.slotFreed?.();
    await this.messages?.close();
    await this.loop;
    const all = Promise.allSettled([...this.inFlight]).then(() => undefined);
    if (opts.waitMs === undefined) await all;
    else {
      let t: NodeJS.Timeout | undefined;
      await Promise.race([all, new Promise<void>((r) => (t = setTimeout(r, opts.waitMs)))]);
      clearTimeout(t);
    }
  }
}
