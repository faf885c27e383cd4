// `prosper-pool web` as a user runs it (a real process, a temp HOME): it starts with the pool's
// defaults (the kept session key, the shipped dashboard), honours PROSPER_WEB_SECRET and the
// configured schema, and any start-up error ends the process with a non-zero status and the message.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAuthService } from '../../src/auth/index.js';
import { createSqlStore, openPostgres } from '../../src/store/index.js';
import { PG } from '../store/test-backends.js';
import { freePort, postgresHome, spawnCli, stopProc, testFaAddress, until, type Proc } from './helpers.js';

const SECRET = 'a-web-session-secret-of-forty-characters!';

async function listening(p: Proc): Promise<void> {
  await until(() => p.out().includes('"msg":"web server listening"') || p.child.exitCode !== null, 120_000, 'web server listening', () => p.out());
  assert.equal(p.child.exitCode, null, p.out());
}

/** The process ends by itself (with the deadline generous for a loaded machine): its status. */
async function exits(p: Proc): Promise<number | null> {
  await until(() => p.child.exitCode !== null, 60_000, 'the process exits after a start-up error', () => p.out());
  return p.exited;
}

test('prosper-pool web starts with defaults: the kept ~/.prosper/web-session-secret and the shipped dashboard', { timeout: 180_000 }, async () => {
  const home = mkdtempSync(join(tmpdir(), 'prosper-web-'));
  const kept = join(home, '.prosper', 'web-session-secret');
  mkdirSync(join(home, '.prosper'));
  writeFileSync(kept, SECRET + '\n', { mode: 0o600 });
  const port = await freePort();
  const web = spawnCli('prosper-pool', ['web', '--port', String(port)], { HOME: home, PROSPER_WEB_SECRET: '', PROSPER_LOG_PRETTY: '0' });
  try {
    await listening(web);
    const page = await fetch(`http://127.0.0.1:${port}/`);
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-type') ?? '', /^text\/html/);
    assert.match(await page.text(), /<html/i);
    assert.equal(readFileSync(kept, 'utf8'), SECRET + '\n', 'the kept key is used, not replaced');
    assert.equal(await stopProc(web, 'SIGINT', 20_000), 0, web.out());
  } finally {
    await stopProc(web, 'SIGKILL');
    rmSync(home, { recursive: true, force: true });
  }
});

test('prosper-pool web: PROSPER_WEB_SECRET is the session key, and the users are those of [database] schema', { timeout: 180_000 }, async () => {
  const { home, schema, config, dispose } = postgresHome('prosper-web-');
  const storeDb = await openPostgres({ ...PG, ssl: false, schema });
  const store = await createSqlStore(storeDb);
  const auth = createAuthService({ store, now: Date.now, scryptCost: { logN: 10, r: 8, p: 1 } });
  const [code] = await auth.createInviteCodes(1);
  assert.ok((await auth.authorizeMiner({ username: 'op@pool.io', minerId: 'r', password: 'pw-of-op', inviteCode: code!, payoutAddress: testFaAddress(1) })).ok);
  await store.close();
  const port = await freePort();
  const web = spawnCli('prosper-pool', ['--config', config, 'web', '--port', String(port)], { HOME: home, PROSPER_WEB_SECRET: SECRET, PROSPER_LOG_PRETTY: '0' });
  try {
    await listening(web);
    assert.equal(existsSync(join(home, '.prosper', 'web-session-secret')), false, 'no key file made when the env var gives one');
    const origin = `http://127.0.0.1:${port}`;
    const login = await fetch(`${origin}/api/login`, {
      method: 'POST', headers: { 'Content-Type': 'application/json', Origin: origin }, body: JSON.stringify({ email: 'op@pool.io', password: 'pw-of-op' }),
    });
    assert.equal(login.status, 200, await login.clone().text());
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    const session = (await (await fetch(`${origin}/api/session`, { headers: { Cookie: cookie } })).json()) as { user: { email: string } | null };
    assert.equal(session.user?.email, 'op@pool.io');
    assert.equal(await stopProc(web, 'SIGTERM', 20_000), 0, web.out());
  } finally {
    await stopProc(web, 'SIGKILL');
    await dispose();
  }
});

test('prosper-pool web: a start-up error exits non-zero with its message (bad secret, port taken)', { timeout: 180_000 }, async () => {
  const { home, config, dispose } = postgresHome('prosper-web-');
  const taken = createServer();
  await new Promise<void>((r) => taken.listen(0, '127.0.0.1', () => r()));
  const takenPort = (taken.address() as { port: number }).port;
  try {
    const badSecret = spawnCli('prosper-pool', ['--config', config, 'web', '--port', String(await freePort())], { HOME: home, PROSPER_WEB_SECRET: 'short' });
    assert.equal(await exits(badSecret), 1);
    assert.match(badSecret.out(), /error PROSPER_E_WEB_CONFIG: \[web\] sessionsecret \(or PROSPER_WEB_SECRET\) must be set/);
    const busy = spawnCli('prosper-pool', ['--config', config, 'web', '--port', String(takenPort)], { HOME: home, PROSPER_WEB_SECRET: SECRET });
    assert.equal(await exits(busy), 1);
    assert.match(busy.out(), new RegExp(`error PROSPER_E_WEB_LISTEN: cannot listen on 127\\.0\\.0\\.1:${takenPort}`));
  } finally {
    taken.close();
    await dispose();
  }
});
