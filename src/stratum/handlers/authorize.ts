/**
 * mining.authorize: `["username,minerid", password, invitecode, payoutaddress]`. Identity is set
 * only once the authorizer accepts (unlike the original); submits wait for a running authorize.
 */
import { checkText } from '../../auth/index.js';
import { isProsperError } from '../../errors.js';
import type { AsyncMethodHandler } from '../context.js';
import { errorLine, requestLine, resultLine } from '../protocol.js';
import { authFailureReply, invalidInputData } from '../replies.js';

export const authorize: AsyncMethodHandler = async (ctx, session, id, params) => {
  const { conn } = ctx;
  if (params.length < 1) {
    conn.send(session, errorLine(id, 'InvalidParams', 'authorize requires params'));
    return;
  }
  const parts = params[0]!.split(',');
  if (parts.length !== 2) {
    conn.send(session, errorLine(id, 'InvalidParams', "authorize requires 'username,minerid'"));
    return;
  }
  const [username, minerId] = parts as [string, string];
  if (username.length > 254 || minerId.length > 128) {
    conn.send(session, errorLine(id, 'InvalidParams', 'username or minerid too long'));
    return;
  }
  const [, password = '', inviteCode = '', payoutAddress = ''] = params;
  try {
    // Control characters and broken Unicode never reach the authorizer (nor the store behind it).
    for (const [field, value] of [['username', username], ['miner id', minerId], ['password', password], ['invite code', inviteCode], ['payout address', payoutAddress]] as const) {
      checkText(value, field, 1024);
    }
  } catch (err) {
    if (!isProsperError(err)) throw err;
    conn.send(session, errorLine(id, 'InvalidParams', invalidInputData(err)));
    conn.penalize(session, ctx.config.banPoints.invalidParams);
    return;
  }
  let done!: () => void;
  const running = new Promise<void>((r) => (done = r));
  session.authorizing = running;
  try {
    const res = await ctx.authorizer.authorize({ username, minerId, password, inviteCode, payoutAddress, ip: session.ip });
    if (session.closed) return;
    if (!res.ok) {
      session.authorized = false;
      const { reply, data, penalize } = authFailureReply(res);
      conn.send(session, errorLine(id, reply, data, false));
      if (penalize) conn.penalize(session, ctx.config.banPoints.badPassword);
      return;
    }
    session.username = username;
    session.minerId = minerId;
    session.userId = res.userId;
    session.authorized = true;
    conn.send(session, resultLine(id, true));
    if (ctx.config.welcomeMessage) conn.send(session, requestLine(ctx.nextRequestId(), 'client.show_message', [ctx.config.welcomeMessage]));
    ctx.events.emit('authorize', session.snapshot());
  } finally {
    if (session.authorizing === running) session.authorizing = null;
    done();
  }
};
