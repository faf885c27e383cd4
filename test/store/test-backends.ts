import { randomBytes } from 'node:crypto';
import type { PGlite } from '@electric-sql/pglite';
import { createSqlStore, openPglite, openPostgres, startPglite, type SqlDatabase, type Store } from '../../src/store/index.js';

/** The real PostgreSQL on this machine (trust auth, database `test`). */
export const PG = { host: '127.0.0.1', port: 5432, user: 'postgres', password: '', dbname: 'test' };

export type BackendName = 'postgres' | 'pglite';
export const BACKENDS: readonly BackendName[] = ['postgres', 'pglite'];

/** A schema name no other test run uses, so parallel runs never collide. */
export function freshSchema(): string {
  return `t_${process.pid}_${randomBytes(6).toString('hex')}`;
}

let sharedPglite: Promise<PGlite> | undefined;
/** Starting PGlite costs seconds, so one in-memory instance serves a whole test file. */
function pglite(): Promise<PGlite> {
  sharedPglite ??= startPglite();
  return sharedPglite;
}

export interface TestStore {
  store: Store;
  db: SqlDatabase;
  /** Drops the schema and closes connections. */
  dispose(): Promise<void>;
}

export async function openTestDb(backend: BackendName, maxConnections?: number): Promise<SqlDatabase> {
  const schema = freshSchema();
  return backend === 'postgres'
    ? openPostgres({ ...PG, schema, maxConnections })
    : openPglite({ schema, instance: await pglite() });
}

export async function openTestStore(backend: BackendName, maxConnections?: number): Promise<TestStore> {
  const db = await openTestDb(backend, maxConnections);
  const store = await createSqlStore(db);
  return { store, db, dispose: () => disposeDb(db) };
}

export async function disposeDb(db: SqlDatabase): Promise<void> {
  await db.exec(`DROP SCHEMA IF EXISTS ${db.schema} CASCADE`);
  await db.close();
}

/** Closes the shared PGlite instance (call from a top-level after()). */
export async function closeSharedPglite(): Promise<void> {
  if (sharedPglite) await (await sharedPglite).close();
  sharedPglite = undefined;
}

/** The same schema opened again, as a restarted pool opens its database. */
export async function reopenTestDb(db: SqlDatabase): Promise<SqlDatabase> {
  return db.backend === 'postgres' ? openPostgres({ ...PG, schema: db.schema }) : openPglite({ schema: db.schema, instance: await pglite() });
}
