/**
 * One line from a client to its handler: parse, answer garbage and unknown methods (with ban
 * points), route requests by method, and count the async ones in flight.
 */
import { logFields } from '../errors.js';
import { beginRequest, endRequest } from './backpressure.js';
import type { AsyncMethodHandler, HandlerContext, MethodHandler } from './context.js';
import { authorize } from './handlers/authorize.js';
import { getOprHash } from './handlers/get-oprhash.js';
import { submit } from './handlers/submit.js';
import { subscribe } from './handlers/subscribe.js';
import { suggestTarget } from './handlers/suggest-target.js';
import { errorLine, parseMessage } from './protocol.js';
import type { Session } from './session.js';

type Route = { tracked: false; run: MethodHandler } | { tracked: true; run: AsyncMethodHandler };

/** The methods a miner may call; `tracked` ones run async and count toward the in-flight limit. */
const METHODS: ReadonlyMap<string, Route> = new Map<string, Route>([
  ['mining.subscribe', { tracked: false, run: subscribe }],
  ['mining.authorize', { tracked: true, run: authorize }],
  ['mining.submit', { tracked: true, run: submit }],
  ['mining.get_oprhash', { tracked: false, run: getOprHash }],
  ['mining.suggest_target', { tracked: false, run: suggestTarget }],
]);

export function dispatchLine(ctx: HandlerContext, session: Session, line: string): void {
  const msg = parseMessage(line);
  const { conn, config } = ctx;
  switch (msg.kind) {
    case 'garbage':
      ctx.counters.garbage += 1;
      conn.send(session, errorLine(0, 'ParseError', msg.reason));
      conn.penalize(session, config.banPoints.garbage);
      return;
    case 'response':
      ctx.events.emit('response', session.id, msg);
      return;
    case 'bad-params':
      conn.send(session, errorLine(msg.id, 'InvalidParams', 'params must be an array of strings'));
      conn.penalize(session, config.banPoints.invalidParams);
      return;
    case 'request': {
      const route = METHODS.get(msg.method);
      if (!route) {
        conn.send(session, errorLine(msg.id, 'MethodNotFound', msg.method.slice(0, 64)));
        conn.penalize(session, config.banPoints.unknownMethod);
        return;
      }
      // The work starts before the in-flight count is checked, as it always has: a request
      // over the limit still runs, and also gets TooManyPending.
      if (route.tracked) track(ctx, session, msg.id, route.run(ctx, session, msg.id, msg.params));
      else route.run(ctx, session, msg.id, msg.params);
    }
  }
}

/** Counts an async request; reading pauses while a session has too many in flight. */
function track(ctx: HandlerContext, session: Session, id: number, work: Promise<void>): void {
  const limit = ctx.config.maxPendingRequests;
  if (session.pending >= limit) {
    // Already over: the read side is paused; lines of the same chunk get this answer.
    ctx.conn.send(session, errorLine(id, 'TooManyPending', `at most ${limit} requests in flight`, false));
    return;
  }
  beginRequest(session, limit);
  work
    .catch((err: unknown) => {
      ctx.log.error({ ...logFields(err), session: session.id }, 'request failed');
      ctx.conn.send(session, errorLine(id, 'InternalError', 'internal error', false));
    })
    .finally(() => endRequest(session, limit));
}
