import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MINER_VERSION } from '../../src/cli/prosper-miner.js';
import type { StratumAuthRequest } from '../../src/stratum/auth.js';
import { encodeAddress, rcdHash } from '../../src/factom/index.js';
import { inspectStratum } from '../../src/stratum/inspect.js';
import { makeTestCert } from '../helpers/tls-cert.js';
import { hex, oprHashFor, sleep, startServer, type Fixture } from '../stratum/helpers/server.js';

const RUNNER = fileURLToPath(new URL(`./run-miner${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url));

interface Proc {
  child: ChildProcess;
  out: () => string;
  exited: Promise<number | null>;
}

function spawnMiner(home: string, args: string[]): Proc {
  const child = spawn(process.execPath, ['--import', 'tsx', RUNNER, ...args], {
    env: { ...process.env, HOME: home, PROSPER_LOG_LEVEL: 'warn' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  return { child, out: () => out, exited };
}

async function until(cond: () => boolean, ms: number, what: string, proc?: Proc): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out: ${what}\n${proc?.out() ?? ''}`);
    await sleep(25);
  }
}

const EASY_FOR_10_BITS = 0xfffe000000000000n; // ~32k hashes per share

test('a real prosper-miner process mines against a real server: shares, messages, jobs, console, version', { timeout: 60_000 }, async () => {
  const home = mkdtempSync(join(tmpdir(), 'prosper-miner-'));
  const f = await startServer({ initialTarget: EASY_FOR_10_BITS, vardiff: { enabled: false } });
  let proc: Proc | undefined;
  try {
    f.server.setJob({ jobId: 1000, oprHash: oprHashFor(1000) });
    proc = spawnMiner(home, ['-u', 'alice@example.com', '-m', 'rig7', '-t', '2', '-s', `127.0.0.1:${f.port}`, '--bits', '10', '--reconnect-ms', '100']);
    const p = proc;
    await until(() => f.sink.shares.length >= 4, 30_000, 'shares accepted', p);
    const session = f.server.listSessions()[0]!;
    assert.equal(session.agent, MINER_VERSION);
    assert.equal(session.username, 'alice@example.com');
    assert.equal(session.minerId, 'rig7');
    for (const s of f.sink.shares.slice(0, 4)) {
      assert.equal(s.nonce.length, 9, 'connection nonce + thread byte + counter');
      assert.equal(new DataView(s.nonce.buffer, s.nonce.byteOffset).getUint32(0), session.nonce);
      assert.ok(s.nonce[4]! < 2, 'thread byte');
      assert.ok(s.target > EASY_FOR_10_BITS);
      assert.equal(s.jobId, 1000);
    }
    assert.equal(f.server.counters.rejected, 0);
    // The config was written on first run, without secrets.
    const cfgText = readFileSync(join(home, '.prosper', 'prosper-miner.toml'), 'utf8');
    assert.match(cfgText, /username = "alice@example.com"/);
    assert.match(cfgText, /minerid = "rig7"/);

    f.server.sendToSession(session.sessionId, 'client.show_message', ['hello miner']);
    await until(() => p.out().includes('Message from server: hello miner'), 5000, 'show_message', p);

    const version = new Promise<unknown>((r) => f.server.once('response', (_s, m) => r(m)));
    f.server.sendToSession(session.sessionId, 'client.get_version');
    assert.equal(((await version) as { result: unknown }).result, MINER_VERSION);

    // New job: a status line for the old one, shares for the new one.
    const before = f.sink.shares.length;
    f.server.setJob({ jobId: 1001, oprHash: oprHashFor(1001) });
    await until(() => /job 1000: local rate [\d.]+ [kMG]?h\/s on 2 threads .*shares accepted \d+ rejected 0, pool credit [\d.]+ [kMG]?h\/s \(95 %: [\d.]+ [kMG]?h\/s - [\d.]+ [kMG]?h\/s\)/.test(p.out()), 5000, 'status line', p);
    await until(() => f.sink.shares.slice(before).some((s) => s.jobId === 1001), 20_000, 'shares for the new job', p);

    // Console: total, getopr.
    p.child.stdin!.write('total\n');
    await until(() => /Total submit \d+/.test(p.out()), 5000, 'total', p);
    p.child.stdin!.write('getopr 1001\n');
    await until(() => p.out().includes(`OPRHash result: ${hex(oprHashFor(1001))}`), 5000, 'getopr', p);
    p.child.stdin!.write('suggesttarget fffff00000000000\n');
    await until(() => p.out().includes('suggest_target accepted'), 5000, 'suggesttarget', p);
    p.child.stdin!.write('bogus\n');
    await until(() => p.out().includes('Client command not supported: bogus'), 5000, 'unknown command', p);

    // stop_mining pauses until the next notify.
    f.server.sendToSession(session.sessionId, 'mining.stop_mining');
    await sleep(300);
    const paused = f.sink.shares.length;
    await sleep(700);
    assert.ok(f.sink.shares.length - paused <= 1, 'no shares while paused');
    f.server.setJob({ jobId: 1002, oprHash: oprHashFor(1002) });
    await until(() => f.sink.shares.some((s) => s.jobId === 1002), 20_000, 'mining resumed', p);
  } finally {
    proc?.child.kill('SIGINT');
    if (proc) await proc.exited;
    await f.close();
    rmSync(home, { recursive: true, force: true });
  }
});

