import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isProsperError } from '../../src/errors.js';
import { defaultStoreConfig, storeConfigFromDatabaseSection } from '../../src/store/index.js';
import { toBigint, uint64Param } from '../../src/store/index.js';

const section = { host: '', port: 5432, dbname: 'postgres', username: 'postgres', password: '', ssl: false, datadir: '/data/pglite', schema: 'prosper' };

test('[database]: empty host is embedded PGlite, a host is PostgreSQL', () => {
  assert.deepEqual(storeConfigFromDatabaseSection(section), { ...defaultStoreConfig(), dataDir: '/data/pglite' });
  const pg = storeConfigFromDatabaseSection({ ...section, host: 'db.local', port: 5433, ssl: true, schema: 'pool_a' });
  assert.deepEqual([pg.backend, pg.host, pg.port, pg.ssl, pg.schema], ['postgres', 'db.local', 5433, true, 'pool_a']);
  assert.ok(defaultStoreConfig('/h/x').dataDir.startsWith('/h/x/.prosper/'));
});

test('[database]: bad values are coded errors', () => {
  for (const [s, schema] of [
    [{ ...section, port: 0 }, 'prosper'],
    [{ ...section, port: 70000 }, 'prosper'],
    [{ ...section, datadir: '' }, 'prosper'],
    [section, 'Bad-Schema'],
    [section, 'x; DROP TABLE users'],
  ] as const) {
    assert.throws(() => storeConfigFromDatabaseSection({ ...s, schema }), (e) => isProsperError(e, 'PROSPER_E_STORE_CONFIG'));
  }
});

test('numeric helpers: exact uint64 both ways, junk refused', () => {
  assert.equal(toBigint('18446744073709551615'), (1n << 64n) - 1n);
  assert.equal(toBigint(7n), 7n);
  assert.equal(toBigint(42), 42n);
  for (const bad of ['1.5', 'abc', 1.5, null, undefined, '']) assert.throws(() => toBigint(bad), (e) => isProsperError(e, 'PROSPER_E_STORE_NUMERIC'));
  assert.equal(uint64Param((1n << 64n) - 1n), '18446744073709551615');
  assert.throws(() => uint64Param(1n << 64n), (e) => isProsperError(e, 'PROSPER_E_STORE_RANGE'));
  assert.throws(() => uint64Param(-1n), (e) => isProsperError(e, 'PROSPER_E_STORE_RANGE'));
});
