// Fault: the PostgreSQL connection dies in the middle of a transaction (what the 60 s outage
// test hits when the server stops while a credit batch is being written). The transaction must
// fail as a rejected promise, not as an uncaught 'error' event that kills the pool, and the
// store must go on working on fresh connections. Terminating the transaction's own backend
// makes the timing exact; the shared PostgreSQL is used, in a schema of the test's own.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openPostgres } from '../../src/store/index.js';
import { dropSchema, uniqueSchema } from './helpers.js';

test('a PostgreSQL connection killed mid-transaction rejects the transaction, crashes nothing, and the store recovers', { timeout: 30_000 }, async () => {
  const schema = uniqueSchema('drop');
  const db = await openPostgres({ host: '127.0.0.1', port: 5432, user: 'postgres', password: '', dbname: 'test', schema });
  const uncaught: unknown[] = [];
  const onUncaught = (err: unknown) => uncaught.push(err);
  process.on('uncaughtException', onUncaught);
  try {
    await db.exec('CREATE TABLE t (n int)');
    for (let round = 0; round < 3; round++) {
      await assert.rejects(
        db.transaction(async (tx) => {
          await tx.query('INSERT INTO t VALUES (1)');
          // The server ends this very connection, as a crash or an immediate stop would.
          await tx.query('SELECT pg_terminate_backend(pg_backend_pid())');
          await tx.query('INSERT INTO t VALUES (2)');
        }),
        /terminat/i,
      );
    }
    await new Promise((r) => setTimeout(r, 200));
    assert.deepEqual(uncaught, [], 'no uncaught exception from the dead connection');
    // Nothing of the killed transactions was committed, and new work goes through.
    assert.equal((await db.query<{ n: string }>('SELECT count(*)::text AS n FROM t')).rows[0]!.n, '0');
    await db.transaction(async (tx) => {
      await tx.query('INSERT INTO t VALUES (3)');
    });
    assert.equal((await db.query<{ n: string }>('SELECT count(*)::text AS n FROM t')).rows[0]!.n, '1');
  } finally {
    process.off('uncaughtException', onUncaught);
    await db.close();
    await dropSchema({ host: '127.0.0.1', port: 5432, database: 'test', schema });
  }
});
