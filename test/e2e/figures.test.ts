// The pool with two real prosper-miner processes on the real PostgreSQL: at one instant the
// hashrate figures read from the dashboard (headless Chromium), the JSON API, /metrics and the
// database agree; after a restart the figures of the current window and the live miners show at
// once (from the store and the sessions), never "0 users" while miners mine.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { estimateHashrate, type HashrateFigure } from '../../src/accounting/index.js';
import { PoolEngine } from '../../src/engine/engine.js';
import { call, login } from '../web/helpers.js';
import { poolTestbed, ROOT, stopProc, until, type Proc } from './helpers.js';

const BITS = 10;
const WINDOW = 600;
const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));

function writeConfig(dir: string, schema: string, stratumPort: number, webPort: number): string {
  const path = join(dir, 'prosper-pool.toml');
  writeFileSync(path, `
[app]
loglevel = "warn"
[database]
host = "127.0.0.1"
dbname = "test"
schema = "${schema}"
[devnet]
blocktime = "5s"
port = 0
competitors = 10
lxrbits = ${BITS}
datadir = "${join(dir, 'devnet')}"
[stratum]
host = "127.0.0.1"
stratumport = ${stratumPort}
requireauth = true
[validation]
workers = 1
[accounting]
spooldir = "${join(dir, 'spool')}"
hashratewindow = "${WINDOW}s"
# Long: the test takes each snapshot itself, so nothing changes between its reads.
figuresinterval = "1h"
[web]
host = "127.0.0.1"
port = ${webPort}
sessionsecret = "${'figures-test-secret-'.padEnd(48, 'x')}"
securecookies = false
`);
  return path;
}

interface DbWork { credit: bigint; shares: number }

