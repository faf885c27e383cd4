// The edge role in-process (PoolEngine with [cluster] role = "edge") against the real nats-server:
// authorizations are relayed (refused with a retry reason while no coordinator answers), jobs
// from the coordinator reach the miners, and a job proven on another table size stops them.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { AUTH_UNAVAILABLE, AuthResponder, JobPublisher, NatsLink } from '../../src/cluster/index.js';
import { loadConfig } from '../../src/config/index.js';
import { PoolEngine } from '../../src/engine/engine.js';
import { isProsperError } from '../../src/errors.js';
import { silentLogger } from '../../src/log.js';
import { permissiveAuthorizer, StratumClient } from '../../src/stratum/index.js';
import { makeTestCert } from '../helpers/tls-cert.js';
import { RawClient } from '../stratum/helpers/server.js';
import { clusterFixture, NATS_HOST, NATS_PORT, waitFor } from './helpers.js';

let fx: Awaited<ReturnType<typeof clusterFixture>>;
const dir = mkdtempSync(join(tmpdir(), 'prosper-edge-engine-'));
before(async () => (fx = await clusterFixture()));
after(async () => {
  await fx.close();
  rmSync(dir, { recursive: true, force: true });
});

test('an edge relays authorize, serves the coordinator\'s jobs, and refuses a job proven on another table', async () => {
  const path = join(dir, 'edge.toml');
  const cert = makeTestCert(dir, 'edge');
  writeFileSync(path, `
[stratum]
host = "127.0.0.1"
stratumport = 0
tlsport = 0
tlscert = "${cert.certFile}"
tlskey = "${cert.keyFile}"
proxyprotocol = "optional"
trustedproxies = "127.0.0.1, ::1"
[web]
port = 0
[validation]
workers = 1
[cluster]
role = "edge"
nats = "nats://${NATS_HOST}:${NATS_PORT}"
prefix = "${fx.names.prefix}"
edgeid = "t1"
lxrbits = 10
spooldir = "${join(dir, 'spool')}"
`);
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: dir };
  delete env.LXRBITSIZE;
  const bitsBefore = process.env.LXRBITSIZE;
  delete process.env.LXRBITSIZE;
  const engine = await PoolEngine.start({ config: loadConfig({ path, env }), logger: silentLogger() });
  if (bitsBefore !== undefined) process.env.LXRBITSIZE = bitsBefore;
  const coord = new NatsLink({ servers: `${NATS_HOST}:${NATS_PORT}` });
  const client = new StratumClient({ host: '127.0.0.1', port: engine.info.stratumPort!, requestTimeoutMs: 10_000 });
  let responder: AuthResponder | undefined;
  try {
    assert.equal(engine.info.role, 'edge');
    assert.equal(engine.info.lxrBits, 10);
    assert.throws(() => engine.store, /no store/, 'an edge holds no store');
    await client.connect();
    await client.subscribe('test/1');
    // No coordinator answers yet: a refusal that tells the miner to try again.
    const refused = await client.authorize('a@example.com', 'rig');
    assert.equal(refused.ok, false);
    assert.match(JSON.stringify(refused.error), new RegExp(AUTH_UNAVAILABLE.split(';')[0]!));
    await coord.ready();
    responder = new AuthResponder({ link: coord, names: fx.names, authorizer: permissiveAuthorizer() });
    await responder.start();
    assert.equal((await client.authorize('a@example.com', 'rig')).ok, true);

    const notified: number[] = [];
    let stopped = 0;
    client.on('notify', (n: { jobId: number }) => notified.push(n.jobId));
    client.on('stop_mining', () => stopped++);
    const publisher = new JobPublisher({ link: coord, names: fx.names, now: Date.now });
    await publisher.publish({ jobId: 900, oprVersion: 5, oprHash: new Uint8Array(32).fill(9), submitThreshold: 1n, lxrBits: 10 });
    await waitFor('the job reached the miner', () => notified.includes(900));
    await publisher.publish({ jobId: 901, oprVersion: 5, oprHash: new Uint8Array(32).fill(8), submitThreshold: 1n, lxrBits: 12 });
    await waitFor('the miner told to stop', () => stopped === 1);
    assert.equal(engine.stratum.currentJob?.jobId, 900, 'the job on another table was not taken');
    await publisher.publish({ jobId: 902, oprVersion: 5, oprHash: new Uint8Array(32), submitThreshold: 0n, lxrBits: 10, stop: true });
    await waitFor('a stop announcement stops the miners', () => stopped === 2);
    publisher.close();

    // The edge's Stratum over TLS (the certificate pinned) and behind a PROXY header.
    const overTls = new StratumClient({ host: '127.0.0.1', port: engine.info.stratumTlsPort!, tls: { fingerprint256: cert.fingerprint256 }, requestTimeoutMs: 10_000 });
    await overTls.connect();
    await overTls.subscribe('test/tls');
    overTls.close();
    const proxied = await RawClient.connect(engine.info.stratumPort!);
    proxied.send('PROXY TCP4 192.0.2.200 127.0.0.1 4000 1234\r\n{"id":1,"method":"mining.subscribe","params":["test/proxied"]}\n');
    assert.equal((await proxied.json(0, 10_000)).id, 1);
    assert.ok(engine.stratum.listSessions().some((x) => x.ip === '192.0.2.200' && x.agent === 'test/proxied'));
    proxied.close();
  } finally {
    client.close();
    responder?.stop();
    await coord.close();
    await engine.stop();
  }
});

test('a coordinator or an edge without a NATS server in [cluster] nats is a clear config error', async () => {
  for (const role of ['edge', 'coordinator']) {
    const path = join(dir, `${role}-nonats.toml`);
    writeFileSync(path, `[web]\nport = 0\n[stratum]\nstratumport = 0\n[cluster]\nrole = "${role}"\nnats = " , "\nspooldir = "${join(dir, 'spool2')}"\n[database]\ndatadir = "${join(dir, 'pglite2')}"\n`);
    await assert.rejects(
      PoolEngine.start({ config: loadConfig({ path, env: { ...process.env, HOME: dir } }), logger: silentLogger() }),
      (e: unknown) => isProsperError(e, 'PROSPER_E_CONFIG') && /\[cluster\] nats names no server/.test((e as Error).message),
      role,
    );
  }
});
