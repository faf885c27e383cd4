// Every `prosper-pool db ...` command, as a real process, acts on the schema `[database] schema`
// names (the pool's), never on the default one: a pool on schema S and its admin commands must
// see the same users, codes and payout batches.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { PDIFF, createAccountant, createShareLedger, parseFeeRate } from '../../src/accounting/index.js';
import { createAuthService } from '../../src/auth/index.js';
import { createSqlStore, openPostgres } from '../../src/store/index.js';
import { PG } from '../store/test-backends.js';
import { postgresHome, runToEnd, testFaAddress } from './helpers.js';

test('prosper-pool db migrate/code/codes/admin/users/payout/cancel/record act on the configured schema', { timeout: 300_000 }, async () => {
  const { home: dir, schema, config, dispose } = postgresHome('prosper-dbschema-');
  const db = (...args: string[]) => runToEnd(['--config', config, 'db', ...args], { HOME: dir });
  const client = new pg.Client({ host: PG.host, port: PG.port, user: PG.user, database: PG.dbname });
  await client.connect();
  const rows = async <T>(sql: string, params: unknown[] = []): Promise<T[]> => (await client.query(sql, params)).rows as T[];
  try {
    // migrate: the tables appear in the configured schema.
    const migrated = await db('migrate');
    assert.equal(migrated.code, 0, migrated.out);
    const tables = await rows<{ table_name: string }>('SELECT table_name FROM information_schema.tables WHERE table_schema = $1', [schema]);
    assert.ok(['users', 'invite_codes', 'payout_batches'].every((t) => tables.some((r) => r.table_name === t)), JSON.stringify(tables));

    // code: the codes printed are the ones in the schema's table.
    const made = await db('code', '--count', '2');
    assert.equal(made.code, 0, made.out);
    const printed = [...made.out.matchAll(/^New Code: (\S+)$/gm)].map((m) => m[1]!).sort();
    assert.equal(printed.length, 2, made.out);
    assert.deepEqual((await rows<{ code: string }>(`SELECT code FROM ${schema}.invite_codes ORDER BY code`)).map((r) => r.code), printed);

    // Two users register with those codes (as the pool would) and earn a job's reward.
    const storeDb = await openPostgres({ ...PG, ssl: false, schema });
    const store = await createSqlStore(storeDb);
    try {
      const auth = createAuthService({ store, now: Date.now, scryptCost: { logN: 10, r: 8, p: 1 } });
      const a = await auth.authorizeMiner({ username: 'a@pool.io', minerId: 'r', password: 'pw', inviteCode: printed[0]!, payoutAddress: testFaAddress(1) });
      const b = await auth.authorizeMiner({ username: 'b@pool.io', minerId: 'r', password: 'pw', inviteCode: printed[1]!, payoutAddress: testFaAddress(2) });
      assert.ok(a.ok && b.ok);
      const ledger = createShareLedger({ store, now: Date.now, flushIntervalMs: 1 });
      await Promise.all([a, a, b].map((u) => ledger.credit({ jobId: 5, userId: u.userId, miner: 'r', assignedTarget: PDIFF })));
      await createAccountant({ store, ledger, feeRateE8: parseFeeRate('0.1'), now: Date.now }).settleJob(5, 3n * 100_000_000n);
      await ledger.close();
    } finally {
      await store.close();
    }

    // codes: both listed as claimed.
    const codes = await db('codes');
    assert.equal(codes.code, 0, codes.out);
    for (const [i, email] of ['a@pool.io', 'b@pool.io'].entries()) assert.match(codes.out, new RegExp(`^${printed[i]}\\t.*claimed by ${email}`, 'm'));

    // admin: the role changes in the schema.
    const admin = await db('admin', 'a@pool.io');
    assert.equal(admin.code, 0, admin.out);
    assert.deepEqual(await rows(`SELECT email, role FROM ${schema}.users ORDER BY email`), [{ email: 'a@pool.io', role: 'admin' }, { email: 'b@pool.io', role: 'user' }]);

    // users: both, with their balances (1.8 and 0.9 PEG after the 10% fee).
    const users = await db('users');
    assert.equal(users.code, 0, users.out);
    assert.match(users.out, /\ta@pool\.io\tadmin\t\S+\t1\.8\t0\t0\t1\.8\tpool$/m);
    assert.match(users.out, /\tb@pool\.io\tuser\t\S+\t0\.9\t0\t0\t0\.9\tpool$/m);

    // payout, then cancel: the batch is written and released in the schema.
    const first = join(dir, 'first.json');
    const p1 = await db('payout', first, '--min', '0.5');
    assert.equal(p1.code, 0, p1.out);
    const batch1 = (JSON.parse(readFileSync(first, 'utf8')) as { batchId: string }).batchId;
    assert.deepEqual(await rows(`SELECT status FROM ${schema}.payout_batches WHERE id = $1`, [batch1]), [{ status: 'pending' }]);
    const cancelled = await db('cancel', batch1);
    assert.equal(cancelled.code, 0, cancelled.out);
    assert.deepEqual(await rows(`SELECT status FROM ${schema}.payout_batches WHERE id = $1`, [batch1]), [{ status: 'cancelled' }]);

    // payout again, then record its receipt: the batch is paid in the schema.
    const second = join(dir, 'second.json');
    const p2 = await db('payout', second, '--min', '0.5');
    assert.equal(p2.code, 0, p2.out);
    const file = JSON.parse(readFileSync(second, 'utf8')) as Record<string, unknown>;
    const entryHash = 'ab'.repeat(32);
    const receipt = join(dir, 'receipt.json');
    writeFileSync(receipt, JSON.stringify({
      ...file, kind: 'prosper-payout-receipt', status: 'submitted', sourceAddress: testFaAddress(3), chainId: 'cd'.repeat(32),
      timestampSalt: '1800000000', entryHash, commitTxId: null,
    }));
    const recorded = await db('record', receipt);
    assert.equal(recorded.code, 0, recorded.out);
    assert.deepEqual(await rows(`SELECT status, entry_hash FROM ${schema}.payout_batches WHERE id = $1`, [file.batchId]), [{ status: 'paid', entry_hash: entryHash }]);
  } finally {
    await client.end();
    await dispose();
  }
});
