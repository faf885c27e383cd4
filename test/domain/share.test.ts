import assert from 'node:assert/strict';
import { test } from 'node:test';
import { creditOf, userIdOf, type ProvenShare } from '../../src/domain/index.js';
import { isProsperError } from '../../src/errors.js';

test('userIdOf reads the store id an authorizer handed Stratum, and nothing else', () => {
  assert.equal(userIdOf('42'), 42n);
  assert.equal(userIdOf('9223372036854775807'), 9223372036854775807n, 'the largest bigserial');
  for (const text of ['', 'alice@example.com', '-1', '4 2', '1e3', '12345678901234567890', '٣', null, undefined]) {
    assert.equal(userIdOf(text), undefined, JSON.stringify(text));
  }
});

test('creditOf: a proven share is credited at its assigned target under its job and user, the relay id kept when given', () => {
  const share: ProvenShare = {
    jobId: 1234, userId: '7', username: 'a@example.com', minerId: 'rig1', sessionId: 's', ip: '127.0.0.1', nonce: new Uint8Array([1, 2]),
    receivedAt: 0, target: 0xffff_ff00_0000_0000n, assignedTarget: 0xffff_0000_0000_0000n, submit: false,
  };
  assert.deepEqual(creditOf(share), { jobId: 1234, userId: 7n, miner: 'rig1', assignedTarget: 0xffff_0000_0000_0000n });
  assert.deepEqual(creditOf(share, 'edge1/99'), { jobId: 1234, userId: 7n, miner: 'rig1', assignedTarget: 0xffff_0000_0000_0000n, shareId: 'edge1/99' });
});

test('creditOf refuses, coded, a share whose user id is not a users id (an any-name authorizer)', () => {
  const share: ProvenShare = {
    jobId: 1, userId: 'alice', username: 'alice', minerId: 'rig1', sessionId: 's', ip: '127.0.0.1', nonce: new Uint8Array([1]),
    receivedAt: 0, target: 1n, assignedTarget: 1n, submit: false,
  };
  assert.throws(() => creditOf(share), (e) => isProsperError(e, 'PROSPER_E_ACCOUNTING_USER'));
});
