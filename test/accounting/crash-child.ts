/**
 * Child process for crash.test.ts: credits shares as fast as it can and prints "ack <i>" for
 * each share once its credit() resolved (the moment Stratum would reply true). The parent
 * kills it with SIGKILL mid-stream.
 */
import { createShareLedger, PDIFF } from '../../src/accounting/index.js';
import { createSqlStore, openPostgres } from '../../src/store/index.js';
import { PG } from '../store/test-backends.js';

const [schema, userIdText, startText] = process.argv.slice(2);
const store = await createSqlStore(await openPostgres({ ...PG, schema }));
const ledger = createShareLedger({ store, now: Date.now, flushIntervalMs: 5, maxBatch: 64 });
const userId = BigInt(userIdText);
let i = Number(startText);
process.stdout.write('ready\n');
// Waves of 200 shares in flight at once, like many miners submitting together (bounded memory).
for (;;) {
  const batch = [];
  for (let k = 0; k < 200; k++, i++) {
    const n = i;
    batch.push(ledger.credit({ jobId: 777, userId, miner: `m${n % 7}`, assignedTarget: PDIFF + BigInt(n) }).then(() => process.stdout.write(`ack ${n}\n`)));
  }
  await Promise.all(batch);
}
