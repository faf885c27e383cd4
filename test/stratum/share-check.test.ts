// The share check as a pure function: every reject kind (with its ban points and wire reply),
// and the accepted verdict, from plain session state, params and a job book: no sockets.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_STRATUM_CONFIG } from '../../src/stratum/config.js';
import { JobBook, nonceKey, type Job } from '../../src/stratum/jobs.js';
import { RpcErrors } from '../../src/stratum/protocol.js';
import { SHARE_REJECT_REPLIES } from '../../src/stratum/replies.js';
import { checkShare, rejectOfVerdict, type ShareCheck, type ShareRejectKind, type ShareSessionView } from '../../src/stratum/share-check.js';
import { ManualClock } from '../../src/util/clock.js';
import { hex, oprHashFor } from './helpers/server.js';

const rules = DEFAULT_STRATUM_CONFIG;
const pts = rules.banPoints;
const PREFIX = [0, 0, 0, 7];
const ASSIGNED = 0x8000000000000000n;

function job(id: number): Job {
  const oprHash = oprHashFor(id);
  return { id, oprHash, oprHashHex: hex(oprHash), submitThreshold: 2n ** 64n - 1n, startedAt: 0 };
}

/** A session as the check sees it: subscribed, authorized as alice, sent `jobs` at ASSIGNED. */
function session(over: Partial<ShareSessionView> = {}, jobs: number[] = [10]): ShareSessionView {
  return {
    subscribed: true,
    authorized: true,
    username: 'alice',
    jobTargets: new Map(jobs.map((j) => [j, ASSIGNED])),
    hasPrefix: (nonce) => PREFIX.every((b, i) => nonce[i] === b),
    ...over,
  };
}

function book(...jobs: Job[]): { book: JobBook; clock: ManualClock } {
  const clock = new ManualClock();
  const b = new JobBook(30_000, () => clock.monotonic());
  for (const j of jobs) b.setJob(j);
  return { book: b, clock };
}

const NONCE = '0000000701000000ff';
const params = (o: { user?: string; job?: string; nonce?: string; opr?: string; target?: string } = {}) => [
  o.user ?? 'alice',
  o.job ?? '10',
  o.nonce ?? NONCE,
  o.opr ?? hex(oprHashFor(10)),
  o.target ?? 'c000000000000000',
];

function rejected(r: ShareCheck): { kind: ShareRejectKind; points: number; message: string } {
  assert.equal(r.ok, false, 'expected a rejection');
  return r as Extract<ShareCheck, { ok: false }>;
}

test('an acceptable share: what the validator needs, and the key that marks its nonce', () => {
  const { book: b } = book(job(10));
  const r = checkShare(session(), params(), b, rules);
  assert.equal(r.ok, true);
  const share = r as Extract<ShareCheck, { ok: true }>;
  assert.equal(share.job.id, 10);
  assert.equal(hex(share.nonce), NONCE);
  assert.equal(share.claimed, 0xc000000000000000n);
  assert.equal(share.assigned, ASSIGNED);
  assert.equal(share.nonceKey, nonceKey(hex(oprHashFor(10)), share.nonce));
  // Pure: checking again gives the same answer (nothing was marked).
  assert.deepEqual(checkShare(session(), params(), b, rules), r);
});

