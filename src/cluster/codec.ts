import { Packr } from 'msgpackr';
import type { MiningJob } from '../domain/index.js';
import { ProsperError } from '../errors.js';
import { UINT64_MAX } from '../lxr/pow.js';
import type { AcceptedShare, StratumAuthRequest, StratumAuthResult, StratumCounters } from '../stratum/index.js';

/**
 * The three message types of the cluster link and their wire form: msgpack maps with short
 * keys, uint64 targets as 8-byte big-endian buffers. Every decoder checks every field, since a
 * message may come from a different build or from anyone who can publish on the subject.
 */

/** The wire format's version; a decoder refuses others rather than guess. */
export const WIRE_VERSION = 1;

/** Coordinator -> edges: what to mine (the pool's job, and what an edge needs besides). */
export interface JobAnnouncement extends MiningJob {
  /** The OPR version (1, 2, ...). */
  oprVersion: number;
  /** The LXRHash table size the coordinator proves shares with: an edge with another table refuses the job. */
  lxrBits: number;
  /** No job can be built (no prices): miners are told to stop until the next announcement. */
  stop?: boolean;
  /** Publisher's order: a receiver ignores an announcement not newer than the one it holds. */
  seq: number;
  issuedAt: number;
}

/** Edges -> coordinator: one share the edge's validator accepted. */
export interface EdgeShare extends AcceptedShare {
  edgeId: string;
}

/** Edges -> coordinator: health and load. */
export interface EdgeReport {
  edgeId: string;
  /** Miner sessions open on the edge. */
  sessions: number;
  sharesPerSecond: number;
  /** The job the edge is serving (undefined before its first). */
  lastJobId?: number;
  /** Shares waiting in the edge's local spool (NATS outage backlog). */
  spooled: number;
  /** The edge's Stratum totals since it started (the coordinator sums them for /metrics and the web). */
  counters: StratumCounters;
  /** Shares queued or being proven by the edge's validation engine. */
  validationPending: number;
  /** The edge's clock when it sent the report. */
  sentAt: number;
}

const packr = new Packr({ useRecords: false, mapsAsObjects: true });

function badMessage(what: string, detail: string): ProsperError {
  return new ProsperError('PROSPER_E_CLUSTER_BAD_MESSAGE', `bad ${what}: ${detail}`);
}

export function u64ToBytes(v: bigint): Uint8Array {
  if (v < 0n || v > UINT64_MAX) throw new ProsperError('PROSPER_E_CLUSTER_RANGE', `uint64 out of range: ${v}`);
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigUint64(0, v);
  return b;
}

function unpackMap(what: string, data: Uint8Array): Record<string, unknown> {
  let value: unknown;
  try {
    value = packr.unpack(data);
  } catch (err) {
    throw badMessage(what, `not msgpack (${(err as Error).message})`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value) || value instanceof Uint8Array) throw badMessage(what, 'not a map');
  const m = value as Record<string, unknown>;
  if (m.w !== WIRE_VERSION) throw badMessage(what, `wire version ${String(m.w)}, expected ${WIRE_VERSION}`);
  return m;
}

/** Field readers: each throws a coded error naming the field. */
function reader(what: string, m: Record<string, unknown>) {
  const fail = (k: string, want: string) => badMessage(what, `field ${k} is not ${want}`);
  return {
    int(k: string, min = 0): number {
      const v = m[k];
      if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min) throw fail(k, `an integer >= ${min}`);
      return v;
    },
    num(k: string): number {
      const v = m[k];
      if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw fail(k, 'a finite number >= 0');
      return v;
    },
    str(k: string, max = 256): string {
      const v = m[k];
      if (typeof v !== 'string' || v.length > max) throw fail(k, `a string of at most ${max} characters`);
      return v;
    },
    bool(k: string): boolean {
      const v = m[k];
      if (typeof v !== 'boolean') throw fail(k, 'a boolean');
      return v;
    },
    bytes(k: string, min: number, max: number): Uint8Array {
      const v = m[k];
      if (!(v instanceof Uint8Array) || v.length < min || v.length > max) throw fail(k, `${min}..${max} bytes`);
      return Uint8Array.from(v);
    },
    u64(k: string): bigint {
      const v = m[k];
      if (!(v instanceof Uint8Array) || v.length !== 8) throw fail(k, 'an 8-byte uint64');
      return new DataView(v.buffer, v.byteOffset, 8).getBigUint64(0);
    },
  };
}

