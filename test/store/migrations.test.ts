// The one ordered list of migrations (src/store/migrations.ts): a fresh database gets every
// area's tables from opening the store; a database from before the list (the PegNet sync
// created its tables itself) migrates without tripping; a second run applies nothing.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { createSqlStore, migrateSchema, schemaVersion, SCHEMA } from '../../src/store/index.js';
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
