// The user store's outage tracker reports changes only (the pool's pool.degraded / recovered
// source for the database): a real refused connection makes it report "away" once however
// many calls fail, and the first call that succeeds reports "back".
import assert from 'node:assert/strict';
import { connect, createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { StoreOutage } from '../../src/auth/store-outage.js';
import { isProsperError } from '../../src/errors.js';
import { silentLogger } from '../../src/log.js';

/** A port that was just free: connecting to it is refused. */
async function closedPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address() as AddressInfo;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

const refused = (port: number) => () => new Promise<never>((_resolve, reject) => {
  const s = connect(port, '127.0.0.1');
  s.on('error', reject);
});

test('StoreOutage reports the store away once and back once', async () => {
  const changes: [boolean, string | undefined][] = [];
  const outage = new StoreOutage(silentLogger(), (up, reason) => changes.push([up, reason]));
  const port = await closedPort();
  for (let i = 0; i < 3; i++) {
    await assert.rejects(outage.watch(refused(port)), (e: unknown) => isProsperError(e, 'PROSPER_E_AUTH_UNAVAILABLE'));
  }
  assert.equal(changes.length, 1);
  assert.equal(changes[0]![0], false);
  assert.match(changes[0]![1] ?? '', /ECONNREFUSED/);
  assert.equal(await outage.watch(async () => 7), 7);
  assert.equal(await outage.watch(async () => 8), 8);
  assert.deepEqual(changes.slice(1), [[true, undefined]]);
});
