import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createShareLedger, estimateHashrate, PDIFF } from '../../src/accounting/index.js';
import { createAuthService } from '../../src/auth/index.js';
import { silentLogger } from '../../src/log.js';
import { startPoolWeb } from '../../src/web/index.js';
import { freePort } from '../e2e/helpers.js';
import { openTestStore, type TestStore } from '../store/test-backends.js';
import { call, FAST_SCRYPT, TEST_SECRET } from './helpers.js';
import { FA_ADDRESS } from './fixtures.js';

let t: TestStore;
before(async () => {
  t = await openTestStore('pglite');
});
after(() => t.dispose());

test('the web alone (prosper-pool web) shows the hashrate figures from the shares the pool stores', async () => {
  const now = Date.now();
  const auth = createAuthService({ store: t.store, now: () => now, scryptCost: FAST_SCRYPT });
  const [code] = await auth.createInviteCodes(1);
  const u = await auth.authorizeMiner({ username: 'solo@pool.io', minerId: 'rig', password: 'solo-password', inviteCode: code, payoutAddress: FA_ADDRESS });
  assert.ok(u.ok);
  const ledger = createShareLedger({ store: t.store, now: () => now - 60_000, flushIntervalMs: 1 });
  for (let i = 0; i < 7; i++) await ledger.credit({ jobId: 3, userId: u.userId, miner: 'rig', assignedTarget: PDIFF });
  await ledger.close();
  const web = await startPoolWeb({
    section: { host: '127.0.0.1', port: await freePort(), sessionsecret: TEST_SECRET }, store: t.store, auth, log: silentLogger(), env: {}, secretDir: '/nonexistent',
    figures: { windowSeconds: 300, everyMs: 3600_000 },
  });
  assert.ok(web);
  try {
    const stats = (await call(`http://127.0.0.1:${web.server.port}`, 'GET', '/api/pool/stats')).json;
    assert.deepEqual(stats.hashrate, estimateHashrate({ credit: 7n * 65_536n, shares: 7 }, 300));
    assert.equal(stats.activeUsers, 1);
  } finally {
    web.server.close();
  }
});
