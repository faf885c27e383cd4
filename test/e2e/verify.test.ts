// Verifiable accounting end to end: the pool on an embedded devnet (2-second blocks) and the
// real PostgreSQL, two real prosper-miner processes over real Stratum with their credit keys
// from the account API. Each miner checks every settled job's signed proof against its own
// journal and prints OK; `prosper-miner verify --job H` agrees; then the store under-credits
// one miner in the job being mined (the operator cheating by one unit) and that miner reports
// exactly that, while the other still passes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { spawnCli, startE2ePool, testFaAddress, until } from './helpers.js';

const BITS = 10;

const okLines = (out: string) => [...out.matchAll(/credit check job (\d+): OK/g)].map((m) => Number(m[1]));

test('miners verify their credit in every settled job; an under-credited miner is caught to the unit', { timeout: 400_000 }, async () => {
  // PostgreSQL in its own schema, a fast devnet, web on a known port.
  const pool = await startE2ePool('e2e-verify', BITS, (dir) => ({
    pegnet: { pollingperiod: '200ms', retryperiod: '500ms' },
    pool: { identitykey: join(dir, 'pool-identity.key') },
    submit: { submissioncutoff: 5 },
    web: { sessionsecret: 'e2e-verify-secret-'.padEnd(40, 'x') },
  }));
  const { dir, db, base: web, miners } = pool;
  try {
    const engine = await pool.startEngine();
    assert.equal(engine.info.webPort, pool.webPort);

    // Two users registered (as Stratum authorize does), each reads their credit key from the API.
    const codes = await engine.auth.createInviteCodes(2);
    const keys: string[] = [];
    const userIds: string[] = [];
    for (const [i, code] of codes.entries()) {
      const r = await engine.auth.authorizeMiner({ username: `v${i}@example.com`, minerId: 'setup', password: `password-${i}`, inviteCode: code, payoutAddress: testFaAddress(i + 1) });
      assert.ok(r.ok);
      userIds.push(r.userId.toString());
      const login = await fetch(`${web}/api/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ email: `v${i}@example.com`, password: `password-${i}` }) });
      assert.equal(login.status, 200);
      const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
      const me = (await (await fetch(`${web}/api/me`, { headers: { Cookie: cookie } })).json()) as { creditKey: string };
      assert.match(me.creditKey, /^[0-9a-f]{64}$/);
      keys.push(me.creditKey);
    }
    const identity = (await (await fetch(`${web}/api/pool/identity`)).json()) as { publicKey: string };
    assert.match(identity.publicKey, /^[0-9a-f]{64}$/);

    for (const i of [0, 1]) pool.spawnMiner(i, `v${i}@example.com`, `password-${i}`, ['--credit-key', keys[i]!, '--pool-web', web]);
    const logs = pool.minerLogs;

    // Every miner checks several settled jobs, all OK, under the key it pinned on first use.
    await until(() => miners.every((m) => okLines(m.out()).length >= 3), 180_000, 'three OK credit checks per miner', logs);
    for (const m of miners) {
      assert.doesNotMatch(m.out(), /DISCREPANCY/, logs());
      assert.match(m.out(), new RegExp(`Pinned the pool key of ${web}: ${identity.publicKey} \\(trust on first use\\)`));
    }

    // The verify command agrees for a checked job (the miner's own journal, remembered settings).
    const checked = okLines(miners[0]!.out())[0]!;
    const cmd = spawnCli('prosper-miner', ['verify', '--job', String(checked)], { HOME: join(dir, 'miner0') });
    assert.equal(await cmd.exited, 0, cmd.out());
    assert.match(cmd.out(), new RegExp(`credit check job ${checked}: OK - credit \\d+ for \\d+ acknowledged shares`));
    // Miner 1's journal added as "another worker" of user 0: now user 0 looks under-credited.
    const mixed = spawnCli('prosper-miner', ['verify', '--job', String(checked), '--journal', join(dir, 'miner1', '.prosper', 'journal', 'rig1.jsonl')], { HOME: join(dir, 'miner0') });
    const mixedCode = await mixed.exited;
    const m1Shares = await db.query('SELECT shares FROM job_credits WHERE job_id = $1 AND user_id = $2', [checked, userIds[1]]);
    if (m1Shares.rows.length > 0) {
      assert.equal(mixedCode, 1, mixed.out());
      assert.match(mixed.out(), /under-credited by \d+/);
    }

    // The store under-credits miner 0 by one unit in the job being mined now (before it settles).
    let cheated = -1;
    await until(async () => {
      const job = engine.handler.current?.jobId;
      if (job === undefined) return false;
      const r = await db.query(
        `UPDATE job_credits SET credit = credit - 1 WHERE job_id = $1 AND user_id = $2
           AND NOT EXISTS (SELECT 1 FROM job_settlements WHERE job_id = $1) RETURNING job_id`,
        [job, userIds[0]],
      );
      if (r.rowCount === 1) cheated = job;
      return r.rowCount === 1;
    }, 60_000, 'a job of miner 0 to under-credit');
    const settledCredit = async () => (await db.query('SELECT credit FROM owed WHERE job_id = $1 AND user_id = $2', [cheated, userIds[0]])).rows[0]?.credit as string | undefined;
    await until(async () => (await settledCredit()) !== undefined, 60_000, `job ${cheated} settled`);
    await until(() => miners[0]!.out().includes(`credit check job ${cheated}: DISCREPANCY`), 120_000, `miner 0 reports job ${cheated}`, logs);
    const report = miners[0]!.out().slice(miners[0]!.out().indexOf(`credit check job ${cheated}: DISCREPANCY`));
    const credited = BigInt((await settledCredit())!);
    assert.match(report, new RegExp(`credited ${credited}, your acknowledged shares earn ${credited + 1n} \\(under-credited by 1\\)`), report);
    // The other miner's leaf in the same job is still right.
    const m1 = await db.query('SELECT 1 FROM owed WHERE job_id = $1 AND user_id = $2', [cheated, userIds[1]]);
    if (m1.rows.length > 0) await until(() => okLines(miners[1]!.out()).includes(cheated), 120_000, `miner 1 checks job ${cheated}`, logs);
    const again = spawnCli('prosper-miner', ['verify', '--job', String(cheated)], { HOME: join(dir, 'miner0') });
    assert.equal(await again.exited, 1, again.out());
    assert.match(again.out(), /under-credited by 1\)/);
  } finally {
    await pool.tearDown();
  }
});
