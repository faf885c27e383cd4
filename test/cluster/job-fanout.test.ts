import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Writable } from 'node:stream';
import { JobPublisher, JobSubscriber, NatsLink, type JobAnnouncement } from '../../src/cluster/index.js';
import { createLogger } from '../../src/log.js';
import { clusterFixture, NATS_HOST, NATS_PORT, streamCount, TcpProxy, waitFor } from './helpers.js';

let fx: Awaited<ReturnType<typeof clusterFixture>>;
before(async () => (fx = await clusterFixture()));
after(async () => fx.close());

const hash = (b: number) => new Uint8Array(32).fill(b);
let clock = 1_700_000_000_000;
const now = () => clock;

test('a job reaches a live edge, and an edge that starts later reads the newest from the stream', async () => {
  const coord = new NatsLink({ servers: `${NATS_HOST}:${NATS_PORT}` });
  const edge = new NatsLink({ servers: `${NATS_HOST}:${NATS_PORT}` });
  await Promise.all([coord.ready(), edge.ready()]);
  const pub = new JobPublisher({ link: coord, names: fx.names, now });
  const seen: JobAnnouncement[] = [];
  const sub = new JobSubscriber({ link: edge, names: fx.names, onJob: (j) => seen.push(j) });
  await sub.catchUp();
  assert.equal(seen.length, 0, 'no job announced yet');

  const a1 = await pub.publish({ jobId: 500, oprVersion: 2, oprHash: hash(1), submitThreshold: 0xfff0000000000000n, lxrBits: 16 });
  await waitFor('job 500 on the subject', () => seen.length === 1);
  assert.deepEqual(seen[0], a1);
  clock += 1;
  // The same job again with a new threshold is a new announcement.
  const a2 = await pub.publish({ jobId: 500, oprVersion: 2, oprHash: hash(1), submitThreshold: 0xffe0000000000000n, lxrBits: 16 });
  await waitFor('the threshold change', () => seen.length === 2);
  assert.equal(seen[1]!.submitThreshold, 0xffe0000000000000n);
  assert.ok(a2.seq > a1.seq);
  assert.equal(await streamCount(fx.jsm, fx.names.jobsStream), 1, 'the stream keeps only the newest job');

  const late = new NatsLink({ servers: `${NATS_HOST}:${NATS_PORT}` });
  const lateSeen: JobAnnouncement[] = [];
  const lateSub = new JobSubscriber({ link: late, names: fx.names, onJob: (j) => lateSeen.push(j) });
  await late.ready();
  await waitFor('the stored job for a late edge', () => lateSeen.length === 1);
  assert.deepEqual(lateSeen[0], a2);
  // Reading the stream again (another reconnect) does not hand the same job twice.
  await lateSub.catchUp();
  assert.equal(lateSeen.length, 1);
  for (const x of [pub, sub, lateSub]) x.close();
  await Promise.all([coord.close(), edge.close(), late.close()]);
});

test('an edge cut off while a job is announced gets it when its link returns; garbage and stale announcements are ignored', async () => {
  const proxy = new TcpProxy();
  await proxy.open();
  const lines: string[] = [];
  const log = createLogger({ level: 'debug', destination: new Writable({ write: (c, _e, cb) => (lines.push(String(c)), cb()) }) });
  const coord = new NatsLink({ servers: `${NATS_HOST}:${NATS_PORT}` });
  const edge = new NatsLink({ servers: `127.0.0.1:${proxy.port}`, reconnectWaitMs: 50 });
  await Promise.all([coord.ready(), edge.ready()]);
  const pub = new JobPublisher({ link: coord, names: fx.names, now });
  const seen: JobAnnouncement[] = [];
  const sub = new JobSubscriber({ link: edge, names: fx.names, onJob: (j) => seen.push(j), log });
  clock += 1;
  await pub.publish({ jobId: 600, oprVersion: 2, oprHash: hash(6), submitThreshold: 1n, lxrBits: 16 });
  await waitFor('job 600', () => seen.at(-1)?.jobId === 600);

  await proxy.cut();
  await waitFor('edge link down', () => !edge.up);
  clock += 1;
  await pub.publish({ jobId: 601, oprVersion: 2, oprHash: hash(7), submitThreshold: 2n, lxrBits: 16 });
  assert.equal(seen.at(-1)!.jobId, 600, 'the edge keeps serving its last job while cut off');
  await proxy.open();
  await waitFor('job 601 after reconnect', () => seen.at(-1)?.jobId === 601);

  const count = seen.length;
  fx.nc.publish(fx.names.jobsSubject, Buffer.from('garbage'));
  // An announcement older than the one held (a delayed or replayed one) is not applied.
  const { encodeJob } = await import('../../src/cluster/index.js');
  fx.nc.publish(fx.names.jobsSubject, encodeJob({ jobId: 599, oprVersion: 2, oprHash: hash(5), submitThreshold: 1n, lxrBits: 16, seq: 1, issuedAt: 1 }));
  await fx.nc.flush();
  await waitFor('the garbage logged', () => lines.some((l) => l.includes('job announcement dropped')));
  await new Promise((r) => setTimeout(r, 50));
  assert.equal(seen.length, count);
  assert.equal(sub.current!.jobId, 601);
  pub.close();
  sub.close();
  await Promise.all([coord.close(), edge.close()]);
  await proxy.cut();
});

test('a job the coordinator announced while cut off reaches the edges when its link returns', async () => {
  const proxy = new TcpProxy();
  await proxy.open();
  const coord = new NatsLink({ servers: `127.0.0.1:${proxy.port}`, reconnectWaitMs: 50 });
  const edge = new NatsLink({ servers: `${NATS_HOST}:${NATS_PORT}` });
  await Promise.all([coord.ready(), edge.ready()]);
  const pub = new JobPublisher({ link: coord, names: fx.names, now, timeoutMs: 200 });
  const seen: JobAnnouncement[] = [];
  const sub = new JobSubscriber({ link: edge, names: fx.names, onJob: (j) => seen.push(j) });
  clock += 1;
  await pub.publish({ jobId: 700, oprVersion: 2, oprHash: hash(7), submitThreshold: 3n, lxrBits: 16 });
  await waitFor('job 700', () => seen.at(-1)?.jobId === 700);
  await proxy.cut();
  await waitFor('coordinator link down', () => !coord.up);
  clock += 1;
  await assert.rejects(pub.publish({ jobId: 701, oprVersion: 2, oprHash: hash(8), submitThreshold: 4n, lxrBits: 16 }));
  assert.equal(seen.at(-1)!.jobId, 700);
  await proxy.open();
  await waitFor('job 701 republished', () => seen.at(-1)?.jobId === 701);
  await new Promise((r) => setTimeout(r, 100));
  assert.equal(seen.filter((j) => j.jobId === 701).length, 1, 'delivered once although it may be published twice');
  pub.close();
  sub.close();
  await Promise.all([coord.close(), edge.close()]);
  await proxy.cut();
});