export function encodeJob(j: JobAnnouncement): Uint8Array {
  if (j.oprHash.length !== 32) throw new ProsperError('PROSPER_E_CLUSTER_RANGE', 'OPR hash must be 32 bytes');
  const m: Record<string, unknown> = { w: WIRE_VERSION, j: j.jobId, v: j.oprVersion, h: j.oprHash, t: u64ToBytes(j.submitThreshold), b: j.lxrBits, s: j.seq, at: j.issuedAt };
  if (j.stop) m.x = true;
  return packr.pack(m);
}

export function decodeJob(data: Uint8Array): JobAnnouncement {
  const m = unpackMap('job', data);
  const r = reader('job', m);
  const job: JobAnnouncement = {
    jobId: r.int('j'), oprVersion: r.int('v', 1), oprHash: r.bytes('h', 32, 32), submitThreshold: r.u64('t'), lxrBits: r.int('b', 8), seq: r.int('s'), issuedAt: r.int('at'),
  };
  if (job.lxrBits > 40) throw badMessage('job', 'field b is not a table size of 8..40 bits');
  if (m.x !== undefined) job.stop = r.bool('x');
  return job;
}

export function encodeShare(s: EdgeShare): Uint8Array {
  return packr.pack({
    w: WIRE_VERSION, e: s.edgeId, j: s.jobId, u: s.userId, un: s.username, m: s.minerId, ss: s.sessionId, ip: s.ip,
    n: s.nonce, t: u64ToBytes(s.target), at: u64ToBytes(s.assignedTarget), sb: s.submit, r: s.receivedAt,
  });
}

/**
 * An edge share. Version 1 messages from before the credit-ignored difficulty was dropped also
 * carry a field `d`; the decoder reads fields by name, so it ignores that one (the wire version
 * stays 1: a message of either build decodes the same).
 */
export function decodeShare(data: Uint8Array): EdgeShare {
  const r = reader('share', unpackMap('share', data));
  return {
    edgeId: r.str('e', 64), jobId: r.int('j'), userId: r.str('u', 32), username: r.str('un'), minerId: r.str('m'), sessionId: r.str('ss', 128),
    ip: r.str('ip', 64), nonce: r.bytes('n', 1, 512), target: r.u64('t'), assignedTarget: r.u64('at'), submit: r.bool('sb'),
    receivedAt: r.int('r'),
  };
}

/** The order of the counters on the wire (an array is smaller than a map). */
export const COUNTER_KEYS = ['connections', 'accepted', 'stale', 'duplicate', 'invalid', 'rejected', 'garbage', 'banned', 'refused'] as const satisfies readonly (keyof StratumCounters)[];

export function encodeReport(rep: EdgeReport): Uint8Array {
  const m: Record<string, unknown> = {
    w: WIRE_VERSION, e: rep.edgeId, s: rep.sessions, r: rep.sharesPerSecond, q: rep.spooled, at: rep.sentAt,
    c: COUNTER_KEYS.map((k) => rep.counters[k]), vp: rep.validationPending,
  };
  if (rep.lastJobId !== undefined) m.j = rep.lastJobId;
  return packr.pack(m);
}

export function decodeReport(data: Uint8Array): EdgeReport {
  const m = unpackMap('report', data);
  const r = reader('report', m);
  const c = m.c;
  if (!Array.isArray(c) || c.length !== COUNTER_KEYS.length || !c.every((v) => Number.isSafeInteger(v) && (v as number) >= 0)) {
    throw badMessage('report', `field c is not ${COUNTER_KEYS.length} counters`);
  }
  const counters = Object.fromEntries(COUNTER_KEYS.map((k, i) => [k, c[i] as number])) as unknown as StratumCounters;
  const rep: EdgeReport = {
    edgeId: r.str('e', 64), sessions: r.int('s'), sharesPerSecond: r.num('r'), spooled: r.int('q'), sentAt: r.int('at'), counters, validationPending: r.int('vp'),
  };
  if (m.j !== undefined) rep.lastJobId = r.int('j');
  return rep;
}

/** Edge -> coordinator: a miner's authorize, relayed (the edge holds no user store). */
export interface AuthRelayRequest extends StratumAuthRequest {
  edgeId: string;
}

export function encodeAuthRequest(a: AuthRelayRequest): Uint8Array {
  return packr.pack({ w: WIRE_VERSION, e: a.edgeId, u: a.username, m: a.minerId, p: a.password, i: a.inviteCode, a: a.payoutAddress, ip: a.ip });
}

