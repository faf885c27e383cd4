import { createFileSpool, type FileSpool } from '../util/spool.js';

/**
 * An edge's bounded on-disk spool of encoded shares that JetStream could not take (a NATS
 * outage): the one indexed spool (util/spool.ts), one file per share, replayed when NATS returns.
 */
export type EdgeSpool = FileSpool;

export function createEdgeSpool(opts: { dir: string; maxBytes: number; now: () => number }): EdgeSpool {
  return createFileSpool({ ...opts, ext: '.share', fullCode: 'PROSPER_E_CLUSTER_SPOOL_FULL', label: 'edge share spool' });
}