test('the miner reconnects with backoff when the pool goes away, and follows client.reconnect', { timeout: 60_000 }, async () => {
  const home = mkdtempSync(join(tmpdir(), 'prosper-miner-'));
  let f: Fixture = await startServer({ initialTarget: EASY_FOR_10_BITS, vardiff: { enabled: false } });
  const port = f.port;
  const other = await startServer({ initialTarget: EASY_FOR_10_BITS, vardiff: { enabled: false } });
  let proc: Proc | undefined;
  try {
    f.server.setJob({ jobId: 5, oprHash: oprHashFor(5) });
    proc = spawnMiner(home, ['-u', 'bob@example.com', '-t', '1', '-s', `127.0.0.1:${port}`, '--bits', '10', '--reconnect-ms', '100']);
    const p = proc;
    await until(() => f.sink.shares.length >= 1, 30_000, 'first share', p);
    const minerId = f.server.listSessions()[0]!.minerId;
    assert.match(minerId, /^[a-z]+-[a-z]+$/, 'random adjective-noun miner id');
    await f.close();
    await sleep(400); // a few failed attempts
    f = await startServer({ port, initialTarget: EASY_FOR_10_BITS, vardiff: { enabled: false } });
    f.server.setJob({ jobId: 6, oprHash: oprHashFor(6) });
    await until(() => f.sink.shares.length >= 1, 30_000, 'share after reconnect', p);
    assert.equal(f.sink.shares[0]!.minerId, minerId, 'same identity from the config file');
    // Redirect to another pool.
    other.server.setJob({ jobId: 6, oprHash: oprHashFor(6) });
    f.server.sendToSession(f.server.listSessions()[0]!.sessionId, 'client.reconnect', ['127.0.0.1', String(other.port), '0']);
    await until(() => other.sink.shares.length >= 1, 30_000, 'share at the redirected pool', p);
    assert.equal(other.sink.shares[0]!.username, 'bob@example.com');
  } finally {
    proc?.child.kill('SIGINT');
    if (proc) await proc.exited;
    await f.close();
    await other.close();
    rmSync(home, { recursive: true, force: true });
  }
});

test('refused authorization stops the miner; -p registration sends the secrets; bad flags are errors', { timeout: 30_000 }, async () => {
  const home = mkdtempSync(join(tmpdir(), 'prosper-miner-'));
  const seen: StratumAuthRequest[] = [];
  const f = await startServer({}, { authorizer: { authorize: async (r) => (seen.push(r), { ok: false, reason: 'invite code required' }) } });
  try {
    const FA = encodeAddress('FA', rcdHash(new Uint8Array(32).fill(7)));
    const reg = spawnMiner(home, ['-u', 'dave@example.com', '-m', 'r1', '-t', '1', '-s', `127.0.0.1:${f.port}`, '--bits', '10', '-p', '-i', 'INV-1', '-a', FA]);
    reg.child.stdin!.write('s3cret\ns3cret\n');
    assert.equal(await reg.exited, 1);
    assert.deepEqual(seen.map((r) => [r.username, r.minerId, r.password, r.inviteCode, r.payoutAddress]), [['dave@example.com', 'r1', 's3cret', 'INV-1', FA]]);
    assert.doesNotMatch(readFileSync(join(home, '.prosper', 'prosper-miner.toml'), 'utf8'), /s3cret|INV-1/);
    const mismatch = spawnMiner(home, ['-t', '1', '-s', `127.0.0.1:${f.port}`, '--bits', '10', '-p']);
    mismatch.child.stdin!.write('a\nb\n');
    assert.equal(await mismatch.exited, 1);
    assert.match(mismatch.out(), /passwords do not match/);
    const badPayout = spawnMiner(home, ['-t', '1', '-s', `127.0.0.1:${f.port}`, '--bits', '10', '-p', '-a', 'FAnotanaddress']);
    badPayout.child.stdin!.write('a\na\n');
    assert.equal(await badPayout.exited, 1);
    assert.match(badPayout.out(), /not a valid FA address/);
    rmSync(join(home, '.prosper'), { recursive: true, force: true });
    const p = spawnMiner(home, ['-u', 'carol@example.com', '-t', '1', '-s', `127.0.0.1:${f.port}`, '--bits', '10']);
    assert.equal(await p.exited, 1);
    assert.match(p.out(), /Authorization refused by the pool \(invite code required\)/);
    const bad = spawnMiner(mkdtempSync(join(tmpdir(), 'prosper-miner-')), ['-s', `127.0.0.1:${f.port}`]);
    assert.equal(await bad.exited, 1);
    assert.match(bad.out(), /username is required on first run/);
    const notEmail = spawnMiner(home, ['-u', 'not-an-email', '-s', `127.0.0.1:${f.port}`]);
    assert.equal(await notEmail.exited, 1);
    assert.match(notEmail.out(), /must be an email/);
    const missing = spawnMiner(home, ['-c', join(home, 'nope.toml'), '-u', 'a@b.co']);
    assert.equal(await missing.exited, 1);
    assert.match(missing.out(), /does not exist/);
    assert.equal(existsSync(join(home, 'nope.toml')), false);
  } finally {
    await f.close();
    rmSync(home, { recursive: true, force: true });
  }
});

