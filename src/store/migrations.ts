import { migrate } from './migrate.js';
import { PEGNET_MIGRATIONS } from './pegnet-schema.js';
import { POOL_RECORDS_MIGRATIONS } from './pool-records-sql.js';
import { MIGRATIONS, type Migration } from './schema.js';
import type { SqlDatabase } from './sql.js';
import { VERIFY_MIGRATIONS } from './verify-schema.js';
import { NOTIFY_MIGRATIONS } from './notify-sql.js';

/**
 * Every table of the pool, in the order it is created: one entry per area, each area's own
 * migrations appended to its list (its versions count from 1 under its component name, as
 * schema_migrations has recorded them since before this list). A new area is appended here.
 */
export const SCHEMA: readonly { component: string; migrations: readonly Migration[] }[] = [
  { component: 'store', migrations: MIGRATIONS }, // users, invites, miners, credit, payouts
  { component: 'engine', migrations: POOL_RECORDS_MIGRATIONS }, // submissions and the EMA
  { component: 'pegnet', migrations: PEGNET_MIGRATIONS }, // synced blocks and graded OPRs
  { component: 'verify', migrations: VERIFY_MIGRATIONS }, // credit keys and roots (refers to users)
  { component: 'notify', migrations: NOTIFY_MIGRATIONS }, // announced payouts, user webhooks (refers to users, payouts)
];

/** Brings every area's tables up to date, in SCHEMA's order; returns what was applied now, by area. */
export async function migrateSchema(db: SqlDatabase): Promise<Record<string, number[]>> {
  const applied: Record<string, number[]> = {};
  for (const { component, migrations } of SCHEMA) applied[component] = await migrate(db, migrations, component);
  return applied;
}
