import pg from 'pg';
import { ProsperError } from '../errors.js';
import { isValidSchemaName, normalizeParams, type SqlDatabase, type SqlExecutor, type SqlParam, type SqlResult } from './sql.js';

export interface PostgresConfig {
  host: string;
  port: number;
  user: string;
  password: string;
  dbname: string;
  /** Schema that holds the tables; every pooled connection gets it as search_path. */
  schema: string;
  /** TLS to the server (certificate verified). */
  ssl?: boolean;
  /** Pool size. */
  maxConnections?: number;
}

function wrap(client: { query: (text: string, params: unknown[]) => Promise<pg.QueryResult> }): SqlExecutor {
  return {
    async query<Row>(text: string, params?: readonly SqlParam[]): Promise<SqlResult<Row>> {
      const res = await client.query(text, normalizeParams(params));
      return { rows: res.rows as Row[], rowCount: res.rowCount ?? 0 };
    },
    async exec(text: string): Promise<void> {
      // No parameters: pg uses the simple protocol, which accepts several statements.
      await (client.query as (t: string) => Promise<unknown>)(text);
    },
  };
}

/** PostgreSQL through a pg pool. The schema is created if missing. */
export async function openPostgres(config: PostgresConfig): Promise<SqlDatabase> {
  if (!isValidSchemaName(config.schema)) {
    throw new ProsperError('PROSPER_E_STORE_CONFIG', `invalid schema name: ${config.schema}`);
  }
  const pool = new pg.Pool({
    host: config.host,
    port: config.port,
    user: config.user,
    password: config.password,
    database: config.dbname,
    max: config.maxConnections ?? 10,
    ssl: config.ssl ? { rejectUnauthorized: true } : undefined,
    options: `-c search_path=${config.schema}`,
  });
  // An idle client that loses its server emits 'error'; without a listener that kills the process.
  pool.on('error', () => undefined);
  try {
    await pool.query(`CREATE SCHEMA IF NOT EXISTS ${config.schema}`);
  } catch (err) {
    await pool.end().catch(() => undefined);
    throw new ProsperError('PROSPER_E_STORE_CONNECT', `cannot reach PostgreSQL at ${config.host}:${config.port}/${config.dbname}: ${(err as Error).message}`, { cause: err });
  }
  const direct = wrap(pool);
  return {
    backend: 'postgres',
    schema: config.schema,
    query: direct.query,
    exec: direct.exec,
    async transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
      const client = await pool.connect();
      // A checked-out client whose server goes away emits 'error', and pg's pool listens only to
      // idle ones: without this listener that is an uncaught exception (the query in flight
      // fails on its own). The broken client is then destroyed, not returned to the pool.
      let broken: Error | undefined;
      const onError = (err: Error) => (broken = err);
      client.on('error', onError);
      try {
        await client.query('BEGIN');
        const result = await fn(wrap(client));
        await client.query('COMMIT');
        return result;
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw err;
      } finally {
        client.off('error', onError);
        client.release(broken);
      }
    },
    async close() {
      await pool.end();
    },
  };
}
