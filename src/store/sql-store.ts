import { creditSql } from './credit-sql.js';
import { handlesSql } from './handles-sql.js';
import { historySql } from './history-sql.js';
import { migrateSchema } from './migrations.js';
import { payoutsSql } from './payouts-sql.js';
import { ppsSql } from './pps-sql.js';
import type { SqlDatabase } from './sql.js';
import type { Store } from './store.js';
import { usersSql } from './users-sql.js';

/** The Store over either backend: the SQL is PostgreSQL's and PGlite speaks it too. */
export async function createSqlStore(db: SqlDatabase): Promise<Store> {
  await migrateSchema(db);
  return {
    backend: db.backend,
    ...usersSql(db),
    ...creditSql(db),
    ...payoutsSql(db),
    ...historySql(db),
    ...handlesSql(db),
    ...ppsSql(db),
    close: () => db.close(),
  };
}