test('every reject kind the check can give, with its ban points', () => {
  const { book: b } = book(job(9), job(10));
  const cases: [string, ShareCheck, ShareRejectKind, number][] = [
    ['not subscribed', checkShare(session({ subscribed: false }), params(), b, rules), 'not-subscribed', pts.unauthorizedSubmit],
    ['not authorized', checkShare(session({ authorized: false }), params(), b, rules), 'not-authorized', pts.unauthorizedSubmit],
    ['four params', checkShare(session(), params().slice(0, 4), b, rules), 'missing-params', pts.invalidParams],
    ['another user', checkShare(session(), params({ user: 'bob' }), b, rules), 'wrong-username', pts.invalidParams],
    ['job id not decimal', checkShare(session(), params({ job: '0x10' }), b, rules), 'malformed', pts.invalidParams],
    ['odd-length nonce', checkShare(session(), params({ nonce: '000' }), b, rules), 'malformed', pts.invalidParams],
    ['nonce too long', checkShare(session(), params({ nonce: '00000007'.repeat(20) }), b, rules), 'malformed', pts.invalidParams],
    ['short oprhash', checkShare(session(), params({ opr: 'abcd' }), b, rules), 'malformed', pts.invalidParams],
    ['target not hex', checkShare(session(), params({ target: 'zz' }), b, rules), 'malformed', pts.invalidParams],
    ['target over 64 bits', checkShare(session(), params({ target: '1' + '0'.repeat(16) }), b, rules), 'malformed', pts.invalidParams],
    ['old job', checkShare(session(), params({ job: '8', opr: hex(oprHashFor(8)) }), b, rules), 'stale-job', 0],
    ['future job', checkShare(session(), params({ job: '11', opr: hex(oprHashFor(11)) }), b, rules), 'unknown-job', 0],
    ['no job at all', checkShare(session(), params(), book().book, rules), 'no-job', 0],
    ['nonce of another connection', checkShare(session(), params({ nonce: '0000000801000000ff' }), b, rules), 'foreign-nonce', pts.badNonce],
    ['job never sent to it', checkShare(session({}, [9]), params(), b, rules), 'job-not-sent', 0],
    ['claim below its target', checkShare(session(), params({ target: '7fffffffffffffff' }), b, rules), 'low-target', pts.lowTarget],
  ];
  for (const [what, r, kind, points] of cases) {
    const why = rejected(r);
    assert.equal(why.kind, kind, what);
    assert.equal(why.points, points, what);
    assert.ok(why.message.length > 0, what);
  }
  assert.equal(rejected(checkShare(session(), params({ target: '7fffffffffffffff' }), b, rules)).message, 'target below assigned 8000000000000000');
});

test('a duplicate is a nonce already marked for the job (the check reads, the caller marks)', () => {
  const { book: b } = book(job(10));
  const first = checkShare(session(), params(), b, rules);
  assert.equal(first.ok, true);
  const { job: j, nonceKey: key } = first as Extract<ShareCheck, { ok: true }>;
  b.mark(j.id, key);
  const why = rejected(checkShare(session(), params(), b, rules));
  assert.equal(why.kind, 'duplicate');
  assert.equal(why.points, pts.duplicate);
  // Hex case does not make a new share: the key is on the decoded bytes.
  assert.equal(rejected(checkShare(session(), params({ nonce: NONCE.toUpperCase() }), b, rules)).kind, 'duplicate');
});

test('the previous job is checked during its grace, under its own id or the current one', () => {
  const { book: b, clock } = book(job(9), job(10));
  const prevUnderCurrentId = params({ job: '10', opr: hex(oprHashFor(9)) });
  assert.equal(checkShare(session({}, [9, 10]), prevUnderCurrentId, b, rules).ok, true);
  assert.equal(checkShare(session({}, [9, 10]), params({ job: '9', opr: hex(oprHashFor(9)) }), b, rules).ok, true);
  clock.advance(30_000);
  b.expire();
  assert.equal(rejected(checkShare(session({}, [9, 10]), prevUnderCurrentId, b, rules)).kind, 'stale-job');
});

test("the validator's refusals map to reject kinds; every kind has a reply and counts in at most one tally", () => {
  const kinds = (['busy', 'unknown-job', 'failed', 'below-minimum', 'target-mismatch'] as const).map(
    (reason) => rejectOfVerdict({ valid: false, reason, message: reason }, pts),
  );
  assert.deepEqual(
    kinds.map((k) => [k.kind, k.points, k.message]),
    [
      ['busy', 0, 'busy'],
      ['job-closed', 0, 'unknown-job'],
      ['validation-failed', 0, 'failed'],
      ['below-assigned', pts.invalidShare, 'below-minimum'],
      ['target-mismatch', pts.invalidShare, 'target-mismatch'],
    ],
  );
  for (const [kind, { reply, tally }] of Object.entries(SHARE_REJECT_REPLIES)) {
    assert.ok(reply in RpcErrors, kind);
    assert.ok(tally === null || ['stale', 'duplicate', 'invalid'].includes(tally), kind);
  }
  assert.equal(SHARE_REJECT_REPLIES['stale-job'].tally, 'stale');
  assert.equal(SHARE_REJECT_REPLIES.duplicate.reply, 'DuplicateShare');
  assert.equal(SHARE_REJECT_REPLIES['target-mismatch'].tally, 'invalid');
});
