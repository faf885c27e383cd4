import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StratumClient } from '../../src/stratum/client.js';
import { inspectStratum } from '../../src/stratum/inspect.js';
import { makeTestCert } from '../helpers/tls-cert.js';
import { hex, oprHashFor, startServer } from './helpers/server.js';

test('optional TLS listener speaks the same dialect; the reusable client handles every server method', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'prosper-tls-'));
  const { cert, key } = makeTestCert(dir);
  const f = await startServer({ tls: { port: 0, key, cert } });
  try {
    const tlsPort = inspectStratum(f.server).tlsPort!;
    assert.notEqual(tlsPort, f.port);
    f.server.setJob({ jobId: 77, oprHash: oprHashFor(77) });
    const c = new StratumClient({ host: 'localhost', port: tlsPort, tls: { ca: cert }, version: 'test/1' });
    const events: [string, unknown][] = [];
    for (const e of ['notify', 'set_target', 'set_nonce', 'stop_mining', 'reconnect', 'show_message']) c.on(e, (v: unknown) => events.push([e, v]));
    await c.connect();
    const sub = await c.subscribe('test/1');
    const auth = await c.authorize('tls@example.com', 'rig');
    assert.equal(auth.ok, true);
    assert.equal(typeof sub.nonce, 'number');
    const sid = sub.sessionId;
    f.server.sendToSession(sid, 'mining.stop_mining');
    f.server.sendToSession(sid, 'client.reconnect', ['h', '1', 'x']);
    f.server.sendToSession(sid, 'mining.set_nonce', ['9']);
    const version = new Promise((r) => f.server.once('response', (_s, m) => r(m.result)));
    f.server.sendToSession(sid, 'client.get_version');
    assert.equal(await version, 'test/1');
    assert.deepEqual(events, [
      ['set_nonce', sub.nonce],
      ['set_target', 0x8000000000000000n],
      ['notify', { jobId: 77, oprHash: hex(oprHashFor(77)), clean: '' }],
      ['show_message', 'Welcome to Prosper'],
      ['stop_mining', undefined],
      ['reconnect', { host: 'h', port: 1, waitSeconds: 0 }],
      ['set_nonce', 9],
    ]);
    assert.equal((await c.getOprHash(77)).result, hex(oprHashFor(77)));
    assert.equal((await c.suggestTarget('ffff000000000000')).result, true);
    c.close();
    await assert.rejects(c.getOprHash(77), /not connected/);
  } finally {
    await f.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
