import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { EdgeRegistry, EdgeReporter, encodeReport, NatsLink } from '../../src/cluster/index.js';
import { clusterFixture, NATS_HOST, NATS_PORT, waitFor } from './helpers.js';

const COUNTERS = { connections: 12, accepted: 900, stale: 3, duplicate: 2, invalid: 1, rejected: 4, garbage: 0, banned: 0, refused: 5 };

let fx: Awaited<ReturnType<typeof clusterFixture>>;
before(async () => (fx = await clusterFixture()));
after(async () => fx.close());

test('edges report health and load; the registry keeps the latest per edge and marks silent ones stale', async () => {
  let coordClock = 5_000_000;
  const coord = new NatsLink({ servers: `${NATS_HOST}:${NATS_PORT}` });
  const edge = new NatsLink({ servers: `${NATS_HOST}:${NATS_PORT}` });
  await Promise.all([coord.ready(), edge.ready()]);
  const registry = new EdgeRegistry({ link: coord, names: fx.names, now: () => coordClock, staleAfterMs: 10_000 });
  await registry.start();

  let sessions = 10;
  const mk = (edgeId: string, lastJobId?: number) =>
    new EdgeReporter({ link: edge, names: fx.names, edgeId, now: () => 42, intervalMs: 60_000, snapshot: () => ({ sessions, sharesPerSecond: 12.5, spooled: 0, counters: COUNTERS, validationPending: 3, ...(lastJobId === undefined ? {} : { lastJobId }) }) });
  const a = mk('eu1', 700);
  const b = mk('us1');
  a.start();
  b.start();
  await waitFor('two edges', () => registry.list().length === 2);
  assert.deepEqual(registry.get('eu1'), { report: { edgeId: 'eu1', sessions: 10, sharesPerSecond: 12.5, spooled: 0, counters: COUNTERS, validationPending: 3, lastJobId: 700, sentAt: 42 }, receivedAt: 5_000_000, stale: false });
  assert.equal(registry.get('us1')!.report.lastJobId, undefined);

  coordClock += 8000;
  sessions = 11;
  assert.equal(a.report(), true);
  await waitFor('eu1 updated', () => registry.get('eu1')!.report.sessions === 11);
  coordClock += 4000;
  // us1 last heard 12 s ago: stale; eu1 4 s ago: fresh.
  assert.deepEqual(registry.list().map((s) => [s.report.edgeId, s.stale]), [['eu1', false], ['us1', true]]);
  assert.equal(registry.prune(11_000), 1);
  assert.deepEqual(registry.list().map((s) => s.report.edgeId), ['eu1']);

  // Garbage and an edge speaking for another are dropped, not recorded.
  fx.nc.publish(fx.names.healthSubject('eu1'), Buffer.from('nonsense'));
  fx.nc.publish(fx.names.healthSubject('eu1'), encodeReport({ edgeId: 'us1', sessions: 1, sharesPerSecond: 0, spooled: 0, counters: COUNTERS, validationPending: 0, sentAt: 1 }));
  await waitFor('two rejections', () => registry.rejected === 2);
  assert.deepEqual(registry.list().map((s) => s.report.edgeId), ['eu1']);
  assert.equal(registry.get('eu1')!.report.sessions, 11);

  a.stop();
  b.stop();
  registry.stop();
  await edge.close();
  // A reporter whose link is down says so instead of throwing.
  assert.equal(mk('x').report(), false);
  await coord.close();
});
