import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Packr } from 'msgpackr';
import {
  decodeAuthReply, decodeJob, decodeReport, encodeAuthReply, decodeShare, encodeJob, encodeReport, encodeShare, shareMsgId, u64ToBytes, clusterNames,
  type EdgeReport, type EdgeShare, type JobAnnouncement,
} from '../../src/cluster/index.js';
import { isProsperError } from '../../src/errors.js';
import { makeShare } from './helpers.js';

const U64_MAX = (1n << 64n) - 1n;
const isBad = (err: unknown) => isProsperError(err, 'PROSPER_E_CLUSTER_BAD_MESSAGE');

test('a job announcement round-trips, uint64 threshold at both ends of the range', () => {
  for (const submitThreshold of [0n, 1n, 0xfffe123456789abcn, U64_MAX]) {
    const job: JobAnnouncement = { jobId: 206_422, oprVersion: 2, oprHash: Uint8Array.from({ length: 32 }, (_, i) => i * 7), submitThreshold, lxrBits: 30, seq: 1_700_000_000_123, issuedAt: 1_700_000_000_123 };
    const wire = encodeJob(job);
    assert.deepEqual(decodeJob(wire), job);
    assert.ok(wire.length < 100, `compact: ${wire.length} bytes`);
  }
  const stop: JobAnnouncement = { jobId: 206_423, oprVersion: 2, oprHash: new Uint8Array(32), submitThreshold: 0n, lxrBits: 16, stop: true, seq: 2, issuedAt: 2 };
  assert.deepEqual(decodeJob(encodeJob(stop)), stop);
});

test('an edge share round-trips with every AcceptedShare field', () => {
  for (const over of [{}, { target: U64_MAX, assignedTarget: 0n, submit: true }]) {
    const share: EdgeShare = { ...makeShare(7, over), edgeId: 'eu-1' };
    const back = decodeShare(encodeShare(share));
    assert.deepEqual(back, share);
    assert.equal(typeof back.target, 'bigint');
  }
});

test('a share from a build that still sent the difficulty (field d, same wire version) decodes to the same share', () => {
  const packr = new Packr({ useRecords: false, mapsAsObjects: true });
  const share: EdgeShare = { ...makeShare(3), edgeId: 'eu-1' };
  const current = packr.unpack(encodeShare(share)) as Record<string, unknown>;
  assert.equal(Object.hasOwn(current, 'd'), false, 'the field is no longer sent');
  const older = packr.pack({ ...current, d: 256 });
  assert.deepEqual(decodeShare(older), share);
  assert.equal(shareMsgId(decodeShare(older)), shareMsgId(share), 'the same share id, so a redelivery is still credited once');
});

test('an edge report round-trips, with and without a last job', () => {
  const counters = { connections: 5000, accepted: 1_234_567, stale: 12, duplicate: 3, invalid: 7, rejected: 9, garbage: 1, banned: 2, refused: 40 };
  const full: EdgeReport = { edgeId: 'us_2', sessions: 4210, sharesPerSecond: 812.5, lastJobId: 206_422, spooled: 3, sentAt: 1_700_000_000_000, counters, validationPending: 17 };
  assert.deepEqual(decodeReport(encodeReport(full)), full);
  const { lastJobId: _omit, ...noJob } = full;
  assert.deepEqual(decodeReport(encodeReport(noJob)), noJob);
});

