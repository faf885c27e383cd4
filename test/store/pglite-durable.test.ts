import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isProsperError } from '../../src/errors.js';
import { openStore, storeConfigFromDatabaseSection } from '../../src/store/index.js';

test('PGlite in a data directory keeps its data across a close and reopen', { timeout: 120_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'prosper-pglite-'));
  try {
    const config = storeConfigFromDatabaseSection({ host: '', port: 5432, dbname: 'x', username: 'x', password: '', ssl: false, datadir: join(dir, 'db'), schema: 'prosper' });
    const first = await openStore(config);
    assert.equal(first.backend, 'pglite');
    await first.createInviteCodes(['kept'], new Date(0));
    await first.close();
    const second = await openStore(config);
    assert.deepEqual((await second.listInviteCodes()).map((c) => c.code), ['kept']);
    await second.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('an unreachable PostgreSQL is a coded error, not a hang or a crash', async () => {
  const config = storeConfigFromDatabaseSection({ host: '127.0.0.1', port: 1, dbname: 'x', username: 'x', password: '', ssl: false, datadir: '', schema: 'prosper' });
  await assert.rejects(openStore(config), (e) => isProsperError(e, 'PROSPER_E_STORE_CONNECT'));
});
