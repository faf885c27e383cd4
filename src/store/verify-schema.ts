import type { Migration } from './schema.js';

/** The tables of verifiable accounting (component 'verify'; credit_keys refers to users). */
export const VERIFY_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'credit keys and published credit roots',
    sql: `
CREATE TABLE credit_keys (
  user_id    bigint PRIMARY KEY REFERENCES users(id),
  credit_key text NOT NULL UNIQUE CHECK (credit_key ~ '^[0-9a-f]{64}$')
);
CREATE TABLE credit_roots (
  job_id       bigint PRIMARY KEY,
  root         text NOT NULL,
  total        numeric(40,0) NOT NULL,
  leaves       bigint NOT NULL,
  signature    text NOT NULL,
  public_key   text NOT NULL,
  published_at timestamptz NOT NULL
);
`,
  },
];