test('a retryable authorize refusal (the pool cannot check logins now) makes the miner retry, not stop', { timeout: 60_000 }, async () => {
  const home = mkdtempSync(join(tmpdir(), 'prosper-miner-'));
  let calls = 0;
  const f = await startServer({ initialTarget: EASY_FOR_10_BITS, vardiff: { enabled: false } }, {
    authorizer: {
      authorize: async (r) => (++calls <= 2
        ? { ok: false, reason: 'the pool cannot reach its user store; try again shortly', code: 'PROSPER_E_AUTH_UNAVAILABLE', retryable: true }
        : { ok: true, userId: r.username }),
    },
  });
  let proc: Proc | undefined;
  try {
    f.server.setJob({ jobId: 2000, oprHash: oprHashFor(2000) });
    proc = spawnMiner(home, ['-u', 'erin@example.com', '-m', 'rig', '-t', '1', '-s', `127.0.0.1:${f.port}`, '--bits', '10', '--reconnect-ms', '100']);
    const p = proc;
    await until(() => f.sink.shares.length >= 1, 45_000, 'a share after the retries', p);
    assert.equal(calls, 3);
    assert.equal(p.child.exitCode, null, 'still running');
  } finally {
    proc?.child.kill('SIGTERM');
    await proc?.exited;
    await f.close();
    rmSync(home, { recursive: true, force: true });
  }
});

test('prosper-miner mines over TLS, verifying the pool by CA file or by a pinned fingerprint, and refuses a wrong fingerprint', { timeout: 120_000 }, async () => {
  const home = mkdtempSync(join(tmpdir(), 'prosper-miner-tls-'));
  const cert = makeTestCert(home, 'pool');
  const f = await startServer({ initialTarget: EASY_FOR_10_BITS, vardiff: { enabled: false }, tls: { port: 0, cert: cert.cert, key: cert.key } });
  const tlsPort = inspectStratum(f.server).tlsPort!;
  const procs: Proc[] = [];
  try {
    f.server.setJob({ jobId: 70, oprHash: oprHashFor(70) });
    const plainHex = cert.fingerprint256.replace(/:/g, '').toLowerCase();
    for (const [minerId, args] of [['byca', ['--tls-ca', cert.certFile, '-s', `localhost:${tlsPort}`]], ['bypin', ['--tls-fingerprint', plainHex, '-s', `127.0.0.1:${tlsPort}`]]] as const) {
      const p = spawnMiner(home, ['-u', 'tls@example.com', '-m', minerId, '-t', '1', '--bits', '10', '--reconnect-ms', '100', ...args]);
      procs.push(p);
      await until(() => f.sink.shares.some((s) => s.minerId === minerId), 60_000, `shares over TLS from ${minerId}`, p);
    }
    assert.equal(inspectStratum(f.server).tlsPort, tlsPort);
    // A fingerprint that is not the pool's: a clear coded refusal, the process exits, no session.
    const wrong = cert.fingerprint256.replace(/^[0-9A-F]{2}/, (x) => (x === '00' ? '01' : '00'));
    const bad = spawnMiner(home, ['-u', 'tls@example.com', '-m', 'wrongpin', '-t', '1', '--bits', '10', '--tls-fingerprint', wrong, '-s', `127.0.0.1:${tlsPort}`]);
    procs.push(bad);
    assert.equal(await bad.exited, 1, bad.out());
    assert.match(bad.out(), /PROSPER_E_STRATUM_TLS_FINGERPRINT: the pool at 127\.0\.0\.1:\d+ shows a certificate with SHA-256 [0-9a-f]{64}, not the pinned/);
    assert.ok(!f.server.listSessions().some((s) => s.minerId === 'wrongpin'));
    // A malformed fingerprint is refused before anything connects.
    const malformed = spawnMiner(home, ['-u', 'tls@example.com', '-t', '1', '--bits', '10', '--tls-fingerprint', 'abc', '-s', `127.0.0.1:${tlsPort}`]);
    procs.push(malformed);
    assert.notEqual(await malformed.exited, 0);
    assert.match(malformed.out(), /--tls-fingerprint must be a SHA-256 fingerprint/);
  } finally {
    for (const p of procs) p.child.kill('SIGINT');
    await Promise.all(procs.map((p) => p.exited));
    await f.close();
    rmSync(home, { recursive: true, force: true });
  }
});