test('garbage, wrong types and other wire versions are coded errors, not crashes', () => {
  const packr = new Packr({ useRecords: false });
  const good = encodeShare({ ...makeShare(1), edgeId: 'e1' });
  const goodMap = packr.unpack(good) as Record<string, unknown>;
  const cases: Uint8Array[] = [
    new Uint8Array([0xc1]), // never-used msgpack byte
    new Uint8Array(0),
    Buffer.from('not msgpack at all, just text'),
    packr.pack([1, 2, 3]),
    packr.pack('a string'),
    packr.pack({ ...goodMap, w: 2 }),
    packr.pack({ ...goodMap, t: 'ffff' }), // target not 8 bytes
    packr.pack({ ...goodMap, t: new Uint8Array(7) }),
    packr.pack({ ...goodMap, j: -1 }),
    packr.pack({ ...goodMap, j: 1.5 }),
    packr.pack({ ...goodMap, sb: 1 }),
    packr.pack({ ...goodMap, n: new Uint8Array(0) }),
    packr.pack({ ...goodMap, e: 'x'.repeat(65) }),
  ];
  for (const [i, data] of cases.entries()) assert.throws(() => decodeShare(data), isBad, `case ${i}`);
  const job = packr.unpack(encodeJob({ jobId: 1, oprVersion: 1, oprHash: new Uint8Array(32), submitThreshold: 5n, lxrBits: 20, seq: 1, issuedAt: 1 })) as Record<string, unknown>;
  assert.throws(() => decodeJob(packr.pack({ ...job, h: new Uint8Array(31) })), isBad);
  assert.throws(() => decodeJob(packr.pack({ ...job, v: 0 })), isBad);
  assert.throws(() => decodeJob(packr.pack({ ...job, b: 41 })), isBad);
  assert.throws(() => decodeJob(packr.pack({ ...job, b: undefined })), isBad);
  assert.throws(() => decodeJob(packr.pack({ ...job, x: 'yes' })), isBad);
  assert.throws(() => decodeJob(good), isBad); // a share is not a job
  const counters = [0, 0, 0, 0, 0, 0, 0, 0, 0];
  assert.throws(() => decodeReport(packr.pack({ w: 1, e: 'x', s: -3, r: 1, q: 0, at: 1, c: counters, vp: 0 })), isBad);
  assert.doesNotThrow(() => decodeReport(packr.pack({ w: 1, e: 'x', s: 3, r: 1, q: 0, at: 1, c: counters, vp: 0 })));
  assert.throws(() => decodeReport(packr.pack({ w: 1, e: 'x', s: 3, r: 1, q: 0, at: 1, c: counters.slice(1), vp: 0 })), isBad);
  assert.throws(() => decodeReport(packr.pack({ w: 1, e: 'x', s: 3, r: 1, q: 0, at: 1, c: [...counters.slice(1), -1], vp: 0 })), isBad);
  assert.throws(() => decodeReport(packr.pack({ w: 1, e: 'x', s: 3, r: 1, q: 0, at: 1, c: counters })), isBad);
});

test('values that cannot be encoded are refused before they reach the wire', () => {
  assert.throws(() => u64ToBytes(1n << 64n), (e: unknown) => isProsperError(e, 'PROSPER_E_CLUSTER_RANGE'));
  assert.throws(() => u64ToBytes(-1n), (e: unknown) => isProsperError(e, 'PROSPER_E_CLUSTER_RANGE'));
  assert.throws(() => encodeJob({ jobId: 1, oprVersion: 1, oprHash: new Uint8Array(31), submitThreshold: 0n, lxrBits: 20, seq: 1, issuedAt: 1 }), (e: unknown) => isProsperError(e, 'PROSPER_E_CLUSTER_RANGE'));
});

test('the share id is stable, tells apart job and nonce, and is the same through any edge', () => {
  const s = { ...makeShare(3), edgeId: 'e1' };
  const sameShareLater: EdgeShare = { ...s, receivedAt: 5, sessionId: 'other' };
  assert.equal(shareMsgId(s), shareMsgId(sameShareLater));
  assert.equal(shareMsgId(s), `1000.${Buffer.from(s.nonce).toString('hex')}`);
  // A share replayed through a second edge is the same share: one id, credited once.
  const viaOtherEdge: EdgeShare = { ...s, edgeId: 'e2' };
  assert.equal(shareMsgId(s), shareMsgId(viaOtherEdge));
  const ids = new Set([shareMsgId(s), shareMsgId({ ...s, jobId: 1001 }), shareMsgId({ ...s, nonce: new Uint8Array([1]) })]);
  assert.equal(ids.size, 3);
});

test('cluster names refuse tokens that would break subjects or stream names', () => {
  const names = clusterNames('pool_a');
  assert.equal(names.sharesSubject('edge-1'), 'pool_a.shares.edge-1');
  assert.equal(names.sharesStream, 'POOL_A_SHARES');
  for (const bad of ['a.b', 'a*', '>', '', 'a b']) {
    assert.throws(() => clusterNames(bad), (e: unknown) => isProsperError(e, 'PROSPER_E_CLUSTER_NAME'));
    assert.throws(() => names.sharesSubject(bad), (e: unknown) => isProsperError(e, 'PROSPER_E_CLUSTER_NAME'));
  }
});

test('an auth reply carries the refusal code and the retry hint to the edge, and older replies without them still decode', () => {
  assert.deepEqual(decodeAuthReply(encodeAuthReply({ ok: true, userId: '42' })), { ok: true, userId: '42' });
  const refused = { ok: false as const, reason: 'wrong password', code: 'PROSPER_E_AUTH_PASSWORD' };
  assert.deepEqual(decodeAuthReply(encodeAuthReply(refused)), refused);
  const busy = { ok: false as const, reason: 'try again', code: 'PROSPER_E_AUTH_UNAVAILABLE', retryable: true };
  assert.deepEqual(decodeAuthReply(encodeAuthReply(busy)), busy);
  assert.deepEqual(decodeAuthReply(encodeAuthReply({ ok: false, reason: 'plain' })), { ok: false, reason: 'plain' });
  assert.throws(() => decodeAuthReply(new Packr({ useRecords: false, mapsAsObjects: true }).pack({ w: 1, ok: false, r: 'x', c: 7 })), isBad);
});
