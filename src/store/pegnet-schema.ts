import type { Migration } from './schema.js';

/**
 * The PegNet sync's tables (component 'pegnet'). Version 1 keeps IF NOT EXISTS: databases from
 * before this list had the tables created by the sync store itself.
 */
export const PEGNET_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'synced blocks and graded OPRs',
    sql: `
CREATE TABLE IF NOT EXISTS pegnet_synced_blocks (
  height bigint PRIMARY KEY,
  graded boolean NOT NULL,
  version smallint,
  accepted integer,
  winners text,
  next_previous_winners text NOT NULL,
  spot integer,
  min_difficulty numeric(20,0),
  max_difficulty numeric(20,0),
  pool_graded integer,
  pool_winning integer,
  pool_reward numeric(20,0),
  synced_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE IF NOT EXISTS pegnet_graded_oprs (
  height bigint NOT NULL REFERENCES pegnet_synced_blocks(height) ON DELETE CASCADE,
  ord integer NOT NULL,
  position integer NOT NULL,
  entry_hash text NOT NULL,
  identity text NOT NULL,
  address text NOT NULL,
  difficulty numeric(20,0) NOT NULL,
  grade double precision NOT NULL,
  payout numeric(20,0) NOT NULL,
  PRIMARY KEY (height, ord)
);
`,
  },
];
