/** mining.suggest_target: a floor for the session's target (applies with its next job). */
import type { MethodHandler } from '../context.js';
import { errorLine, parseTargetHex, resultLine } from '../protocol.js';
import { clampTarget } from '../vardiff.js';

export const suggestTarget: MethodHandler = (ctx, session, id, params) => {
  const t = params.length >= 1 ? parseTargetHex(params[0]!.replace(/^0x/, '')) : null;
  if (t === null) {
    ctx.conn.send(session, errorLine(id, 'InvalidParams', 'suggest_target requires a hex target'));
    return;
  }
  const target = clampTarget(t, ctx.governor.current, ctx.config.vardiff.maxTarget);
  session.suggestedTarget = target;
  session.target = target;
  // Before any job, it applies now; otherwise with the next job (targets are fixed per job).
  if (session.jobTargets.size === 0 && session.subscribed) ctx.fanout.sendTarget(session);
  ctx.conn.send(session, resultLine(id, true));
};
