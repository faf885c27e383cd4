import type { Logger } from '../log.js';
import { storeConfigFromDatabaseSection, type DatabaseSection, type StoreConfig } from './config.js';
import { openPglite } from './pglite-backend.js';
import { openPostgres } from './postgres-backend.js';
import { createSqlStore } from './sql-store.js';
import type { SqlDatabase } from './sql.js';
import type { Store } from './store.js';

/** Connects to the configured backend: PostgreSQL through pg, or the embedded PGlite. */
export async function openDatabase(config: StoreConfig): Promise<SqlDatabase> {
  return config.backend === 'postgres'
    ? openPostgres({ host: config.host, port: config.port, user: config.user, password: config.password, dbname: config.dbname, ssl: config.ssl, schema: config.schema })
    : openPglite({ dataDir: config.dataDir, schema: config.schema });
}

/**
 * The pool's database as its `[database]` section says (backend, datadir, schema). The pool and
 * every command (`db ...`, `web`) open it through here, so they all act on the same tables.
 */
export function openConfiguredDatabase(section: DatabaseSection): Promise<SqlDatabase> {
  return openDatabase(storeConfigFromDatabaseSection(section));
}

/** The configured database's store, migrated (see openConfiguredDatabase). */
export function openConfiguredStore(section: DatabaseSection, log?: Logger): Promise<Store> {
  return openStore(storeConfigFromDatabaseSection(section), log);
}

/** Connects to the configured backend and migrates the schema before returning. */
export async function openStore(config: StoreConfig, log?: Logger): Promise<Store> {
  const store = await storeOver(await openDatabase(config));
  log?.info({ backend: config.backend, schema: config.schema }, 'store ready');
  return store;
}

/** The store over an open database, migrated; the database is closed when migrating fails. */
export async function storeOver(db: SqlDatabase): Promise<Store> {
  try {
    return await createSqlStore(db);
  } catch (err) {
    await db.close().catch(() => undefined);
    throw err;
  }
}
