// Signed credit roots over the real store (PostgreSQL and PGlite) and the real web server:
// settlement publishes each job's root once, the endpoints answer exactly the documented JSON,
// proofs check out for every user, a published root is never re-signed, the payout file names
// the roots it pays, and `prosper-miner verify` reads it all back.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { createAccountant, createShareLedger, creditForTarget, parsePayoutFile, writePayoutFile } from '../../src/accounting/index.js';
import { createAuthService } from '../../src/auth/index.js';
import { createLogger } from '../../src/log.js';
import { createPoolBus } from '../../src/pool/index.js';
import { createCreditRoots, loadOrCreatePoolIdentity, publishRootsOnSettle, statementSignedBy } from '../../src/verify/index.js';
import { journalLine } from '../../src/verify/journal.js';
import { checkJobCredit } from '../../src/verify/proof-check.js';
import { parseProofReply, parseRootReply } from '../../src/verify/pool-reply.js';
import { registerVerifyCommand } from '../../src/verify/verify-command.js';
import { registerDbCommands } from '../../src/cli/db-commands.js';
import { createStoreWebData } from '../../src/web/index.js';
import { MemoryWebData } from '../helpers/memory-web-data.js';
import { BACKENDS, closeSharedPglite, openTestStore } from '../store/test-backends.js';
import { call, FAST_SCRYPT, login, startTestServer } from '../web/helpers.js';
import { FA_ADDRESS, manualClock } from '../web/fixtures.js';

after(closeSharedPglite);

const PDIFF = 0xffff000000000000n;
const HARDER = 0xfffff00000000000n;

async function runVerify(args: string[]): Promise<{ code: number; out: string }> {
  const lines: string[] = [];
  const program = new Command('prosper-miner').exitOverride();
  registerVerifyCommand(program, (l) => lines.push(l));
  process.exitCode = 0;
  await program.parseAsync(['node', 'prosper-miner', 'verify', ...args]);
  const code = Number(process.exitCode ?? 0);
  process.exitCode = 0;
  return { code, out: lines.join('\n') };
}

