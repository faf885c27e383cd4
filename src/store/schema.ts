/**
 * The versioned schema. Each migration runs once, in order, inside a transaction, and is
 * recorded in schema_migrations. Never edit a released migration: append a new one.
 *
 * Money and uint64 values (targets, credits, PEG amounts in 1e-8 units) are numeric(20,0)
 * (or wider for sums), read back as bigint. Nothing is shifted.
 */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'users, invite codes, miners',
    sql: `
CREATE TABLE users (
  id             bigserial PRIMARY KEY,
  email          text NOT NULL UNIQUE,
  password_hash  text NOT NULL,
  role           text NOT NULL DEFAULT 'user' CHECK (role IN ('user', 'admin')),
  payout_address text NOT NULL DEFAULT '',
  created_at     timestamptz NOT NULL
);
CREATE TABLE invite_codes (
  code       text PRIMARY KEY,
  created_at timestamptz NOT NULL,
  claimed_by bigint REFERENCES users(id),
  claimed_at timestamptz
);
CREATE TABLE miners (
  user_id    bigint NOT NULL REFERENCES users(id),
  name       text NOT NULL,
  first_seen timestamptz NOT NULL,
  last_seen  timestamptz NOT NULL,
  PRIMARY KEY (user_id, name)
);
`,
  },
  {
    version: 2,
    name: 'share credit and job settlement',
    sql: `
-- Raw accepted shares: kept for a window (hashrate, audits), then pruned.
CREATE TABLE shares (
  id          bigserial PRIMARY KEY,
  job_id      bigint NOT NULL,
  user_id     bigint NOT NULL REFERENCES users(id),
  miner       text NOT NULL,
  target      numeric(20,0) NOT NULL,
  credit      numeric(20,0) NOT NULL,
  received_at timestamptz NOT NULL
);
CREATE INDEX shares_received_at ON shares (received_at);
-- Batches already committed: a replayed batch id is skipped, so a retry never double-credits.
CREATE TABLE credit_batches (
  id           text PRIMARY KEY,
  committed_at timestamptz NOT NULL
);
CREATE INDEX credit_batches_committed_at ON credit_batches (committed_at);
-- Per (job, user, miner) aggregate: kept for ever, the basis of every split.
CREATE TABLE job_credits (
  job_id      bigint NOT NULL,
  user_id     bigint NOT NULL REFERENCES users(id),
  miner       text NOT NULL,
  credit      numeric(40,0) NOT NULL,
  shares      bigint NOT NULL,
  first_share timestamptz NOT NULL,
  last_share  timestamptz NOT NULL,
  PRIMARY KEY (job_id, user_id, miner)
);
-- One row per job whose reward has been split. Its existence makes settlement idempotent.
CREATE TABLE job_settlements (
  job_id       bigint PRIMARY KEY,
  reward       numeric(20,0) NOT NULL,
  fee_rate_e8  numeric(20,0) NOT NULL,
  fee          numeric(20,0) NOT NULL,
  dust         numeric(20,0) NOT NULL,
  total_credit numeric(40,0) NOT NULL,
  settled_at   timestamptz NOT NULL
);
CREATE TABLE owed (
  job_id  bigint NOT NULL REFERENCES job_settlements(job_id),
  user_id bigint NOT NULL REFERENCES users(id),
  credit  numeric(40,0) NOT NULL,
  amount  numeric(20,0) NOT NULL CHECK (amount >= 0),
  PRIMARY KEY (job_id, user_id)
);
`,
  },
  {
    version: 3,
    name: 'payout batches',
    sql: `
-- A batch is written (status pending) BEFORE its payout file exists, so its amounts are locked
-- and can never be paid twice; 'record' marks it paid with the entry hash of the transaction.
CREATE TABLE payout_batches (
  id          text PRIMARY KEY,
  status      text NOT NULL CHECK (status IN ('pending', 'paid', 'cancelled')),
  created_at  timestamptz NOT NULL,
  recorded_at timestamptz,
  entry_hash  text UNIQUE
);
CREATE TABLE payout_items (
  batch_id text NOT NULL REFERENCES payout_batches(id),
  user_id  bigint NOT NULL REFERENCES users(id),
  address  text NOT NULL,
  amount   numeric(20,0) NOT NULL CHECK (amount > 0),
  PRIMARY KEY (batch_id, user_id)
);
`,
  },
  {
    version: 4,
    name: 'credited share ids',
    sql: `
-- Shares that carry an id (a cluster coordinator's, relayed by edges): a share delivered again
-- (a lost ack, a replay through another edge) is credited once. Pruned with the raw shares.
CREATE TABLE credited_shares (
  id           text PRIMARY KEY,
  committed_at timestamptz NOT NULL
);
CREATE INDEX credited_shares_committed_at ON credited_shares (committed_at);
`,
  },
  {
    version: 5,
    name: 'payout schemes, PPS reserve and per-user payout thresholds',
    sql: `
-- Which scheme paid each job and the running figures PPLNS and PPS are computed from.
-- Jobs settled before this migration were PROP splits of their own credit.
ALTER TABLE job_settlements
  ADD COLUMN scheme        text NOT NULL DEFAULT 'prop' CHECK (scheme IN ('prop', 'pplns', 'pps')),
  ADD COLUMN fallback      boolean NOT NULL DEFAULT false,
  ADD COLUMN job_credit    numeric(40,0),
  ADD COLUMN pplns_window  numeric(40,0),
  ADD COLUMN pps_rate_e18  numeric(60,0),
  ADD COLUMN reserve_delta numeric(40,0) NOT NULL DEFAULT 0,
  ADD COLUMN ema_reward    numeric(40,0),
  ADD COLUMN ema_credit    numeric(40,0);
UPDATE job_settlements SET job_credit = total_credit;
ALTER TABLE job_settlements ALTER COLUMN job_credit SET NOT NULL;
-- The operator's deposits into (and withdrawals from) the PPS reserve.
CREATE TABLE pps_reserve_moves (
  id         bigserial PRIMARY KEY,
  amount     numeric(40,0) NOT NULL CHECK (amount <> 0),
  note       text NOT NULL,
  created_at timestamptz NOT NULL
);
-- A user's own payout threshold (1e-8 PEG); NULL: the pool's minimum.
ALTER TABLE users ADD COLUMN min_payout numeric(20,0) CHECK (min_payout IS NULL OR min_payout > 0);
`,
  },
  {
    version: 6,
    name: 'hashrate history',
    sql: `
-- The hashrate figures (the estimator's value and 95 % band, the window's shares and workers) of
-- the pool (kind 'pool', user 0), each user ('user') and each miner ('miner'), one row per sample:
-- the charts span restarts. Rows older than [accounting] historyretention are pruned.
CREATE TABLE hashrate_history (
  kind    text NOT NULL CHECK (kind IN ('pool', 'user', 'miner')),
  user_id bigint NOT NULL,
  miner   text NOT NULL,
  at      timestamptz NOT NULL,
  value   double precision NOT NULL,
  low     double precision NOT NULL,
  high    double precision NOT NULL,
  shares  bigint NOT NULL,
  workers integer NOT NULL,
  PRIMARY KEY (kind, user_id, miner, at)
);
CREATE INDEX hashrate_history_at ON hashrate_history (at);
`,
  },
  {
    version: 7,
    name: 'public handles',
    sql: `
-- The name a user shows on the public pages (leaderboard, /miner/<handle>) instead of the email.
-- Unique whatever the case, so two users can never look alike.
ALTER TABLE users ADD COLUMN handle text;
CREATE UNIQUE INDEX users_handle_lower ON users (lower(handle));
`,
  },
];
