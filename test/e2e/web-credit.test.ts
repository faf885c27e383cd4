// `prosper-pool web` alone (a real process) serves verifiable accounting like the pool does:
// over a PostgreSQL schema the pool settled a job in and signed its credit root, it answers the
// pool's identity, the job's root, a user's proof (which checks out under the pinned key) and the
// JSON-RPC methods; with no key file it creates none, still starts, and answers the credit
// endpoints with PROSPER_E_VERIFY_NO_IDENTITY.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createAccountant, createShareLedger, creditForTarget, PDIFF } from '../../src/accounting/index.js';
import { createAuthService } from '../../src/auth/index.js';
import { silentLogger } from '../../src/log.js';
import { createSqlStore, openPostgres } from '../../src/store/index.js';
import { createPoolBus } from '../../src/pool/index.js';
import { createCreditRoots, loadOrCreatePoolIdentity, publishRootsOnSettle } from '../../src/verify/index.js';
import { checkJobCredit } from '../../src/verify/proof-check.js';
import { parseProofReply, parseRootReply } from '../../src/verify/pool-reply.js';
import { PG } from '../store/test-backends.js';
import { freePort, postgresHome, spawnCli, stopProc, testFaAddress, until, type Proc } from './helpers.js';

const SECRET = 'a-web-session-secret-of-forty-characters!';

async function startWeb(config: string, home: string): Promise<{ proc: Proc; origin: string }> {
  const port = await freePort();
  const proc = spawnCli('prosper-pool', ['--config', config, 'web', '--port', String(port)], { HOME: home, PROSPER_WEB_SECRET: SECRET, PROSPER_LOG_PRETTY: '0' });
  await until(() => proc.out().includes('"msg":"web server listening"') || proc.child.exitCode !== null, 120_000, 'web server listening', () => proc.out());
  assert.equal(proc.child.exitCode, null, proc.out());
  return { proc, origin: `http://127.0.0.1:${port}` };
}

const rpc = async (origin: string, method: string, params: unknown) =>
  (await (await fetch(`${origin}/api/v1`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', method, params, id: 1 }) })).json()) as any;

test('prosper-pool web serves the credit roots the pool signed, and without the pool key answers a coded error instead', { timeout: 240_000 }, async () => {
  const { home, schema, config, dispose } = postgresHome('prosper-web-credit-');
  let web: Proc | undefined;
  try {
    // What the pool does at settlement, over the configured schema and its key file.
    const keyFile = join(home, 'pool-identity.key');
    const db = await openPostgres({ ...PG, ssl: false, schema });
    const store = await createSqlStore(db);
    const now = Date.now;
    const auth = createAuthService({ store, now, scryptCost: { logN: 10, r: 8, p: 1 } });
    const [code] = await auth.createInviteCodes(1);
    const u = await auth.authorizeMiner({ username: 'miner@pool.io', minerId: 'rig', password: 'pw-of-miner', inviteCode: code!, payoutAddress: testFaAddress(1) });
    assert.ok(u.ok);
    const identity = loadOrCreatePoolIdentity(keyFile);
    const credit = await createCreditRoots(db, identity);
    const ledger = createShareLedger({ store, now });
    for (let i = 0; i < 3; i++) await ledger.credit({ jobId: 40, userId: u.userId, miner: 'rig', assignedTarget: PDIFF });
    // Settled, and its root published by the JobSettled subscriber, as in the pool.
    const bus = createPoolBus(silentLogger());
    publishRootsOnSettle(bus, credit, silentLogger());
    const settled = await createAccountant({ store, ledger, feeRateE8: 2_000_000n, now }).settleJob(40, 5_000_000_000n);
    bus.publish('JobSettled', { ...settled, winning: 1, graded: 1 });
    await bus.drain();
    assert.ok(await credit.sql.root(40), 'the root is published');
    await ledger.close();
    const creditKey = await credit.sql.creditKey(u.userId);
    await store.close();

    appendFileSync(config, `[pool]\nidentitykey = "${keyFile}"\n`);
    const started = await startWeb(config, home);
    web = started.proc;
    const { origin } = started;
    assert.deepEqual(await (await fetch(`${origin}/api/pool/identity`)).json(), { publicKey: identity.publicKey });
    const rootRes = await fetch(`${origin}/api/pool/credit/40`);
    assert.equal(rootRes.status, 200);
    const rootJson = await rootRes.json();
    const proofRes = await fetch(`${origin}/api/pool/credit/40/proof/${creditKey}`);
    assert.equal(proofRes.status, 200);
    const proofJson = await proofRes.json();
    const check = checkJobCredit({
      jobId: 40, creditKey, publicKey: identity.publicKey, expectedCredit: 3n * creditForTarget(PDIFF), root: parseRootReply(rootJson), proof: parseProofReply(proofJson),
    });
    assert.deepEqual(check.problems, []);
    assert.deepEqual((await rpc(origin, 'api.PoolIdentity', {})).result, { publicKey: identity.publicKey });
    assert.deepEqual((await rpc(origin, 'api.CreditRoot', { jobid: 40 })).result, rootJson);
    assert.deepEqual((await rpc(origin, 'api.CreditProof', { jobid: 40, creditkey: creditKey })).result, proofJson);
    assert.equal((await rpc(origin, 'api.CreditRoots', {})).result.info.totalrecords, 1);
    assert.equal(await stopProc(web, 'SIGTERM', 20_000), 0, web.out());

    // The web on a host without the pool's key: it starts, makes no key, and says why it cannot answer.
    const missing = join(home, 'elsewhere', 'pool-identity.key');
    writeFileSync(config, readFileSync(config, 'utf8').replace(keyFile, missing));
    const again = await startWeb(config, home);
    web = again.proc;
    assert.match(web.out(), /no pool identity key/);
    for (const path of ['/api/pool/identity', '/api/pool/credit/40', `/api/pool/credit/40/proof/${creditKey}`]) {
      const res = await fetch(`${again.origin}${path}`);
      assert.equal(res.status, 503, path);
      const body = (await res.json()) as { error: { code: string; message: string } };
      assert.equal(body.error.code, 'PROSPER_E_VERIFY_NO_IDENTITY', path);
      assert.match(body.error.message, /identitykey/);
    }
    assert.equal((await rpc(again.origin, 'api.CreditRoot', { jobid: 40 })).error.data.code, 'PROSPER_E_VERIFY_NO_IDENTITY');
    assert.equal((await fetch(`${again.origin}/api/pool/stats`)).status, 200, 'the rest of the web works');
    assert.equal(existsSync(missing), false, 'the web never creates a pool key');
    assert.equal(await stopProc(web, 'SIGTERM', 20_000), 0, web.out());
  } finally {
    if (web) await stopProc(web, 'SIGKILL');
    await dispose();
  }
});
