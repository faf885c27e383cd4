// [notify] at start: every URL checked (a bad one stops the pool with a coded error before
// anything opens), event names known, a secret long enough; the backoff doubles up to its cap.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { defaultConfig, loadConfig } from '../../src/config/index.js';
import { PoolEngine } from '../../src/engine/engine.js';
import { isProsperError } from '../../src/errors.js';
import { silentLogger } from '../../src/log.js';
import { parseNotifySettings } from '../../src/notify/index.js';
import { backoffDelay } from '../../src/notify/deliverer.js';

const SECRET = 'operator-secret-0123456789';

function notify(over: Partial<ReturnType<typeof defaultConfig>['notify']>) {
  return { ...defaultConfig().notify, secret: SECRET, ...over };
}

test('good URLs are kept, normalised; the defaults send every event to nobody', () => {
  const s = parseNotifySettings(notify({ urls: ' https://hooks.example.com/a?token=x , http://127.0.0.1:9000/hook ' }), {});
  assert.deepEqual(s.urls, ['https://hooks.example.com/a?token=x', 'http://127.0.0.1:9000/hook']);
  assert.equal(s.events.size, 8);
  const d = parseNotifySettings(defaultConfig().notify, {});
  assert.deepEqual(d.urls, []);
  assert.equal(d.backoffCapMs, 300_000);
  assert.equal(d.offlineAfterMs, 600_000);
  assert.equal(parseNotifySettings(notify({ urls: 'https://x.example/', secret: '' }), { PROSPER_NOTIFY_SECRET: SECRET }).secret, SECRET, 'the secret from the environment');
});

test('bad [notify] settings are refused with a coded error naming the key', () => {
  const refuses = (over: Parameters<typeof notify>[0], code: string, re: RegExp) =>
    assert.throws(() => parseNotifySettings(notify(over), {}), (e: unknown) => isProsperError(e, code as 'PROSPER_E_NOTIFY_URL') && re.test((e as Error).message));
  refuses({ urls: 'ftp://example.com/' }, 'PROSPER_E_NOTIFY_URL', /\[notify\] urls: .*http/);
  refuses({ urls: 'https://ok.example/,mailto:a@b.c' }, 'PROSPER_E_NOTIFY_URL', /\[notify\] urls/);
  refuses({ urls: 'example.com/hook' }, 'PROSPER_E_NOTIFY_URL', /not an absolute URL/);
  refuses({ urls: 'https://a:b@example.com/' }, 'PROSPER_E_NOTIFY_URL', /user or password/);
  refuses({ urls: 'https://example.com/\u0007' }, 'PROSPER_E_NOTIFY_URL_TEXT', /control characters/);
  refuses({ urls: 'https://example.com/\udc00' }, 'PROSPER_E_NOTIFY_URL_TEXT', /UTF-8/);
  refuses({ events: 'block.won,block.lost' }, 'PROSPER_E_NOTIFY_CONFIG', /unknown event "block.lost"/);
  refuses({ urls: 'https://example.com/', secret: 'short' }, 'PROSPER_E_NOTIFY_CONFIG', /secret/);
  refuses({ backoff: 10, backoffcap: 1 }, 'PROSPER_E_NOTIFY_CONFIG', /backoffcap/);
});

test('a pool whose config has a bad webhook URL refuses to start, before it opens anything', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'prosper-notify-cfg-'));
  try {
    const path = join(dir, 'prosper-pool.toml');
    writeFileSync(path, `[database]\ndatadir = "${join(dir, 'pglite')}"\n[web]\nport = 0\n[notify]\nurls = "gopher://old.example/"\nsecret = "${SECRET}"\n`);
    const config = loadConfig({ path, env: { ...process.env, HOME: dir } });
    assert.equal(config.notify.urls, 'gopher://old.example/');
    await assert.rejects(PoolEngine.start({ config, logger: silentLogger() }), (e: unknown) => isProsperError(e, 'PROSPER_E_NOTIFY_URL') && /\[notify\] urls/.test((e as Error).message));
    assert.ok(!existsSync(join(dir, 'pglite')), 'no database was opened');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the backoff doubles from [notify] backoff up to backoffcap', () => {
  assert.deepEqual([1, 2, 3, 4, 5, 6, 100].map((n) => backoffDelay(n, 1000, 10_000)), [1000, 2000, 4000, 8000, 10_000, 10_000, 10_000]);
});
