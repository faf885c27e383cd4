// The whole site in headless Chromium against a running pool (embedded devnet, real PostgreSQL)
// with two real prosper-miner processes: every page loads with real data, no console errors, no
// sideways scrolling at 375 px, live updates arrive, the history charts span a restart.
// Screenshots of every page at 375 px and 1280 px go to test-output/site-screenshots/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'smol-toml';
import { chromium, type Browser, type Page } from 'playwright-core';
import { PoolEngine } from '../../src/engine/engine.js';
import { poolTestbed, ROOT, stopProc, until, type Proc } from '../e2e/helpers.js';
import { call } from './helpers.js';

const BITS = 10;
const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));
export const SCREENSHOTS = join(ROOT, 'test-output', 'site-screenshots');

/** The pool: PostgreSQL in its own schema, a fast devnet with enough competitors to grade blocks, figures every 2 s. */
function writeConfig(dir: string, schema: string, stratumPort: number, webPort: number): string {
  const path = join(dir, 'prosper-pool.toml');
  writeFileSync(path, stringify({
    app: { loglevel: 'warn' },
    database: { host: '127.0.0.1', dbname: 'test', schema },
    devnet: { blocktime: '2s', port: 0, competitors: 30, lxrbits: BITS, datadir: join(dir, 'devnet') },
    pegnet: { pollingperiod: '200ms' },
    stratum: { host: '127.0.0.1', stratumport: stratumPort },
    validation: { workers: 1 },
    accounting: { spooldir: join(dir, 'spool'), figuresinterval: '2s', historyinterval: '2s' },
    web: { host: '127.0.0.1', port: webPort, sessionsecret: 'site-test-secret-'.padEnd(48, 'x'), securecookies: false },
  }));
  return path;
}

/** Opens `path`, waits for `ready` to hold real data, checks errors and width, writes screenshots. */
async function visit(browser: Browser, base: string, name: string, path: string, ready: string, cookies: { name: string; value: string }[] = [], check?: (page: Page) => Promise<void>) {
  for (const width of [375, 1280]) {
    const context = await browser.newContext({ viewport: { width, height: 900 } });
    if (cookies.length) await context.addCookies(cookies.map((c) => ({ ...c, url: base })));
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(`${name}@${width}: ${e.message}`));
    page.on('console', (m) => { if (m.type() === 'error') errors.push(`${name}@${width}: ${m.text()}`); });
    page.on('response', (r) => { if (r.status() >= 400) errors.push(`${name}@${width}: ${r.status()} ${r.url()}`); });
    const res = await page.goto(base + path);
    assert.equal(res?.status(), 200, `${path} status`);
    await page.locator(ready).first().waitFor({ timeout: 60_000 });
    await page.waitForLoadState('networkidle').catch(() => undefined);
    const overflow = await page.evaluate(() => {
      const d = (globalThis as unknown as { document: { documentElement: { scrollWidth: number; clientWidth: number } } }).document.documentElement;
      return d.scrollWidth - d.clientWidth;
    });
    assert.ok(overflow <= 0, `${name} at ${width} px scrolls sideways by ${overflow} px`);
    const file = join(SCREENSHOTS, `${name}-${width}.png`);
    await page.screenshot({ path: file, fullPage: true });
    assert.ok(statSync(file).size > 5_000, `${file} is a real screenshot`);
    await check?.(page);
    assert.deepEqual(errors, [], 'no console errors');
    await context.close();
  }
}

async function loginCookie(base: string, email: string, password: string) {
  const r = await call(base, 'POST', '/api/login', { body: { email, password } });
  assert.equal(r.status, 200, r.text);
  const [pair] = (r.headers.get('set-cookie') ?? '').split(';');
  const eq = pair.indexOf('=');
  return [{ name: pair.slice(0, eq), value: pair.slice(eq + 1) }];
}

