/**
 * The one thing both backends must provide: PostgreSQL-dialect queries with $n parameters,
 * and transactions. Everything above this (migrations, the repository) is written once.
 */
export interface SqlResult<Row> {
  rows: Row[];
  /** Rows inserted, updated or deleted by the statement (0 for plain SELECTs on some drivers). */
  rowCount: number;
}

export type SqlParam = string | number | bigint | boolean | null | Date | Uint8Array;

export interface SqlExecutor {
  query<Row = Record<string, unknown>>(text: string, params?: readonly SqlParam[]): Promise<SqlResult<Row>>;
  /** Runs a script of several statements without parameters (migrations). */
  exec(text: string): Promise<void>;
}

export interface SqlDatabase extends SqlExecutor {
  /** Runs fn inside BEGIN/COMMIT; a throw rolls back and is rethrown. */
  transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T>;
  /** Which engine answered: for logs and for tests that must know. */
  readonly backend: 'postgres' | 'pglite';
  /** The schema every table lives in (search_path). */
  readonly schema: string;
  close(): Promise<void>;
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/** Schema names end up inside SQL text (search_path), so only plain identifiers are allowed. */
export function isValidSchemaName(name: string): boolean {
  return SCHEMA_NAME.test(name);
}

/** Parameters go to the drivers as text for bigint/Date so both drivers see the same thing. */
export function normalizeParams(params: readonly SqlParam[] | undefined): unknown[] {
  if (!params) return [];
  return params.map((p) => {
    if (typeof p === 'bigint') return p.toString();
    if (p instanceof Date) return p.toISOString();
    return p;
  });
}