export function decodeAuthRequest(data: Uint8Array): AuthRelayRequest {
  const r = reader('auth request', unpackMap('auth request', data));
  // Bounds well above what a Stratum line can carry; the auth service checks the real limits.
  return { edgeId: r.str('e', 64), username: r.str('u', 1024), minerId: r.str('m', 1024), password: r.str('p', 1024), inviteCode: r.str('i', 1024), payoutAddress: r.str('a', 1024), ip: r.str('ip', 64) };
}

export function encodeAuthReply(res: StratumAuthResult): Uint8Array {
  if (res.ok) return packr.pack({ w: WIRE_VERSION, ok: true, u: res.userId });
  // The code and the retry hint travel too: the edge adds ban points for wrong passwords and tells miners to retry.
  return packr.pack({ w: WIRE_VERSION, ok: false, r: res.reason, ...(res.code ? { c: res.code } : {}), ...(res.retryable ? { t: true } : {}) });
}

export function decodeAuthReply(data: Uint8Array): StratumAuthResult {
  const m = unpackMap('auth reply', data);
  const r = reader('auth reply', m);
  if (r.bool('ok')) return { ok: true, userId: r.str('u', 32) };
  return {
    ok: false, reason: r.str('r', 1024),
    ...(m.c === undefined ? {} : { code: r.str('c', 64) }),
    ...(m.t === undefined ? {} : { retryable: r.bool('t') }),
  };
}

/** One edge's live view for the admin page: a bounded list of its sessions, its bans. */
export interface EdgeLiveView {
  edgeId: string;
  /** Sessions open on the edge (the list may be shorter: it is capped). */
  total: number;
  sessions: { sessionId: string; username: string; minerId: string; agent: string; ip: string; authorized: boolean; subscribed: boolean; target: string; nonce: number }[];
  bans: { ip: string; until: number }[];
}

/** Sessions per live-view reply at most: a reply stays far below NATS's 1 MB message limit. */
export const LIVE_VIEW_MAX_SESSIONS = 2000;

export function encodeLiveView(v: EdgeLiveView): Uint8Array {
  return packr.pack({
    w: WIRE_VERSION, e: v.edgeId, n: v.total,
    s: v.sessions.slice(0, LIVE_VIEW_MAX_SESSIONS).map((x) => [x.sessionId, x.username, x.minerId, x.agent, x.ip, x.authorized, x.subscribed, x.target, x.nonce]),
    b: v.bans.slice(0, LIVE_VIEW_MAX_SESSIONS).map((x) => [x.ip, x.until]),
  });
}

export function decodeLiveView(data: Uint8Array): EdgeLiveView {
  const m = unpackMap('live view', data);
  const r = reader('live view', m);
  const rows = (k: string, width: number): unknown[][] => {
    const v = m[k];
    if (!Array.isArray(v) || v.length > LIVE_VIEW_MAX_SESSIONS || !v.every((row) => Array.isArray(row) && row.length === width)) throw badMessage('live view', `field ${k} is not a list of ${width}-field rows`);
    return v as unknown[][];
  };
  const str = (x: unknown, max: number) => {
    if (typeof x !== 'string' || x.length > max) throw badMessage('live view', 'a session field is not a short string');
    return x;
  };
  const int = (x: unknown) => {
    if (typeof x !== 'number' || !Number.isSafeInteger(x) || x < 0) throw badMessage('live view', 'a field is not a non-negative integer');
    return x;
  };
  const bool = (x: unknown) => {
    if (typeof x !== 'boolean') throw badMessage('live view', 'a session flag is not a boolean');
    return x;
  };
  return {
    edgeId: r.str('e', 64), total: r.int('n'),
    sessions: rows('s', 9).map((x) => ({
      sessionId: str(x[0], 128), username: str(x[1], 256), minerId: str(x[2], 128), agent: str(x[3], 256), ip: str(x[4], 64),
      authorized: bool(x[5]), subscribed: bool(x[6]), target: str(x[7], 16), nonce: int(x[8]),
    })),
    bans: rows('b', 2).map((x) => ({ ip: str(x[0], 64), until: int(x[1]) })),
  };
}

/**
 * The share's deduplication id (Nats-Msg-Id, and the coordinator's credited-share key): the job
 * and the nonce, not the edge, so the same share published twice (a retry, a spool replay, or
 * a replay of it through another edge) maps to one id and is credited once.
 */
export function shareMsgId(s: Pick<EdgeShare, 'jobId' | 'nonce'>): string {
  return `${s.jobId}.${Buffer.from(s.nonce).toString('hex')}`;
}
