import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { PDIFF, creditForTarget } from '../../src/accounting/index.js';
import { toBigint } from '../../src/store/index.js';
import { openTestStore, type TestStore } from '../store/test-backends.js';

// Run from TypeScript (tsx) or from the compiled dist/ tree (npm test).
const here = fileURLToPath(import.meta.url);
const child = here.replace(/crash\.test\.(ts|js)$/, 'crash-child.$1');
const childArgs = here.endsWith('.ts') ? ['--import', 'tsx', child] : [child];

/** Runs the child until it has acknowledged at least `minAcks` shares, then SIGKILLs it. */
function runAndKill(schema: string, userId: bigint, start: number, minAcks: number): Promise<Set<number>> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [...childArgs, schema, userId.toString(), String(start)], { stdio: ['ignore', 'pipe', 'pipe'] });
    const acked = new Set<number>();
    let stderr = '';
    proc.stderr.on('data', (d) => (stderr += d));
    const lines = createInterface({ input: proc.stdout });
    lines.on('line', (line) => {
      if (!line.startsWith('ack ')) return;
      acked.add(Number(line.slice(4)));
      if (acked.size >= minAcks && proc.exitCode === null && !proc.killed) proc.kill('SIGKILL');
    });
    // 'close' comes after stdout ended, so every ack line the child wrote has been read.
    proc.on('close', (code, signal) => {
      if (signal === 'SIGKILL') resolve(acked);
      else reject(new Error(`child exited ${code}: ${stderr}`));
    });
  });
}

let t: TestStore;
before(async () => {
  t = await openTestStore('postgres');
});
after(async () => {
  await t.dispose();
});

test('SIGKILL mid-job: every acknowledged share is credited after restart', { timeout: 60_000 }, async () => {
  await t.store.createInviteCodes(['crash'], new Date());
  const reg = await t.store.registerWithInvite({ email: 'crash@x.io', passwordHash: 'h', payoutAddress: '' }, 'crash', new Date());
  assert.ok(reg.ok);
  const first = await runAndKill(t.db.schema, reg.user.id, 0, 1500);
  const second = await runAndKill(t.db.schema, reg.user.id, 1_000_000, 500);

  const raw = await t.db.query<{ target: string; credit: string }>('SELECT target, credit FROM shares WHERE job_id = 777');
  const stored = new Set(raw.rows.map((r) => Number(toBigint(r.target) - PDIFF)));
  for (const n of [...first, ...second]) assert.ok(stored.has(n), `acknowledged share ${n} was lost`);
  assert.ok(first.size >= 1500 && second.size >= 500);

  // The job's aggregate (what settlement reads) matches the raw shares exactly: credit rebuilt from the store.
  const rows = await t.store.jobCredits(777);
  const aggShares = rows.reduce((s, r) => s + r.shares, 0n);
  const aggCredit = rows.reduce((s, r) => s + r.credit, 0n);
  assert.equal(aggShares, BigInt(raw.rows.length));
  assert.equal(aggCredit, raw.rows.reduce((s, r) => s + creditForTarget(toBigint(r.target)), 0n));
});
