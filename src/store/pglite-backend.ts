import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { ProsperError } from '../errors.js';
import { lockDir } from './dir-lock.js';
import { isValidSchemaName, normalizeParams, type SqlDatabase, type SqlExecutor, type SqlParam, type SqlResult } from './sql.js';

export interface PgliteConfig {
  /** A directory for durable data, or undefined for an in-memory database (tests). */
  dataDir?: string;
  schema: string;
  /** Reuse an already started instance (starting PGlite takes seconds); it is not closed by close(). */
  instance?: PGlite;
}

interface PgliteLike {
  query<T>(text: string, params?: unknown[]): Promise<{ rows: T[]; affectedRows?: number }>;
  exec(text: string): Promise<unknown>;
}

function wrap(db: PgliteLike): SqlExecutor {
  return {
    async query<Row>(text: string, params?: readonly SqlParam[]): Promise<SqlResult<Row>> {
      const res = await db.query<Row>(text, normalizeParams(params));
      return { rows: res.rows, rowCount: res.affectedRows ?? res.rows.length };
    },
    async exec(text: string): Promise<void> {
      await db.exec(text);
    },
  };
}

/** Starts an embedded PGlite (or reuses one). PGlite runs one statement at a time, so transactions serialize. */
export async function startPglite(dataDir?: string): Promise<PGlite> {
  if (dataDir !== undefined) mkdirSync(dataDir, { recursive: true });
  return PGlite.create(dataDir);
}

export async function openPglite(config: PgliteConfig): Promise<SqlDatabase> {
  if (!isValidSchemaName(config.schema)) {
    throw new ProsperError('PROSPER_E_STORE_CONFIG', `invalid schema name: ${config.schema}`);
  }
  const owned = config.instance === undefined;
  // Only one process may have a data directory open (see lockDir).
  const lock = owned && config.dataDir !== undefined ? lockDir(config.dataDir, 'the embedded database (PGlite)') : undefined;
  let db: PGlite;
  try {
    db = config.instance ?? (await startPglite(config.dataDir));
  } catch (err) {
    lock?.release();
    throw err;
  }
  // One connection: the schema is qualified through search_path set on every statement batch,
  // because a shared instance may be used by several stores with different schemas.
  const schema = config.schema;
  try {
    await db.exec(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
  } catch (err) {
    if (owned) await db.close().catch(() => undefined);
    lock?.release();
    throw err;
  }
  const setPath = `SET LOCAL search_path TO ${schema}`;
  const direct: SqlExecutor = {
    async query<Row>(text: string, params?: readonly SqlParam[]): Promise<SqlResult<Row>> {
      return db.transaction(async (tx) => {
        await tx.exec(setPath);
        return wrap(tx).query<Row>(text, params);
      });
    },
    async exec(text: string): Promise<void> {
      await db.transaction(async (tx) => {
        await tx.exec(setPath);
        await tx.exec(text);
      });
    },
  };
  return {
    backend: 'pglite',
    schema,
    query: direct.query,
    exec: direct.exec,
    async transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
      return db.transaction(async (tx) => {
        await tx.exec(setPath);
        return fn(wrap(tx));
      });
    },
    async close() {
      if (!owned) return;
      try {
        await db.close();
      } finally {
        lock?.release();
      }
    },
  };
}
