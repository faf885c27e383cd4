import type { Subscription } from 'nats';
import { silentLogger, type Logger } from '../log.js';
import type { StratumAuthorizer, StratumAuthResult } from '../stratum/index.js';
import { decodeAuthReply, decodeAuthRequest, encodeAuthReply, encodeAuthRequest } from './codec.js';
import type { NatsLink } from './link.js';
import { checkToken, type ClusterNames } from './subjects.js';
import { logFields, ProsperError } from '../errors.js';

/** What an edge tells a miner when the coordinator cannot answer: retry, nothing is wrong with the miner. */
export const AUTH_UNAVAILABLE = 'pool coordinator unreachable; try again shortly';

/**
 * Edge side: mining.authorize relayed to the coordinator by NATS request/reply, since users,
 * passwords and invite codes live in the coordinator's store. Sessions already authorized keep
 * mining through an outage; only new authorizations wait for the link.
 */
export class RemoteAuthorizer implements StratumAuthorizer {
  failures = 0;
  private readonly log: Logger;

  constructor(private readonly o: { link: NatsLink; names: ClusterNames; edgeId: string; timeoutMs?: number; log?: Logger }) {
    checkToken('edge id', o.edgeId);
    this.log = o.log ?? silentLogger();
  }

  async authorize(req: Parameters<StratumAuthorizer['authorize']>[0]): Promise<StratumAuthResult> {
    const nc = this.o.link.nc;
    if (!nc || !this.o.link.up) return this.unavailable('NATS link down');
    try {
      const reply = await nc.request(this.o.names.authSubject, encodeAuthRequest({ ...req, edgeId: this.o.edgeId }), { timeout: this.o.timeoutMs ?? 5000 });
      return decodeAuthReply(reply.data);
    } catch (err) {
      return this.unavailable((err as Error).message);
    }
  }

  private unavailable(why: string): StratumAuthResult {
    this.failures += 1;
    this.log.warn({ why }, 'authorize not relayed');
    return { ok: false, reason: AUTH_UNAVAILABLE, code: 'PROSPER_E_AUTH_UNAVAILABLE', retryable: true };
  }
}

/**
 * Coordinator side: answers relayed authorizations with the pool's authorizer (the store-backed
 * auth service). A queue group, so a standby coordinator subscribed too would not answer twice.
 */
export class AuthResponder {
  answered = 0;
  rejected = 0;
  private sub: Subscription | undefined;
  private readonly log: Logger;

  constructor(private readonly o: { link: NatsLink; names: ClusterNames; authorizer: StratumAuthorizer; log?: Logger }) {
    this.log = o.log ?? silentLogger();
  }

  async start(): Promise<void> {
    await this.o.link.ready();
    const nc = this.o.link.nc;
    if (!nc) throw new ProsperError('PROSPER_E_CLUSTER_LINK', 'NATS link closed');
    this.sub = nc.subscribe(this.o.names.authSubject, {
      queue: `${this.o.names.prefix}_coordinator`,
      callback: (err, msg) => {
        if (err) {
          this.log.warn({ err: err.message }, 'auth subscription error');
          return;
        }
        void this.answer(msg.data).then((reply) => msg.respond(reply));
      },
    });
    await nc.flush();
  }

  private async answer(data: Uint8Array): Promise<Uint8Array> {
    try {
      const req = decodeAuthRequest(data);
      const res = await this.o.authorizer.authorize(req);
      this.answered += 1;
      return encodeAuthReply(res);
    } catch (err) {
      // A malformed request (or a failing store) still gets an answer: the edge must not hang.
      this.rejected += 1;
      this.log.warn({ ...logFields(err) }, 'relayed authorize refused');
      return encodeAuthReply({ ok: false, reason: 'authorization failed' });
    }
  }

  stop(): void {
    this.sub?.unsubscribe();
  }
}