test('pool, user and miner figures agree across dashboard, API, /metrics and database; a restart shows them at once', { timeout: 400_000 }, async () => {
  const { dir, schema, config, logger, db, base, startWithMiners } = await poolTestbed('fig', BITS, writeConfig);
  const miners: Proc[] = [];
  let engine: PoolEngine | undefined;
  const browser = CHROMIUM ? await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'] }) : undefined;
  const chart = await import(pathToFileURL(join(ROOT, 'web-assets', 'chart.js')).href) as { formatRate(v: number): string; formatBand(f: HashrateFigure): string };
  try {
    const started = await startWithMiners(2);
    engine = started.engine;
    miners.push(...started.miners);
    const minerLogs = started.logs;
    const sharesOf = async (email: string) => Number((await db.query('SELECT count(*) AS n FROM shares s JOIN users u ON u.id = s.user_id WHERE u.email = $1', [email])).rows[0].n);
    await until(async () => (await sharesOf('miner0@example.com')) >= 5 && (await sharesOf('miner1@example.com')) >= 5, 120_000, 'both miners credited', minerLogs);

    /** Work in the database over the window ending at `at`: pool, per user (by email), per miner. */
    const dbWork = async (at: number) => {
      const rows = (await db.query(
        `SELECT u.email, s.miner, SUM(s.credit) AS credit, COUNT(*) AS n FROM shares s JOIN users u ON u.id = s.user_id
          WHERE s.received_at >= $1 AND s.received_at <= $2 GROUP BY u.email, s.miner`, [new Date(at - WINDOW * 1000), new Date(at)])).rows;
      const sum = (rs: typeof rows): DbWork => ({ credit: rs.reduce((a, r) => a + BigInt(r.credit), 0n), shares: rs.reduce((a, r) => a + Number(r.n), 0) });
      return { pool: sum(rows), user: (email: string) => sum(rows.filter((r) => r.email === email)), miner: (email: string, name: string) => sum(rows.filter((r) => r.email === email && r.miner === name)) };
    };
    const fromDb = (w: DbWork) => estimateHashrate(w, WINDOW);

    // Hold the miners still (SIGSTOP) until every acknowledged share is in the database, then take
    // one snapshot and read every surface from it.
    for (const m of miners) m.child.kill('SIGSTOP');
    const e1 = engine;
    await until(async () => Number((await db.query('SELECT count(*) AS n FROM shares')).rows[0].n) >= e1.stratum.counters.accepted, 30_000, 'acknowledged shares credited');
    const rates = await e1.figures!.sample();
    assert.ok(rates);
    const at = rates.at;
    const work = await dbWork(at);
    const me = await login(base, 'miner0@example.com', 'password-0');
    const stats = (await call(base, 'GET', '/api/pool/stats')).json;
    const mine = (await call(base, 'GET', '/api/me', { cookie: me.cookie })).json;
    const myMiners = (await call(base, 'GET', '/api/me/miners', { cookie: me.cookie })).json.miners;
    const metrics = (await call(base, 'GET', '/metrics')).text;
    const gauge = (name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(metrics)?.[1]);

    assert.equal(stats.figuresAt, at, 'the API shows the snapshot just taken');
    assert.ok(work.pool.shares >= 10, `shares in the window: ${work.pool.shares}`);
    assert.deepEqual(stats.hashrate, fromDb(work.pool), 'pool: API = database');
    assert.deepEqual(mine.hashrate, fromDb(work.user('miner0@example.com')), 'user: API = database');
    assert.equal(myMiners.length, 1);
    assert.deepEqual(myMiners[0].hashrate, fromDb(work.miner('miner0@example.com', 'rig0')), 'miner: API = database');
    assert.deepEqual(myMiners[0].hashrate, mine.hashrate, 'one miner: the user is the miner');
    assert.equal(myMiners[0].connected, true, 'a connected miner shows connected');
    const lastShare = (await db.query("SELECT max(s.received_at) AS t FROM shares s JOIN users u ON u.id = s.user_id WHERE u.email = 'miner0@example.com'")).rows[0].t as Date;
    assert.equal(myMiners[0].lastShareAt, lastShare.toISOString(), 'lastShareAt is the last accepted share');
    const other = fromDb(work.user('miner1@example.com'));
    assert.ok(Math.abs(stats.hashrate.value - (mine.hashrate.value + other.value)) <= 1e-9 * stats.hashrate.value, 'the pool is the sum of its users');
    assert.equal(stats.activeUsers, 2);
    assert.equal(gauge('prosper_pool_hashrate_hps'), stats.hashrate.value, '/metrics = API');
    assert.equal(gauge('prosper_pool_hashrate_low_hps'), stats.hashrate.low);
    assert.equal(gauge('prosper_pool_hashrate_high_hps'), stats.hashrate.high);
    assert.equal(gauge('prosper_pool_hashrate_window_shares'), stats.hashrate.shares);

    if (browser) {
      const page = await browser.newPage();
      await page.goto(base + '/account');
      await page.fill('input[name=email]', 'miner0@example.com');
      await page.fill('input[name=password]', 'password-0');
      await page.click('#login-form button');
      await page.locator('#me-email').filter({ hasText: 'miner0@example.com' }).waitFor();
      await page.locator('#miners tr', { hasText: 'rig0' }).waitFor();
      const shown = (f: HashrateFigure) => `${chart.formatRate(f.value)} (${chart.formatBand(f)})`;
      assert.equal(await page.locator('#me-hashrate').innerText(), shown(mine.hashrate), 'account page user = API');
      const row = (await page.locator('#miners tr', { hasText: 'rig0' }).innerText()).split('\t').map((c) => c.trim());
      assert.deepEqual(row.slice(0, 5), ['rig0', chart.formatRate(myMiners[0].hashrate.value), chart.formatBand(myMiners[0].hashrate), String(myMiners[0].hashrate.shares), 'yes']);
      await page.goto(base + '/');
      await page.locator('#pool-miners').filter({ hasText: 'miners' }).waitFor();
      assert.equal(await page.locator('#pool-hashrate').innerText(), shown(stats.hashrate), 'dashboard pool = API');
      assert.equal(await page.locator('#pool-miners').innerText(), '2 miners, 2 workers');
      await page.close();
    }
    assert.equal((await call(base, 'GET', '/api/pool/stats')).json.figuresAt, at, 'no other snapshot was taken while reading');
    for (const m of miners) m.child.kill('SIGCONT');

    // Restart: the first figures come from the store at start, before any miner is back.
    engine = undefined;
    await e1.stop();
    engine = await PoolEngine.start({ config, logger });
    const after = (await call(base, 'GET', '/api/pool/stats')).json;
    assert.notEqual(after.figuresAt, null, 'figures at once after a restart');
    const stored = await dbWork(after.figuresAt);
    assert.ok(stored.pool.shares > 0);
    assert.deepEqual(after.hashrate, fromDb(stored.pool), 'the current window from the store');
    assert.equal(after.activeUsers, 2, 'never "0 users" while miners mine');
    // The miners reconnect: connected again, and their shares move lastShareAt on.
    const me2 = await login(base, 'miner0@example.com', 'password-0');
    await until(async () => {
      const list = (await call(base, 'GET', '/api/me/miners', { cookie: me2.cookie })).json.miners;
      return list[0]?.connected === true && Date.parse(list[0].lastShareAt) > lastShare.getTime();
    }, 60_000, 'the miner back, connected, with new shares', minerLogs);
    assert.ok((await call(base, 'GET', '/api/pool/stats')).json.connectedMiners >= 2);
  } finally {
    for (const m of miners) {
      m.child.kill('SIGCONT');
      await stopProc(m);
    }
    await engine?.stop();
    await browser?.close();
    await db.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => undefined);
    await db.end();
    rmSync(dir, { recursive: true, force: true });
  }
});
