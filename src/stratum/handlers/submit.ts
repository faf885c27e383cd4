/**
 * mining.submit: the pure share check, then the validator's proof, then the sink's credit; the
 * miner hears "accepted" only once the credit is durable. Vardiff counts the accepted share.
 */
import { logFields } from '../../errors.js';
import { difficultyFromTarget } from '../../lxr/difficulty.js';
import type { HandlerContext, AsyncMethodHandler } from '../context.js';
import { errorLine, resultLine } from '../protocol.js';
import { SHARE_REJECT_REPLIES } from '../replies.js';
import type { Session } from '../session.js';
import { checkShare, rejectOfVerdict, type ShareReject } from '../share-check.js';
import { recordShare } from '../vardiff.js';

export const submit: AsyncMethodHandler = async (ctx, session, id, params) => {
  if (session.authorizing) await session.authorizing;
  if (session.closed) return;
  ctx.jobs.expire();
  const check = checkShare(session, params, ctx.jobs, ctx.config);
  if (!check.ok) return reject(ctx, session, id, check);
  const { job, nonce, claimed, assigned, nonceKey } = check;
  ctx.jobs.mark(job.id, nonceKey);
  const verdict = await ctx.validator.validate({ jobId: job.id, oprHash: job.oprHash, nonce, claimedTarget: claimed, minTarget: assigned });
  if (session.closed) return;
  if (!verdict.valid) {
    const why = rejectOfVerdict(verdict, ctx.config.banPoints);
    if (why.kind === 'busy') ctx.governor.noteBusy();
    return reject(ctx, session, id, why);
  }
  const receivedAt = ctx.clock.now();
  const credited = ctx.sink.accept({
    jobId: job.id,
    userId: session.userId,
    username: session.username,
    minerId: session.minerId,
    sessionId: session.id,
    ip: session.ip,
    nonce,
    target: verdict.target,
    assignedTarget: assigned,
    difficulty: difficultyOf(assigned),
    submit: verdict.submit,
    receivedAt,
  });
  if (credited) {
    try {
      await credited;
    } catch (err) {
      ctx.log.warn({ ...logFields(err), jobId: job.id }, 'share credit failed');
      return reject(ctx, session, id, { ok: false, kind: 'credit-failed', message: 'the pool could not record the share; submit it again', points: 0 });
    }
    if (session.closed) return;
  }
  session.accepted += 1;
  ctx.counters.accepted += 1;
  ctx.conn.send(session, resultLine(id, true));
  const next = recordShare(session.vardiff, ctx.config.vardiff, session.target, ctx.clock.monotonic());
  if (next !== null) session.target = ctx.governor.sessionTarget(session, next);
};

/** Answers a refused share, counts it and adds its ban points. */
function reject(ctx: HandlerContext, session: Session, id: number, why: ShareReject): void {
  const { reply, tally } = SHARE_REJECT_REPLIES[why.kind];
  session.rejected += 1;
  ctx.counters.rejected += 1;
  if (tally !== null) ctx.counters[tally] += 1;
  if (tally === 'stale') session.stale += 1;
  ctx.conn.send(session, errorLine(id, reply, why.message, false));
  if (why.points > 0) ctx.conn.penalize(session, why.points);
}

const difficultyCache = new Map<bigint, number>();

/** Credit per assigned target; targets repeat, the float math is not free. */
function difficultyOf(target: bigint): number {
  let d = difficultyCache.get(target);
  if (d === undefined) {
    if (difficultyCache.size > 1024) difficultyCache.clear();
    d = difficultyFromTarget(target);
    difficultyCache.set(target, d);
  }
  return d;
}