test('every page of the site, live, at phone and desktop width, with history across a restart', { skip: CHROMIUM ? false : 'needs Debian chromium', timeout: 600_000 }, async () => {
  const { dir, schema, config, logger, db, base, startWithMiners } = await poolTestbed('site', BITS, writeConfig);
  const miners: Proc[] = [];
  let engine: PoolEngine | undefined;
  let browser: Browser | undefined;
  rmSync(SCREENSHOTS, { recursive: true, force: true });
  mkdirSync(SCREENSHOTS, { recursive: true });
  try {
    const started = await startWithMiners(2);
    engine = started.engine;
    miners.push(...started.miners);
    const minerLogs = started.logs;
    await until(async () => Number((await db.query('SELECT count(*) AS n FROM users')).rows[0].n) === 2, 120_000, 'both miners registered', minerLogs);
    await db.query("UPDATE users SET role = 'admin' WHERE email = 'miner1@example.com'");
    await db.query("UPDATE users SET handle = 'RigZero' WHERE email = 'miner0@example.com'");

    // A won block, settled, and history points before the restart.
    await until(async () => Number((await db.query('SELECT count(*) AS n FROM job_settlements WHERE reward > 0')).rows[0].n) > 0, 120_000, 'a won block settled', minerLogs);
    await until(async () => (await call(base, 'GET', '/api/pool/history?range=1h')).json.points.length >= 2, 60_000, 'history points');
    const before = (await call(base, 'GET', '/api/pool/history?range=1h')).json.points as { t: number; hashrate: number }[];
    const poolRows = async (before: number) => Number((await db.query("SELECT count(*) AS n FROM hashrate_history WHERE kind = 'pool' AND at < $1", [new Date(before)])).rows[0].n);
    const restartAt = Date.now();
    const keptBefore = await poolRows(restartAt);
    await engine.stop();
    engine = await PoolEngine.start({ config, logger });
    await until(async () => (await call(base, 'GET', '/api/pool/history?range=1h')).json.points.some((p: { t: number }) => p.t > restartAt), 60_000, 'a point after the restart');
    const across = (await call(base, 'GET', '/api/pool/history?range=1h')).json.points as { t: number; hashrate: number }[];
    // Every sample from before the restart is still there; the chart's first (complete) minute is unchanged.
    assert.equal(await poolRows(restartAt), keptBefore);
    assert.deepEqual(across[0], before[0], 'the chart spans the restart');

    // A payout batch, recorded, for the payments pages.
    const store = engine.store;
    const batch = await store.createPayoutBatch('batch-1', 1n, new Date());
    assert.ok(batch, 'a balance to pay');
    await store.recordPayout('batch-1', 'ab'.repeat(32), new Date());

    const won = (await db.query('SELECT job_id FROM job_settlements WHERE reward > 0 ORDER BY job_id DESC LIMIT 1')).rows[0].job_id as string;
    const detail = (await call(base, 'GET', `/api/blocks/${won}`)).json;
    assert.ok(detail.won > 0 && detail.submissions.length > 0 && detail.submissions.every((s: { verdict: string }) => s.verdict.length > 0));
    // Effort: the pool's share of the block's work (its credit against the competitors' records at
    // the cutoff, each worth 2^64 / (2^64 - cutoff) hashes) over its share of the winner slots (25, or
    // as many as were graded).
    const credit = Number((await db.query('SELECT SUM(credit) AS c FROM job_credits WHERE job_id = $1', [won])).rows[0].c);
    const b = (await db.query('SELECT min_difficulty AS m, spot, pool_graded FROM pegnet_synced_blocks WHERE height = $1', [won])).rows[0];
    const others = (Number(b.spot) - Number(b.pool_graded)) * 2 ** 64 / (2 ** 64 - Number(BigInt(b.m)));
    assert.equal(detail.cutoff, BigInt(b.m).toString());
    const slots = Math.min(25, Number(b.spot));
    assert.ok(Math.abs(detail.effort - (credit / (credit + others)) / (detail.won / slots)) < 1e-9 * detail.effort, `effort ${detail.effort}`);
    assert.ok(detail.effort > 0 && detail.effort <= slots / detail.won, 'effort is bounded by the winner slots');
    // The network includes the pool: its share is a true fraction, and the lag is against factomd's head.
    // The head height arrives with the restarted sync's first block.
    await until(async () => (await call(base, 'GET', '/api/network')).json.headHeight > 0, 120_000, 'the sync read factomd\'s head');
    const net = (await call(base, 'GET', '/api/network')).json;
    assert.ok(net.poolShare !== null && net.poolShare >= 0 && net.poolShare <= 1, `share ${net.poolShare}`);
    assert.ok(net.networkHashrate >= net.poolHashrate);
    assert.ok(net.headHeight >= net.syncedHeight && net.syncLag === net.headHeight - net.syncedHeight, JSON.stringify([net.headHeight, net.syncedHeight, net.syncLag]));
    assert.ok(net.datasources.length > 0 && net.datasources.every((d: { lastSuccessAt: number | null }) => d.lastSuccessAt !== null), JSON.stringify(net.datasources));

    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu'] });
    const user = await loginCookie(base, 'miner0@example.com', 'password-0');
    const admin = await loginCookie(base, 'miner1@example.com', 'password-1');
    await visit(browser, base, 'dashboard', '/', '#blocks tr', [], async (page) => {
      const share = await page.locator('#pool-share').innerText();
      const percent = Number(/^([\d.]+) %/.exec(share)?.[1]);
      assert.ok(percent >= 0 && percent <= 100, `the pool's share of the network is ${share}`);
    });
    await visit(browser, base, 'start', '/start', '#schedule:has-text("1 paid so far")');
    await visit(browser, base, 'blocks', '/blocks', '#blocks tr');
    await visit(browser, base, 'block', `/blocks/${won}`, '#submissions tr');
    await visit(browser, base, 'miners', '/miners', '#leaders tr:has-text("RigZero")');
    await visit(browser, base, 'miner', '/miner/RigZero', '#workers tr:has-text("rig0")');
    await visit(browser, base, 'payments', '/payments', '#entries tr:has-text("RigZero")');
    await visit(browser, base, 'network', '/network', '#n-health li:has-text("last success")', [], async (page) => {
      assert.match(await page.locator('#n-lag').innerText(), /^\d+$/);
      assert.match(await page.locator('#n-version').innerText(), /^V\d$/);
      const percent = Number(/^([\d.]+) %$/.exec(await page.locator('#n-share').innerText())?.[1]);
      assert.ok(percent >= 0 && percent <= 100);
    });
    await visit(browser, base, 'login', '/account', '#login-form');
    await visit(browser, base, 'account', '/account', '#worker-charts .worker-chart:has-text("rig0") .uplot', user);
    await visit(browser, base, 'admin', '/admin', '#users tr:has-text("miner0@example.com")', admin);

    // Live: the dashboard's job follows the feed, and the chart gains points without a reload.
    const page: Page = await browser.newPage({ viewport: { width: 375, height: 800 } });
    await page.goto(base + '/');
    await page.locator('#live.on').waitFor();
    const job = await page.locator('#pool-job').innerText();
    await page.waitForFunction((j) => (globalThis as unknown as { document: { getElementById(id: string): { textContent: string } } }).document.getElementById('pool-job').textContent !== j, job, { timeout: 60_000 });
    // Signed out, /admin is the login page; an unknown page is an HTML 404.
    await page.goto(base + '/admin');
    await page.locator('#login-form').waitFor();
    const missing = await page.goto(base + '/no-such-page');
    assert.equal(missing?.status(), 404);
    assert.equal(await page.title(), '404 Not Found - Prosper pool');
    console.log(`site screenshots: ${SCREENSHOTS}`);
  } finally {
    await browser?.close();
    for (const m of miners) await stopProc(m);
    await engine?.stop();
    await db.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => undefined);
    await db.end();
    rmSync(dir, { recursive: true, force: true });
  }
});
