import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { StratumClient } from '../../src/stratum/client.js';
import { runConsoleCommand } from '../../src/stratum/console.js';
import { makeTestCert } from '../helpers/tls-cert.js';
import { hex, oprHashFor, RawClient, startServer, until } from './helpers/server.js';

test('console commands drive a real session', async () => {
  const f = await startServer();
  try {
    const c = await RawClient.connect(f.port);
    c.send('{"id":1,"method":"mining.subscribe","params":["x"]}\n');
    await c.waitLines(2);
    const sid = runConsoleCommand(f.server, 'listclients');
    assert.match(sid, /^[0-9a-f]{32}$/);
    assert.equal(runConsoleCommand(f.server, 'listminers'), sid);
    let i = 2;
    const next = async () => JSON.parse(await c.line(i++));
    assert.equal(runConsoleCommand(f.server, `showmessage ${sid} hello  there`), 'sent');
    assert.deepEqual((await next()).params, ['hello there']);
    runConsoleCommand(f.server, `settarget ${sid} 0xFFFF000000000000`);
    assert.deepEqual((await next()).params, ['ffff000000000000']);
    runConsoleCommand(f.server, `notify ${sid} 12 ${hex(oprHashFor(12))}`);
    assert.deepEqual((await next()).params, ['12', hex(oprHashFor(12)), '']);
    runConsoleCommand(f.server, `stopmining ${sid}`);
    assert.equal((await next()).method, 'mining.stop_mining');
    runConsoleCommand(f.server, `reconnect ${sid} pool.example 3333 5`);
    assert.deepEqual((await next()).params, ['pool.example', '3333', '5']);
    runConsoleCommand(f.server, `getversion ${sid}`);
    assert.equal((await next()).method, 'client.get_version');
    runConsoleCommand(f.server, `setnonce ${sid} 42`);
    assert.deepEqual((await next()).params, ['42']);
    assert.match(runConsoleCommand(f.server, `setjob 13 ${hex(oprHashFor(13))}`), /job 13 sent to 1 sessions/);
    assert.equal((await next()).method, 'mining.notify');
    assert.match(runConsoleCommand(f.server, 'stats'), /sessions=1 /);
    assert.match(runConsoleCommand(f.server, 'help'), /listclients/);
    assert.equal(runConsoleCommand(f.server, 'frobnicate'), 'Server command not supported: frobnicate');
    assert.equal(runConsoleCommand(f.server, 'showmessage nope hi'), 'no session nope');
    assert.match(runConsoleCommand(f.server, 'notify'), /usage/);
    assert.match(runConsoleCommand(f.server, `notify ${sid} x y`), /job id/);
    assert.match(runConsoleCommand(f.server, `settarget ${sid} zz`), /not a hex/);
    assert.equal(runConsoleCommand(f.server, `kick ${sid}`), 'closed');
    await c.waitClose();
  } finally {
    await f.close();
  }
});

test('prosper-pool stratum: a real process with relaxed auth and its stdin console', { timeout: 30_000 }, async () => {
  const home = mkdtempSync(join(tmpdir(), 'prosper-pool-'));
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL(`./run-pool${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url)), '--sport', '0', 'stratum', '--bits', '10', '--welcome', 'hi'], {
    env: { ...process.env, HOME: home },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  const exited = new Promise((r) => child.on('exit', r));
  try {
    const printed = async (re: RegExp) => {
      await until(`${re} in the output`, () => re.test(out)).catch(() => undefined);
      const m = re.exec(out);
      assert.ok(m, `${re} not in output:\n${out}`);
      return m;
    };
    const port = Number((await printed(/stratum listening on [\d.]+:(\d+)/))[1]);
    const c = await RawClient.connect(port);
    c.send('{"id":1,"method":"mining.subscribe","params":["prosper/v0.4.1"]}\n{"id":2,"method":"mining.authorize","params":["anyone,m1","","",""]}\n');
    await c.waitLines(4);
    assert.equal(c.lines[2], '{"id":2,"result":true}');
    child.stdin.write('listclients\n');
    const sid = (await printed(/\n([0-9a-f]{32})\n/))[1]!;
    child.stdin.write(`getversion ${sid}\n`);
    const req = await c.json(4);
    c.send(`{"id":${req.id},"result":"prosper/v0.4.1"}\n`);
    await printed(new RegExp(`${sid}: "prosper/v0.4.1"`));
    child.stdin.write('what\n');
    await printed(/Server command not supported: what/);
    c.close();
  } finally {
    child.stdin.end();
    child.kill('SIGINT');
    await exited;
    rmSync(home, { recursive: true, force: true });
  }
});

test('prosper-pool stratum opens the TLS port from [stratum], and a bad key file stops it with a coded error', { timeout: 60_000 }, async () => {
  const home = mkdtempSync(join(tmpdir(), 'prosper-pool-tls-'));
  const runner = fileURLToPath(new URL(`./run-pool${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url));
  const run = (config: string) => {
    const path = join(home, 'pool.toml');
    writeFileSync(path, config);
    const child = spawn(process.execPath, ['--import', 'tsx', runner, '--config', path, 'stratum', '--bits', '10'], { env: { ...process.env, HOME: home }, stdio: ['pipe', 'pipe', 'pipe'] });
    const out = { text: '' };
    child.stdout.on('data', (d) => (out.text += d));
    child.stderr.on('data', (d) => (out.text += d));
    return { child, out, exited: new Promise<number | null>((r) => child.on('exit', r)) };
  };
  try {
    const cert = makeTestCert(home);
    const good = run(`[stratum]\nhost = "127.0.0.1"\nstratumport = 0\ntlsport = 0\ntlscert = "${cert.certFile}"\ntlskey = "${cert.keyFile}"\n`);
    await until('the TLS port printed', () => /\(TLS on 127\.0\.0\.1:\d+\)/.test(good.out.text) || good.child.exitCode !== null);
    const tlsPort = Number(/\(TLS on 127\.0\.0\.1:(\d+)\)/.exec(good.out.text)?.[1]);
    const c = new StratumClient({ host: '127.0.0.1', port: tlsPort, tls: { fingerprint256: cert.fingerprint256 } });
    await c.connect();
    assert.equal(typeof (await c.subscribe('tls/1')).nonce, 'number');
    c.close();
    good.child.stdin.end();
    good.child.kill('SIGINT');
    await good.exited;
    writeFileSync(join(home, 'bad-key.pem'), '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n');
    const bad = run(`[stratum]\nstratumport = 0\ntlscert = "${cert.certFile}"\ntlskey = "${join(home, 'bad-key.pem')}"\n`);
    assert.equal(await bad.exited, 1);
    assert.match(bad.out.text, /^error PROSPER_E_STRATUM_TLS_CERT: .*bad-key\.pem do not load/m);
    assert.doesNotMatch(bad.out.text, /\n\s+at /, 'no stack trace');
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
});
