// The figures' history at start: ~120 snapshots (one per figures interval over the last hour),
// each over its own hashrate window, read as one query per snapshot (store.workSince, the old
// backfill) and as one pass over the shares (store.workInWindows), alternately in one run, on
// PGlite (a temp dir) and on PostgreSQL (a throwaway schema, with --postgres HOST).
// Usage: node dist/perf/figures-backfill.js [--postgres 127.0.0.1] [--shares 21000] [--rounds 5]
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { defaultStoreConfig, openPostgres, openStore, type Store, type StoreConfig } from '../src/store/index.js';

const { values } = parseArgs({ options: { postgres: { type: 'string' }, shares: { type: 'string', default: '21000' }, rounds: { type: 'string', default: '5' } } });
const SHARES = Number(values.shares);
const ROUNDS = Number(values.rounds);
const STEP_MS = 30_000;
const WINDOW_S = 600;
const POINTS = 120;

async function measure(config: StoreConfig): Promise<void> {
  const store: Store = await openStore(config);
  try {
    await store.createInviteCodes(['perf'], new Date());
    const reg = await store.registerWithInvite({ email: 'perf@pool.io', passwordHash: 'h', payoutAddress: '' }, 'perf', new Date());
    if (!reg.ok) throw new Error('registration failed');
    const end = Date.now();
    // One share every 0.2 s over 70 minutes from 4 miners: a window holds ~3 000 shares.
    const span = POINTS * STEP_MS + WINDOW_S * 1000;
    const shares = Array.from({ length: SHARES }, (_, i) => ({
      jobId: 1, userId: reg.user.id, miner: `rig${i % 4}`, target: 10n, credit: 65_536n, receivedAt: new Date(end - span + Math.floor((i * span) / SHARES)),
    }));
    for (let i = 0; i < shares.length; i += 1000) await store.creditShares(`perf-${i}`, shares.slice(i, i + 1000));
    const windows = Array.from({ length: POINTS }, (_, i) => {
      const at = end - (POINTS - i) * STEP_MS;
      return { since: new Date(at - WINDOW_S * 1000), until: new Date(at) };
    });
    for (let r = 0; r < ROUNDS; r++) {
      let t0 = performance.now();
      for (const w of windows) await store.workSince(w.since, w.until);
      const perWindow = performance.now() - t0;
      t0 = performance.now();
      await store.workInWindows(windows);
      const onePass = performance.now() - t0;
      console.log(JSON.stringify({ backend: config.backend, shares: SHARES, points: POINTS, perWindowMs: Math.round(perWindow), onePassMs: Math.round(onePass), ratio: +(perWindow / onePass).toFixed(2), load: +loadavg()[0]!.toFixed(2) }));
    }
  } finally {
    await store.close();
  }
}

const dir = mkdtempSync(join(tmpdir(), 'prosper-perf-backfill-'));
try {
  await measure({ ...defaultStoreConfig(dir), dataDir: join(dir, 'pglite') });
  if (values.postgres) {
    const schema = `perf_${randomBytes(6).toString('hex')}`;
    const pg = { ...defaultStoreConfig(dir), backend: 'postgres' as const, host: values.postgres, dbname: 'test', schema };
    await measure(pg);
    const db = await openPostgres({ host: pg.host, port: pg.port, user: pg.user, password: '', dbname: pg.dbname, ssl: false, schema: 'public' });
    await db.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await db.close();
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
