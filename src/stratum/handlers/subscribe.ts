/** mining.subscribe: the session's ids and connection nonce, then its target and the current job. */
import type { MethodHandler } from '../context.js';
import { resultLine } from '../protocol.js';

export const subscribe: MethodHandler = (ctx, session, id, params) => {
  session.agent = (params[0] ?? '').slice(0, 128);
  session.subscribed = true;
  ctx.conn.send(
    session,
    resultLine(id, [
      { type: 'mining.notify', id: session.id },
      { type: 'mining.set_target', id: session.id },
      { type: 'mining.set_nonce', id: String(session.nonce) },
    ]),
  );
  // As the original: set_target, then the current job, right after the reply.
  ctx.fanout.sendTarget(session);
  const job = ctx.jobs.job;
  if (job) ctx.fanout.sendJob(session, job, ctx.fanout.notifyLine(job));
};
