// The one ordered list of migrations (src/store/migrations.ts): a fresh database gets every
// area's tables from opening the store; a database from before the list (the PegNet sync
// created its tables itself) migrates without tripping; a second run applies nothing.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { createSqlStore, migrate, migrateSchema, schemaVersion, SCHEMA } from '../../src/store/index.js';
import { closeSharedPglite, disposeDb, openTestDb } from './test-backends.js';

after(closeSharedPglite);

const tablesOf = async (db: Awaited<ReturnType<typeof openTestDb>>) =>
  new Set((await db.query<{ t: string }>('SELECT table_name AS t FROM information_schema.tables WHERE table_schema = current_schema()')).rows.map((r) => r.t));

test('opening the store creates every table of every area, in the list\'s order, once', async () => {
  const db = await openTestDb('pglite');
  try {
    await createSqlStore(db);
    const tables = await tablesOf(db);
    for (const t of ['users', 'job_credits', 'payout_batches', 'entry_submissions', 'submit_ema', 'pegnet_synced_blocks', 'pegnet_graded_oprs', 'credit_keys', 'credit_roots']) {
      assert.ok(tables.has(t), `${t} missing: ${[...tables].join(', ')}`);
    }
    for (const { component, migrations } of SCHEMA) assert.equal(await schemaVersion(db, component), migrations.at(-1)!.version, component);
    assert.deepEqual(Object.values(await migrateSchema(db)).flat(), [], 'a second run applies nothing');
  } finally {
    await disposeDb(db);
  }
});

test('a database whose PegNet tables predate the list migrates without error and keeps its rows', async () => {
  const db = await openTestDb('pglite');
  try {
    // What the sync store created itself before its tables joined the list.
    await db.exec(SCHEMA.find((a) => a.component === 'pegnet')!.migrations[0]!.sql);
    await db.query("INSERT INTO pegnet_synced_blocks (height, graded, next_previous_winners) VALUES (7, false, '0:')");
    const applied = await migrateSchema(db);
    assert.deepEqual(applied.pegnet, [1]);
    assert.equal((await db.query<{ n: unknown }>('SELECT count(*) AS n FROM pegnet_synced_blocks')).rows[0]!.n, 1);
  } finally {
    await disposeDb(db);
  }
});

for (const backend of ['pglite', 'postgres'] as const) {
  test(`${backend}: entry_submissions.user_id becomes bigint; a value no user had moves to unlinked_user_id and every row joins the same user`, async () => {
    const db = await openTestDb(backend);
    try {
      // A database from before the migration: every area up to date except engine v3.
      const engine = SCHEMA.find((a) => a.component === 'engine')!.migrations;
      await migrate(db);
      await migrate(db, engine.filter((m) => m.version < 3), 'engine');
      const users = await db.query<{ id: unknown }>("INSERT INTO users (email, password_hash, created_at) VALUES ('a@example.com', 'x', now()), ('b@example.com', 'x', now()) RETURNING id");
      const [a, b] = users.rows.map((r) => String(r.id));
      const legacy = ['alice', `0${a}`, '99999999999999999999', '9223372036854775808', ' 1', 'é'];
      const values = [a, b, a, null, ...legacy];
      for (const [i, v] of values.entries()) {
        await db.query("INSERT INTO entry_submissions (entry_hash, job_id, commit_tx_id, target, nonce, user_id, status, attempts, submitted_at) VALUES ($1, 5, '', 1, '', $2, 'revealed', 1, now())", [`h${i}`, v]);
      }
      const joined = async (on: string) => (await db.query<{ h: string; email: string | null }>(`SELECT e.entry_hash AS h, u.email FROM entry_submissions e LEFT JOIN users u ON ${on} ORDER BY e.entry_hash`)).rows;
      const before = await joined('u.id::text = e.user_id');
      assert.deepEqual((await migrateSchema(db)).engine, [3]);
      assert.deepEqual(await joined('u.id = e.user_id'), before, 'each row joins the user it joined before');
      const rows = (await db.query<{ h: string; user_id: unknown; unlinked_user_id: string | null }>('SELECT entry_hash AS h, user_id, unlinked_user_id FROM entry_submissions ORDER BY entry_hash')).rows;
      const byHash = new Map(rows.map((r) => [r.h, r]));
      values.forEach((v, i) => {
        const r = byHash.get(`h${i}`)!;
        if (v === null) assert.deepEqual([r.user_id, r.unlinked_user_id], [null, null]);
        else if (legacy.includes(v)) assert.deepEqual([r.user_id, r.unlinked_user_id], [null, v], `${JSON.stringify(v)} kept as it was`);
        else assert.deepEqual([String(r.user_id), r.unlinked_user_id], [v, null]);
      });
      const type = await db.query<{ t: string }>("SELECT data_type AS t FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = 'entry_submissions' AND column_name = 'user_id'");
      assert.equal(type.rows[0]!.t, 'bigint');
    } finally {
      await disposeDb(db);
    }
  });
}
