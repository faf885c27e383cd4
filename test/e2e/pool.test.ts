// The whole pool on one machine: an embedded devnet with 2-second blocks, the engine on the real
// PostgreSQL (its own schema), and two real prosper-miner processes registered with invite codes,
// for at least 10 blocks with a restart of the pool in the middle.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import pg from 'pg';
import { PoolEngine } from '../../src/engine/engine.js';
import { createSqlStore, openPostgres } from '../../src/store/index.js';
import { sleep, spawnCli, startE2ePool, stopProc, testFaAddress, until } from './helpers.js';

const CUTOFF = 5;
const BITS = 10;

async function rows<T>(client: pg.Client, sql: string): Promise<T[]> {
  return (await client.query(sql)).rows as T[];
}

test('devnet + pool on PostgreSQL + two real miners: shares credited, OPRs submitted and winning, rewards split exactly, a restart loses no share', { timeout: 200_000 }, async () => {
  const started = Date.now();
  const pool = await startE2ePool('e2e', BITS, () => ({
    devnet: { competitors: 30 },
    pegnet: { pollingperiod: '200ms', retryperiod: '500ms' },
    submit: { submissioncutoff: CUTOFF },
    web: { port: 0 },
  }));
  const { dir, db, schema, stratumPort, miners, minerLogs, logger } = pool;
  let engine: PoolEngine | undefined;
  let acknowledged = 0;
  try {
    engine = await pool.startEngine();
    assert.equal(engine.info.database, 'postgres');
    assert.equal(engine.info.embeddedDevnet, true);
    assert.equal(engine.info.lxrBits, BITS);
    assert.equal(engine.info.stratumPort, stratumPort);
    // No users yet: the embedded pool made an invite code for the first miner.
    assert.match(engine.info.inviteCode ?? '', /^\S{10,}$/);
    assert.match(engine.minerCommand(engine.info.inviteCode), new RegExp(`^npx prosper-miner -s 127\\.0\\.0\\.1:${stratumPort} -u you@example\\.com -i ${engine.info.inviteCode} -a FA\\.\\.\\. -p --bits ${BITS}$`));

    // Registration with invite codes made by the engine's auth service, secrets on stdin.
    const codes = await engine.auth.createInviteCodes(2);
    for (const [i, code] of codes.entries()) pool.spawnMiner(i, `miner${i}@example.com`, `password-${i}`, ['-i', code, '-a', testFaAddress(i + 1)], { PROSPER_LOG_LEVEL: 'info' });

    // Both miners registered and have shares credited.
    await pool.waitCredited(['miner0@example.com', 'miner1@example.com'], 1, 60_000);
    const users = await engine.auth.listUsers();
    assert.deepEqual(users.map((u) => u.email).sort(), ['miner0@example.com', 'miner1@example.com']);
    // Bad input: an invite code already used registers nobody; that miner stops instead of mining.
    const intruder = spawnCli('prosper-miner', [
      '-s', `127.0.0.1:${stratumPort}`, '-u', 'intruder@example.com', '-m', 'x', '-t', '1', '--bits', String(BITS), '-p', '-i', codes[0]!, '-a', testFaAddress(9),
    ], { HOME: join(dir, 'miner0'), LXRBITSIZE: String(BITS) }); // miner0's table cache
    intruder.child.stdin!.write('password-x\npassword-x\n');
    assert.equal(await intruder.exited, 1, intruder.out());
    assert.match(intruder.out(), /Authorization refused by the pool \(PROSPER_E_AUTH_INVITE: invite code is unknown or already used\)/);
    assert.equal((await engine.auth.listUsers()).length, 2);

    // Run a few blocks, then restart the pool in the middle of mining.
    const firstHeight = Number((await rows<{ h: string }>(db, 'SELECT max(height) AS h FROM pegnet_synced_blocks'))[0]!.h);
    await until(async () => Number((await rows<{ h: string }>(db, 'SELECT max(height) AS h FROM pegnet_synced_blocks'))[0]!.h) >= firstHeight + 5, 60_000, '5 blocks before the restart');
    const e1 = engine;
    engine = undefined;
    await e1.stop();
    acknowledged += e1.stratum.counters.accepted;
    const creditedAtStop = Number((await rows<{ n: string }>(db, 'SELECT count(*) AS n FROM shares'))[0]!.n);
    // Every share a miner was told was accepted is in the store (the ack waits for the write).
    assert.ok(acknowledged > 0);
    assert.ok(creditedAtStop >= acknowledged, `credited ${creditedAtStop} < acknowledged ${acknowledged}`);
    await sleep(1000); // miners see the pool gone and retry

    engine = await pool.startEngine();
    assert.equal(engine.info.inviteCode, undefined, 'users exist: no new invite code');
    const heightAtRestart = Number((await rows<{ h: string }>(db, 'SELECT max(height) AS h FROM pegnet_synced_blocks'))[0]!.h);
    await until(async () => Number((await rows<{ n: string }>(db, 'SELECT count(*) AS n FROM shares'))[0]!.n) > creditedAtStop, 60_000, 'miners back after the restart', minerLogs);
    await until(async () => Number((await rows<{ h: string }>(db, 'SELECT max(height) AS h FROM pegnet_synced_blocks'))[0]!.h) >= Math.max(heightAtRestart, firstHeight + 5) + 6, 60_000, '6 more blocks after the restart');
    // Settle what the last blocks bring, then stop everything before counting.
    for (const m of miners) await stopProc(m);
    const e2 = engine;
    engine = undefined;
    await e2.stop();
    acknowledged += e2.stratum.counters.accepted;
    const lastHeight = Number((await rows<{ h: string }>(db, 'SELECT max(height) AS h FROM pegnet_synced_blocks'))[0]!.h);
    assert.ok(lastHeight - firstHeight >= 10, `mined over ${lastHeight - firstHeight} blocks`);

    // No acknowledged share lost over the restart: the raw shares and the per-job totals agree.
    const credited = Number((await rows<{ n: string }>(db, 'SELECT count(*) AS n FROM shares'))[0]!.n);
    const aggregated = Number((await rows<{ n: string }>(db, 'SELECT sum(shares) AS n FROM job_credits'))[0]!.n);
    assert.ok(credited >= acknowledged, `credited ${credited} < acknowledged ${acknowledged}`);
    assert.equal(aggregated, credited);
    // A share credited but not acknowledged is one whose miner disconnected at a stop: few.
    assert.ok(credited - acknowledged <= 4, `credited ${credited}, acknowledged ${acknowledged}`);

    // OPRs submitted, none failed, never more than the cutoff per block.
    const subs = await rows<{ job_id: string; entry_hash: string; status: string }>(db, 'SELECT job_id, entry_hash, status FROM entry_submissions');
    assert.ok(subs.length > 0, 'OPRs submitted');
    assert.ok(subs.every((s) => s.status !== 'failed'), JSON.stringify(subs.filter((s) => s.status === 'failed')));
    const perJob = await rows<{ job_id: string; n: string }>(db, 'SELECT job_id, count(*) AS n FROM entry_submissions GROUP BY job_id');
    for (const r of perJob) assert.ok(Number(r.n) <= CUTOFF, `job ${r.job_id}: ${r.n} entries > cutoff ${CUTOFF}`);
    assert.ok(perJob.some((r) => Number(r.n) === CUTOFF), `the cutoff is reached in some block (it is what limits): ${JSON.stringify(perJob)}`);

    // The pool's entries were graded by the sync, and some were among the winners.
    const graded = await rows<{ height: string; entry_hash: string; position: number; payout: string }>(db,
      `SELECT g.height, g.entry_hash, g.position, g.payout FROM pegnet_graded_oprs g JOIN entry_submissions s ON s.entry_hash = g.entry_hash`);
    assert.ok(graded.length > 0, 'submitted OPRs found graded');
    for (const g of graded) assert.ok(subs.some((s) => s.entry_hash === g.entry_hash && Number(s.job_id) === Number(g.height)), 'graded at the job height');
    const won = await rows<{ height: string; pool_winning: number; pool_reward: string }>(db,
      'SELECT height, pool_winning, pool_reward FROM pegnet_synced_blocks WHERE pool_winning > 0 ORDER BY height');
    if (process.env.E2E_DEBUG) console.log(JSON.stringify({ graded, blocks: await rows(db, 'SELECT height, graded, version, accepted, spot, min_difficulty, pool_graded, pool_winning, pool_reward FROM pegnet_synced_blocks ORDER BY height'), subs }, null, 1));
    assert.ok(won.length > 0, 'the pool won some block');

    // Each won block's reward settled and split exactly: payouts + fee + dust == reward.
    const storeDb = await openPostgres({ host: '127.0.0.1', port: 5432, user: 'postgres', password: '', dbname: 'test', ssl: false, schema });
    const store = await createSqlStore(storeDb);
    for (const w of won) {
      const s = await store.getSettlement(Number(w.height));
      assert.ok(s, `block ${w.height} settled`);
      assert.equal(s.reward, BigInt(w.pool_reward));
      assert.ok(s.reward > 0n);
      const paid = s.payouts.reduce((a, p) => a + p.amount, 0n);
      assert.equal(paid + s.fee + s.dust, s.reward, `block ${w.height}: ${paid} + ${s.fee} + ${s.dust} != ${s.reward}`);
      assert.equal(s.fee, (s.reward * 5_000_000n) / 100_000_000n, 'the 5% fee');
      const credits = await rows<{ credit: string }>(db, `SELECT sum(credit) AS credit FROM job_credits WHERE job_id = ${w.height}`);
      // Every share credited to the job is in its split, those credited during the stale-grace
      // window after its block too: settlement waits for the window to close.
      assert.equal(s.payouts.reduce((a, p) => a + p.credit, 0n), s.totalCredit);
      assert.equal(s.totalCredit, BigInt(credits[0]!.credit), `block ${w.height}: split covers ${s.totalCredit} of ${credits[0]!.credit}`);
    }
    await store.close();
    // Both users are owed something.
    const owed = await rows<{ user_id: string; amount: string }>(db, 'SELECT user_id, sum(amount) AS amount FROM owed GROUP BY user_id');
    assert.equal(owed.length, 2);
    for (const o of owed) assert.ok(BigInt(o.amount) > 0n);
    const seconds = (Date.now() - started) / 1000;
    logger.warn({ seconds, blocks: lastHeight - firstHeight, credited, acknowledged, submissions: subs.length, won: won.length }, 'e2e done');
  } finally {
    await pool.tearDown();
  }
});
