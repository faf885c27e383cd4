/** What the Stratum server's parts share: its settings, state and collaborators. */
import type { EventEmitter } from 'node:events';
import type { Logger } from '../log.js';
import type { Clock } from '../util/clock.js';
import type { ShareValidator } from '../validation/types.js';
import type { StratumAuthorizer } from './auth.js';
import type { MinTargetGovernor } from './backpressure.js';
import type { BanList } from './bans.js';
import type { StratumServerConfig } from './config.js';
import type { Connections } from './connections.js';
import type { StratumCounters } from './counters.js';
import type { Fanout } from './fanout.js';
import type { JobBook } from './jobs.js';
import type { SessionRegistry } from './registry.js';
import type { Session } from './session.js';
import type { ShareSink } from './share-sink.js';

export interface StratumParts {
  readonly config: StratumServerConfig;
  readonly log: Logger;
  readonly clock: Clock;
  readonly counters: StratumCounters;
  readonly sessions: SessionRegistry;
  readonly bans: BanList;
  readonly jobs: JobBook;
  readonly governor: MinTargetGovernor;
  readonly validator: ShareValidator;
  readonly authorizer: StratumAuthorizer;
  /** Where accepted shares go (a test may swap it on a running server). */
  sink: ShareSink;
  /** The server, which emits connect, authorize, disconnect, ban, response and fanout. */
  readonly events: EventEmitter;
  /** An id for a server→client request. */
  nextRequestId(): number;
}

/** What a method handler works with: the shared parts, the sockets and the job fan-out. */
export interface HandlerContext extends StratumParts {
  readonly conn: Connections;
  readonly fanout: Fanout;
}

/** One Stratum method answered at once. */
export type MethodHandler = (ctx: HandlerContext, session: Session, id: number, params: string[]) => void;

/** One Stratum method that waits (authorizer, validator, sink); it counts toward the in-flight limit. */
export type AsyncMethodHandler = (ctx: HandlerContext, session: Session, id: number, params: string[]) => Promise<void>;
