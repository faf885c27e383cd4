import { homedir } from 'node:os';
import { join } from 'node:path';
import { ProsperError } from '../errors.js';
import { isValidSchemaName } from './sql.js';

export interface StoreConfig {
  /** 'pglite' (embedded, the default) or 'postgres'. */
  backend: 'pglite' | 'postgres';
  host: string;
  port: number;
  user: string;
  password: string;
  dbname: string;
  ssl: boolean;
  /** Schema holding the tables (PostgreSQL search_path). */
  schema: string;
  /** PGlite data directory. */
  dataDir: string;
}

export function defaultStoreConfig(home: string = homedir()): StoreConfig {
  return {
    backend: 'pglite',
    host: '',
    port: 5432,
    user: 'postgres',
    password: '',
    dbname: 'postgres',
    ssl: false,
    schema: 'prosper',
    dataDir: join(home, '.prosper', 'pglite'),
  };
}

/** The `[database]` section of prosper-pool.toml (after --phost/--pport are applied). */
export interface DatabaseSection {
  host: string;
  port: number;
  dbname: string;
  username: string;
  password: string;
  ssl: boolean;
  datadir: string;
  /** Schema holding the pool's tables, on either backend. */
  schema: string;
}

/** An empty host means the embedded PGlite database in datadir; otherwise PostgreSQL. */
export function storeConfigFromDatabaseSection(db: DatabaseSection): StoreConfig {
  const schema = db.schema;
  if (!isValidSchemaName(schema)) throw new ProsperError('PROSPER_E_STORE_CONFIG', `invalid schema name: ${schema}`);
  if (!Number.isInteger(db.port) || db.port < 1 || db.port > 65535) throw new ProsperError('PROSPER_E_STORE_CONFIG', `database port must be 1..65535, got ${db.port}`);
  if (db.host === '' && db.datadir === '') throw new ProsperError('PROSPER_E_STORE_CONFIG', 'set [database] host (PostgreSQL) or datadir (PGlite)');
  return {
    backend: db.host === '' ? 'pglite' : 'postgres',
    host: db.host,
    port: db.port,
    user: db.username,
    password: db.password,
    dbname: db.dbname,
    ssl: db.ssl,
    schema,
    dataDir: db.datadir,
  };
}
