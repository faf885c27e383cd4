// The web with webhooks over the real store (PGlite) for the API and page tests: a notifier, a
// user (`user-password`) and an admin (`admin-password`) registered over Stratum's path.
import assert from 'node:assert/strict';
import { createAuthService, type AuthService } from '../../src/auth/index.js';
import { silentLogger } from '../../src/log.js';
import { Notifier, notifyWebData } from '../../src/notify/index.js';
import { createSqlNotifyStore, createSqlStore, type SqlDatabase } from '../../src/store/index.js';
import { systemClock } from '../../src/util/clock.js';
import { createStoreWebData } from '../../src/web/index.js';
import { MemoryWebData } from '../helpers/memory-web-data.js';
import { FA_ADDRESS } from '../web/fixtures.js';
import { FAST_SCRYPT, startTestServer, type TestServer } from '../web/helpers.js';
import { testSettings } from './receiver.js';

export interface NotifyWeb {
  notifier: Notifier;
  auth: AuthService;
  srv: TestServer;
  userId: bigint;
  close(): Promise<void>;
}

export async function startNotifyWeb(o: { db: SqlDatabase; dir: string; urls: string[]; now: () => number; user: string; admin: string }): Promise<NotifyWeb> {
  const store = await createSqlStore(o.db);
  const notifyStore = createSqlNotifyStore(o.db);
  const notifier = new Notifier({ settings: testSettings(o.urls, { spoolDir: o.dir, logSize: 50 }), clock: systemClock, logger: silentLogger(), store: notifyStore });
  const auth = createAuthService({ store, now: o.now, scryptCost: FAST_SCRYPT });
  const live = new MemoryWebData({ now: o.now, scryptCost: FAST_SCRYPT });
  const srv = await startTestServer({ ...createStoreWebData({ store, auth, live, now: o.now, scryptCost: FAST_SCRYPT }), notify: notifyWebData(notifier, notifyStore, o.now) }, o.now);
  notifier.start();
  const [c1, c2] = await auth.createInviteCodes(2);
  const user = await auth.authorizeMiner({ username: o.user, minerId: 'rig1', password: 'user-password', inviteCode: c1, payoutAddress: FA_ADDRESS });
  assert.ok(user.ok);
  assert.ok((await auth.authorizeMiner({ username: o.admin, minerId: '', password: 'admin-password', inviteCode: c2, payoutAddress: FA_ADDRESS })).ok);
  await auth.makeAdmin(o.admin);
  return {
    notifier, auth, srv, userId: user.ok ? user.userId : 0n,
    async close() {
      srv.close();
      await notifier.stop();
    },
  };
}