for (const backend of BACKENDS) {
  describe(`credit roots over the real store (${backend})`, () => {
    test('settlement publishes a signed root; endpoints, proofs, pinning, payout roots, never re-signed', { timeout: 120_000 }, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'prosper-verify-'));
      const t = await openTestStore(backend);
      const clock = manualClock();
      const logs: string[] = [];
      const log = createLogger({ level: 'info', name: 'test', destination: { write: (s: string) => void logs.push(s) } } as never);
      let srv: Awaited<ReturnType<typeof startTestServer>> | undefined;
      try {
        const { store, db } = t;
        const auth = createAuthService({ store, now: clock.now, scryptCost: FAST_SCRYPT });
        const codes = await auth.createInviteCodes(3);
        const users: bigint[] = [];
        for (const [i, code] of codes.entries()) {
          const r = await auth.authorizeMiner({ username: `u${i}@example.com`, minerId: 'rig', password: `password-${i}`, inviteCode: code, payoutAddress: FA_ADDRESS });
          assert.ok(r.ok);
          users.push(r.userId);
        }
        const identity = loadOrCreatePoolIdentity(join(dir, 'pool-identity.key'));
        // Loading again gives the same key (kept in the file).
        assert.equal(loadOrCreatePoolIdentity(join(dir, 'pool-identity.key')).publicKey, identity.publicKey);
        const credit = await createCreditRoots(db, identity, { now: clock.now, log });
        const ledger = createShareLedger({ store, now: clock.now });
        // Roots are published by a JobSettled subscriber, as in the pool (the block handler publishes it).
        const bus = createPoolBus(log);
        publishRootsOnSettle(bus, credit, log);
        const splitter = createAccountant({ store, ledger, feeRateE8: 5_000_000n, now: clock.now });
        const accountant = {
          async settleJob(jobId: number, reward: bigint) {
            const out = await splitter.settleJob(jobId, reward);
            bus.publish('JobSettled', { ...out, winning: 0, graded: 0 });
            await bus.drain();
            return out;
          },
        };

        // Job 7: u0 three PDiff shares, u1 one harder share, u2 nothing.
        for (const target of [PDIFF, PDIFF, PDIFF]) await ledger.credit({ jobId: 7, userId: users[0]!, miner: 'rig', assignedTarget: target });
        await ledger.credit({ jobId: 7, userId: users[1]!, miner: 'rig', assignedTarget: HARDER });
        const settled = await accountant.settleJob(7, 1_000_000_007n);
        const owed0 = settled.record.payouts.find((p) => p.userId === users[0])!.amount;
        // A job with no credit at all gets no root.
        await accountant.settleJob(6, 0n);
        assert.equal(await credit.sql.root(6), null);

        const live = new MemoryWebData({ now: clock.now, scryptCost: FAST_SCRYPT });
        srv = await startTestServer({ ...createStoreWebData({ store, auth, live, now: clock.now, scryptCost: FAST_SCRYPT }), credit: credit.web }, clock.now);
        const base = srv.base;

        const id = await call(base, 'GET', '/api/pool/identity');
        assert.deepEqual(id.json, { publicKey: identity.publicKey });

        const r7 = await call(base, 'GET', '/api/pool/credit/7');
        assert.equal(r7.status, 200);
        assert.deepEqual(Object.keys(r7.json), ['jobId', 'root', 'total', 'leaves', 'signature', 'reward', 'feeRate', 'poolFee', 'dust', 'scheme', 'ppsRateE18', 'pplnsWindow']);
        assert.deepEqual([r7.json.scheme, r7.json.ppsRateE18, r7.json.pplnsWindow], ['prop', null, null], 'a PROP job names its scheme');
        const total = 3n * creditForTarget(PDIFF) + creditForTarget(HARDER);
        assert.equal(r7.json.jobId, 7);
        assert.equal(r7.json.total, total.toString());
        assert.equal(r7.json.leaves, 2);
        assert.equal(r7.json.reward, '1000000007');
        assert.equal(r7.json.feeRate, '0.05', 'the rate the split used (feeRateE8 5 000 000)');
        assert.equal(r7.json.poolFee, settled.record.fee.toString());
        assert.equal(r7.json.dust, settled.record.dust.toString());
        const root = parseRootReply(r7.json);
        assert.ok(statementSignedBy({ jobId: 7, root: root.root, total: root.total, leaves: root.leaves }, root.signature, identity.publicKey));

        // Each user's credit key (from /api/me) has a proof that checks out with the exact credit.
        const expected = [3n * creditForTarget(PDIFF), creditForTarget(HARDER)];
        const keys: string[] = [];
        for (const i of [0, 1]) {
          const c = await login(base, `u${i}@example.com`, `password-${i}`);
          const me = await call(base, 'GET', '/api/me', { cookie: c.cookie });
          assert.match(me.json.creditKey, /^[0-9a-f]{64}$/);
          keys.push(me.json.creditKey);
          const p = await call(base, 'GET', `/api/pool/credit/7/proof/${me.json.creditKey}`);
          assert.equal(p.status, 200);
          assert.deepEqual(Object.keys(p.json), ['jobId', 'creditKey', 'credit', 'path', 'root', 'total', 'leaves', 'signature']);
          assert.deepEqual(Object.keys(p.json.path[0]), ['side', 'hash', 'sum']);
          const res = checkJobCredit({ jobId: 7, creditKey: me.json.creditKey, publicKey: identity.publicKey, expectedCredit: expected[i]!, root, proof: parseProofReply(p.json) });
          assert.deepEqual(res.problems, []);
          if (i === 0) assert.equal(res.amount, owed0, 'the split the miner computes is what the store owes');
        }
        assert.notEqual(keys[0], keys[1]);
        // The key is stable: asked again (concurrently), the same one.
        const again = await Promise.all(Array.from({ length: 8 }, () => credit.web.creditKey(users[0]!)));
        assert.deepEqual(new Set(again), new Set([keys[0]]));
        // u2 has a key too but no leaf in job 7.
        const k2 = await credit.web.creditKey(users[2]!);
        const noLeaf = await call(base, 'GET', `/api/pool/credit/7/proof/${k2}`);
        assert.equal(noLeaf.status, 404);
        assert.match(noLeaf.json.error.message, /no leaf/);

        // Bad input: a coded error, never a crash; a burst of them answered.
        const bad = await Promise.all([
          call(base, 'GET', '/api/pool/credit/abc'), call(base, 'GET', '/api/pool/credit/-1'), call(base, 'GET', '/api/pool/credit/99999999999999999999999'),
          call(base, 'GET', '/api/pool/credit/7/proof/xyz'), call(base, 'GET', '/api/pool/credit/7/proof/%00%01'), call(base, 'GET', '/api/pool/credit/7/proof/%ff%fe'),
          call(base, 'GET', '/api/pool/credit/7/other/1'), call(base, 'GET', '/api/pool/credit/8'), call(base, 'POST', '/api/pool/credit/7', { body: {} }),
          ...Array.from({ length: 20 }, () => call(base, 'GET', `/api/pool/credit/7/proof/${keys[0]}`)),
        ]);
        assert.deepEqual(bad.slice(0, 9).map((r) => [r.status, r.json?.error?.code]), [
          [400, 'PROSPER_E_WEB_PARAM'], [400, 'PROSPER_E_WEB_PARAM'], [400, 'PROSPER_E_WEB_PARAM'],
          [400, 'PROSPER_E_WEB_PARAM'], [400, 'PROSPER_E_WEB_PARAM'], [400, 'PROSPER_E_WEB_PARAM'],
          [404, 'PROSPER_E_WEB_NOT_FOUND'], [404, 'PROSPER_E_WEB_NOT_FOUND'], [405, 'PROSPER_E_WEB_METHOD'],
        ]);
        assert.ok(bad.slice(9).every((r) => r.status === 200 && r.json.credit === expected[0]!.toString()));

        // JSON-RPC: the same objects.
        const rpc = async (method: string, params: unknown) =>
          (await call(base, 'POST', '/api/v1', { body: { jsonrpc: '2.0', method, params, id: 1 } })).json;
        assert.deepEqual((await rpc('api.CreditRoot', { jobid: 7 })).result, r7.json);
        assert.deepEqual((await rpc('api.PoolIdentity', {})).result, { publicKey: identity.publicKey });
        const list = (await rpc('api.CreditRoots', { limit: 10 })).result;
        assert.deepEqual(list, { data: [r7.json], info: { records: 1, totalrecords: 1 } });
        assert.deepEqual((await rpc('api.CreditProof', { jobid: 7, creditkey: keys[1] })).result, (await call(base, 'GET', `/api/pool/credit/7/proof/${keys[1]}`)).json);
        assert.equal((await rpc('api.CreditRoot', { jobid: 8 })).error.data.code, 'PROSPER_E_WEB_NOT_FOUND');

        // prosper-miner verify: OK from the journal, then the exact discrepancy, then a changed pool key.
        const cfg = join(dir, 'miner', 'prosper-miner.toml');
        const journal = join(dir, 'u0.jsonl');
        writeFileSync(journal, [1, 2, 3].map((n) => journalLine({ job: 7, target: PDIFF, nonce: `0a0b0c0d0${n}` })).join('') + '{"job": cut sho');
        const common = ['--job', '7', '--pool-web', base, '--credit-key', keys[0]!, '-c', cfg];
        const ok = await runVerify([...common, '--journal', journal]);
        assert.equal(ok.code, 0, ok.out);
        assert.match(ok.out, /Pinned the pool key .* \(trust on first use\)/);
        assert.match(ok.out, /skipped 1 unreadable lines/);
        assert.match(ok.out, new RegExp(`credit check job 7: OK - credit ${expected[0]} for 3 acknowledged shares`));
        // Another worker's journal of the same user adds a share the pool never credited.
        const other = join(dir, 'u0-rig2.jsonl');
        writeFileSync(other, journalLine({ job: 7, target: PDIFF, nonce: 'ff00000001' }));
        const short = await runVerify([...common, '--journal', journal, other]);
        assert.equal(short.code, 1);
        assert.match(short.out, new RegExp(`credited ${expected[0]}, your acknowledged shares earn ${expected[0]! + 65_536n} \\(under-credited by 65536\\)`));
        // The pinned key differs from the pool's: a loud warning, and the signature check fails.
        const settingsPath = join(dir, 'miner', 'prosper-miner-verify.json');
        const settings = JSON.parse(readFileSync(settingsPath, 'utf8'));
        writeFileSync(settingsPath, JSON.stringify({ ...settings, pins: { [base]: 'ee'.repeat(32) } }));
        const changed = await runVerify([...common, '--journal', journal]);
        assert.equal(changed.code, 1);
        assert.match(changed.out, /WARNING: THE POOL'S SIGNING KEY CHANGED/);
        assert.match(changed.out, /signature does not verify under the pinned pool key e{64}/);
        const trusted = await runVerify([...common, '--journal', journal, '--trust-new-key']);
        assert.equal(trusted.code, 0, trusted.out);

        // Never re-signed: the owed credit changed under a published root; publishing again keeps
        // the first root, and proofs refuse to answer for credit nobody signed.
        await db.query('UPDATE owed SET credit = credit - 1 WHERE job_id = 7 AND user_id = $1', [users[0]!]);
        const republished = await credit.publish(7);
        assert.equal(republished?.root, root.root);
        assert.equal(republished?.signature, root.signature);
        assert.ok(logs.some((l) => l.includes('differs from its published root')));
        assert.equal((await call(base, 'GET', `/api/pool/credit/7/proof/${keys[0]}`)).status, 500);
        await db.query('UPDATE owed SET credit = credit + 1 WHERE job_id = 7 AND user_id = $1', [users[0]!]);

        // A settlement whose publication was missed is published at the next start.
        await ledger.credit({ jobId: 8, userId: users[2]!, miner: 'rig', assignedTarget: PDIFF });
        await ledger.flush();
        await store.settleJob(8, (cs) => ({ reward: 0n, feeRateE8: 0n, fee: 0n, dust: 0n, totalCredit: cs[0]!.credit, payouts: [{ ...cs[0]!, amount: 0n }] }), new Date(clock.now()));
        assert.equal(await credit.sql.root(8), null);
        assert.equal(await credit.publishOutstanding(), 1);
        assert.equal((await credit.sql.root(8))?.leaves, 1);
        assert.equal(await credit.publishOutstanding(), 0);

        // The payout file names the roots it pays; the next batch only the newer ones.
        const paidRoots = (batchId: string) => credit.sql.rootsPaidBy(batchId);
        clock.advance(1000);
        const f1 = await writePayoutFile(store, join(dir, 'p1.json'), { minimum: 1n, now: clock.now, newId: () => 'batch-1', paidRoots });
        assert.deepEqual(f1?.roots, [{ jobId: 7, root: root.root }]);
        assert.deepEqual(parsePayoutFile(readFileSync(join(dir, 'p1.json'), 'utf8')).roots, f1?.roots);
        clock.advance(1000);
        await ledger.credit({ jobId: 9, userId: users[0]!, miner: 'rig', assignedTarget: PDIFF });
        await accountant.settleJob(9, 500_000_000n);
        clock.advance(1000);
        const f2 = await writePayoutFile(store, join(dir, 'p2.json'), { minimum: 1n, now: clock.now, newId: () => 'batch-2', paidRoots });
        assert.deepEqual(f2?.roots, [{ jobId: 9, root: (await credit.sql.root(9))!.root }]);
        // The same through `prosper-pool db payout` on the store's database.
        await ledger.credit({ jobId: 10, userId: users[1]!, miner: 'rig', assignedTarget: PDIFF });
        await accountant.settleJob(10, 300_000_000n);
        clock.advance(1000);
        const cliOut: string[] = [];
        const program = new Command('prosper-pool').exitOverride();
        registerDbCommands(program, { openStore: async () => ({ ...store, db, close: async () => undefined }), out: (l) => cliOut.push(l), err: (l) => cliOut.push(l), now: clock.now });
        await program.parseAsync(['node', 'prosper-pool', 'db', 'payout', join(dir, 'p3.json'), '--min', '0.00000001']);
        assert.match(cliOut.join('\n'), /pays the credit roots of 1 jobs/);
        assert.deepEqual(parsePayoutFile(readFileSync(join(dir, 'p3.json'), 'utf8')).roots, [{ jobId: 10, root: (await credit.sql.root(10))!.root }]);
        await ledger.close();
      } finally {
        srv?.close();
        await t.dispose();
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
}
