import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config/index.js';
import { stratumConfigOf } from '../../src/engine/local-stratum.js';
import { StratumClient } from '../../src/stratum/client.js';
import { inspectStratum } from '../../src/stratum/inspect.js';
import { loadTlsFiles } from '../../src/stratum/tls-certs.js';
import { memoryLog } from '../helpers/memory-log.js';
import { makeTestCert } from '../helpers/tls-cert.js';
import { oprHashFor, startServer, until } from './helpers/server.js';

async function pinnedClient(port: number, fingerprint256: string): Promise<StratumClient> {
  const c = new StratumClient({ host: '127.0.0.1', port, tls: { fingerprint256 }, version: 'tls-test/1' });
  await c.connect();
  return c;
}

describe('Stratum TLS certificates', () => {
  it('a renewed certificate is used for new connections while open sessions keep going; a bad renewal keeps the old one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'prosper-tls-reload-'));
    const first = makeTestCert(dir, 'first');
    const second = makeTestCert(dir, 'second');
    const certFile = join(dir, 'live-cert.pem');
    const keyFile = join(dir, 'live-key.pem');
    copyFileSync(first.certFile, certFile);
    copyFileSync(first.keyFile, keyFile);
    const log = memoryLog();
    const f = await startServer({ tls: { port: 0, ...loadTlsFiles(certFile, keyFile).pair, certFile, keyFile, watchIntervalMs: 50 } }, { logger: log.logger });
    const clients: StratumClient[] = [];
    try {
      const tlsPort = inspectStratum(f.server).tlsPort!;
      f.server.setJob({ jobId: 5, oprHash: oprHashFor(5) });
      const old = await pinnedClient(tlsPort, first.fingerprint256);
      clients.push(old);
      await old.subscribe('tls-test/1');
      assert.equal((await old.authorize('a@example.com', 'rig')).ok, true);

      // The renewal: certificate first, key second (for a moment they do not match).
      copyFileSync(second.certFile, certFile);
      copyFileSync(second.keyFile, keyFile);
      await until('renewed certificate in use', () => log.lines.some((l) => l.msg === 'stratum TLS certificate reloaded'), 60_000);
      const fresh = await pinnedClient(tlsPort, second.fingerprint256);
      clients.push(fresh);
      await fresh.subscribe('tls-test/1');
      await assert.rejects(pinnedClient(tlsPort, first.fingerprint256), { code: 'PROSPER_E_STRATUM_TLS_FINGERPRINT' });
      assert.equal((await old.getOprHash(5)).error, null, 'the session opened before the swap still works');
      assert.equal(f.server.sessionCount, 2);

      // A broken renewal: logged with its code, the second certificate stays.
      log.lines.length = 0;
      writeFileSync(certFile, '-----BEGIN CERTIFICATE-----\nnot base64!\n-----END CERTIFICATE-----\n');
      await until('bad renewal logged', () => log.lines.some((l) => l.code === 'PROSPER_E_STRATUM_TLS_CERT'), 60_000);
      const after = await pinnedClient(tlsPort, second.fingerprint256);
      clients.push(after);
      await after.subscribe('tls-test/1');
      assert.equal((await old.getOprHash(5)).error, null);
      assert.equal(f.server.reloadTls(), false, 'a reload by hand fails the same way');
    } finally {
      for (const c of clients) c.close();
      await f.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a missing, unreadable or mismatched certificate at start is a coded error, not a crash', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'prosper-tls-bad-'));
    try {
      const a = makeTestCert(dir, 'a');
      const b = makeTestCert(dir, 'b');
      const garbage = join(dir, 'garbage.pem');
      writeFileSync(garbage, 'hello\x00\xff');
      const cases: [Record<string, string>, RegExp][] = [
        [{ tlscert: join(dir, 'missing.pem'), tlskey: a.keyFile }, /cannot read the TLS certificate file/],
        [{ tlscert: a.certFile, tlskey: join(dir, 'missing.pem') }, /cannot read the TLS key file/],
        [{ tlscert: a.certFile, tlskey: b.keyFile }, /do not load/],
        [{ tlscert: garbage, tlskey: a.keyFile }, /do not load/],
        [{ tlscert: a.certFile, tlskey: garbage }, /do not load/],
        [{ tlscert: a.certFile }, /must be set together/],
      ];
      for (const [keys, message] of cases) {
        const toml = `[stratum]\n${Object.entries(keys).map(([k, v]) => `${k} = ${JSON.stringify(v)}`).join('\n')}\n`;
        const path = join(dir, 'pool.toml');
        writeFileSync(path, toml);
        assert.throws(() => stratumConfigOf(loadConfig({ env: { HOME: dir }, path })), { code: 'PROSPER_E_STRATUM_TLS_CERT', message }, toml);
      }
      writeFileSync(join(dir, 'pool.toml'), `[stratum]\ntlscert = ${JSON.stringify(a.certFile)}\ntlskey = ${JSON.stringify(a.keyFile)}\ntlsport = 0\n`);
      const ok = stratumConfigOf(loadConfig({ env: { HOME: dir }, path: join(dir, 'pool.toml') }));
      assert.equal(ok.tls?.certFile, a.certFile);
      assert.equal(ok.tls?.port, 0);
      // Content handed straight to the server is checked before it listens.
      await assert.rejects(startServer({ tls: { port: 0, cert: a.cert, key: b.key } }), { code: 'PROSPER_E_STRATUM_TLS_CERT' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('proxyprotocol without trustedproxies, or a bad trustedproxies entry, is a config error', () => {
    const dir = mkdtempSync(join(tmpdir(), 'prosper-proxy-cfg-'));
    try {
      const path = join(dir, 'pool.toml');
      writeFileSync(path, '[stratum]\nproxyprotocol = "required"\n');
      assert.throws(() => stratumConfigOf(loadConfig({ env: { HOME: dir }, path })), { code: 'PROSPER_E_CONFIG', message: /needs \[stratum\] trustedproxies/ });
      writeFileSync(path, '[stratum]\nproxyprotocol = "optional"\ntrustedproxies = "10.0.0.0/8, 2001:db8::/300"\n');
      assert.throws(() => stratumConfigOf(loadConfig({ env: { HOME: dir }, path })), { code: 'PROSPER_E_CONFIG', message: /2001:db8::\/300/ });
      writeFileSync(path, '[stratum]\nproxyprotocol = "sometimes"\n');
      assert.throws(() => loadConfig({ env: { HOME: dir }, path }), /proxyprotocol/);
      writeFileSync(path, '[stratum]\nproxyprotocol = "optional"\ntrustedproxies = "10.0.0.0/8, ::1"\n');
      const c = stratumConfigOf(loadConfig({ env: { HOME: dir }, path }));
      assert.deepEqual([c.proxyProtocol, c.trustedProxies], ['optional', ['10.0.0.0/8', '::1']]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
