import type { Subscription } from 'nats';
import { silentLogger, type Logger } from '../log.js';
import { decodeLiveView, encodeLiveView, type EdgeLiveView } from './codec.js';
import type { NatsLink } from './link.js';
import { checkToken, type ClusterNames } from './subjects.js';
import { ProsperError } from '../errors.js';

/**
 * Edge side: answers the coordinator's request for its open sessions and bans (the admin page
 * asks when an admin opens it: nothing is sent otherwise).
 */
export class LiveViewResponder {
  private sub: Subscription | undefined;
  private stopped = false;

  constructor(private readonly o: { link: NatsLink; names: ClusterNames; edgeId: string; view: () => Omit<EdgeLiveView, 'edgeId'>; log?: Logger }) {
    checkToken('edge id', o.edgeId);
  }

  /** Subscribes (once the link is up; the client renews it after reconnects). */
  async start(): Promise<void> {
    await this.o.link.ready();
    const nc = this.o.link.nc;
    if (!nc || this.stopped) return;
    const log = this.o.log ?? silentLogger();
    this.sub = nc.subscribe(this.o.names.liveSubject(this.o.edgeId), {
      callback: (err, msg) => {
        if (err) return log.warn({ err: err.message }, 'live view subscription error');
        msg.respond(encodeLiveView({ ...this.o.view(), edgeId: this.o.edgeId }));
      },
    });
  }

  stop(): void {
    this.stopped = true;
    this.sub?.unsubscribe();
  }
}

/** Coordinator side: asks each edge for its live view; an edge that does not answer in time is left out. */
export async function requestLiveViews(link: NatsLink, names: ClusterNames, edgeIds: readonly string[], timeoutMs = 2000, log: Logger = silentLogger()): Promise<EdgeLiveView[]> {
  const nc = link.nc;
  if (!nc || !link.up) return [];
  const replies = await Promise.allSettled(edgeIds.map(async (id) => {
    const view = decodeLiveView((await nc.request(names.liveSubject(id), new Uint8Array(0), { timeout: timeoutMs })).data);
    if (view.edgeId !== id) throw new ProsperError('PROSPER_E_CLUSTER_BAD_MESSAGE', `edge ${id} answered as ${view.edgeId}`);
    return view;
  }));
  return replies.flatMap((r, i) => {
    if (r.status === 'fulfilled') return [r.value];
    log.debug({ edge: edgeIds[i], err: (r.reason as Error).message }, 'no live view from the edge');
    return [];
  });
}
