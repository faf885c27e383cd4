import { ProsperError } from '../errors.js';
import { MIGRATIONS, type Migration } from './schema.js';
import type { SqlDatabase } from './sql.js';

/** A constant key for pg_advisory_xact_lock so two pool processes never migrate at once. */
const MIGRATION_LOCK_KEY = 0x70726f73; // "pros"

/**
 * Brings one component's tables up to its newest migration; returns the versions applied now.
 * Each area that owns tables in the shared schema (the store itself is 'store'; e.g. the engine
 * may register 'engine') numbers its migrations independently, so opening the store from a
 * program that does not know another area's migrations never trips over them.
 */
export async function migrate(db: SqlDatabase, migrations: readonly Migration[] = MIGRATIONS, component = 'store'): Promise<number[]> {
  for (let i = 1; i < migrations.length; i++) {
    if (migrations[i].version <= migrations[i - 1].version) {
      throw new ProsperError('PROSPER_E_STORE_MIGRATION', 'migrations must have increasing versions');
    }
  }
  return db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
    await tx.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      component text NOT NULL, version integer NOT NULL, name text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (component, version))`);
    const done = await tx.query<{ version: number }>('SELECT version FROM schema_migrations WHERE component = $1', [component]);
    const applied = new Set(done.rows.map((r) => Number(r.version)));
    const newest = Math.max(0, ...applied);
    const known = migrations.length ? migrations[migrations.length - 1].version : 0;
    if (newest > known) {
      throw new ProsperError('PROSPER_E_STORE_MIGRATION', `database schema of ${component} is v${newest}, newer than this program (v${known})`);
    }
    const now: number[] = [];
    for (const m of migrations) {
      if (applied.has(m.version)) continue;
      await tx.exec(m.sql);
      await tx.query('INSERT INTO schema_migrations (component, version, name) VALUES ($1, $2, $3)', [component, m.version, m.name]);
      now.push(m.version);
    }
    return now;
  });
}

export async function schemaVersion(db: SqlDatabase, component = 'store'): Promise<number> {
  const res = await db.query<{ v: number | null }>('SELECT max(version) AS v FROM schema_migrations WHERE component = $1', [component]);
  return Number(res.rows[0]?.v ?? 0);
}
