/** mining.get_oprhash: the OPR hash of a job still inside the window. */
import type { MethodHandler } from '../context.js';
import { errorLine, resultLine } from '../protocol.js';

export const getOprHash: MethodHandler = (ctx, session, id, params) => {
  if (params.length < 1) {
    ctx.conn.send(session, errorLine(id, 'InvalidParams', 'get_oprhash requires a job id'));
    return;
  }
  const job = ctx.jobs.open().find((j) => String(j.id) === params[0]);
  if (!job) {
    ctx.conn.send(session, errorLine(id, 'StaleJob', `unknown job ${params[0]!.slice(0, 32)}`));
    return;
  }
  ctx.conn.send(session, resultLine(id, job.oprHashHex));
};
