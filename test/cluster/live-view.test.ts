import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Packr } from 'msgpackr';
import { decodeLiveView, encodeLiveView, LIVE_VIEW_MAX_SESSIONS, LiveViewResponder, NatsLink, requestLiveViews, type EdgeLiveView } from '../../src/cluster/index.js';
import { isProsperError } from '../../src/errors.js';
import { clusterFixture, NATS_HOST, NATS_PORT } from './helpers.js';

let fx: Awaited<ReturnType<typeof clusterFixture>>;
before(async () => (fx = await clusterFixture()));
after(async () => fx.close());

const session = (i: number) => ({
  sessionId: `s${i}`, username: `u${i}@example.com`, minerId: `rig${i}`, agent: 'prosper-miner/1.0', ip: '10.0.0.1', authorized: true, subscribed: true, target: 'ffff000000000000', nonce: i,
});

test('a live view round-trips, is capped, and garbage is a coded error', () => {
  const view: EdgeLiveView = { edgeId: 'eu1', total: 2, sessions: [session(1), session(2)], bans: [{ ip: '10.9.9.9', until: 1_700_000_000_000 }] };
  assert.deepEqual(decodeLiveView(encodeLiveView(view)), view);
  const many = { ...view, total: LIVE_VIEW_MAX_SESSIONS + 10, sessions: Array.from({ length: LIVE_VIEW_MAX_SESSIONS + 10 }, (_, i) => session(i)) };
  const back = decodeLiveView(encodeLiveView(many));
  assert.equal(back.sessions.length, LIVE_VIEW_MAX_SESSIONS);
  assert.equal(back.total, LIVE_VIEW_MAX_SESSIONS + 10);
  const packr = new Packr({ useRecords: false });
  const good = packr.unpack(encodeLiveView(view)) as Record<string, unknown>;
  for (const bad of [{ ...good, s: [[1, 2]] }, { ...good, s: 'x' }, { ...good, b: [['ip', -1]] }, { ...good, w: 9 }, { ...good, s: [[...(good.s as unknown[][])[0]!.slice(0, 8), 1.5]] }]) {
    assert.throws(() => decodeLiveView(packr.pack(bad)), (e: unknown) => isProsperError(e, 'PROSPER_E_CLUSTER_BAD_MESSAGE'));
  }
});

test('the coordinator asks each edge for its sessions and bans; a silent edge is left out, an edge answering for another is refused', async () => {
  const edgeLink = new NatsLink({ servers: `${NATS_HOST}:${NATS_PORT}` });
  const coordLink = new NatsLink({ servers: `${NATS_HOST}:${NATS_PORT}` });
  await Promise.all([edgeLink.ready(), coordLink.ready()]);
  let sessions = [session(1), session(2), session(3)];
  const eu = new LiveViewResponder({ link: edgeLink, names: fx.names, edgeId: 'eu1', view: () => ({ total: sessions.length, sessions, bans: [{ ip: '10.6.6.6', until: 42 }] }) });
  await eu.start();
  // An edge that answers in another edge's name.
  const liar = edgeLink.nc!.subscribe(fx.names.liveSubject('us1'), { callback: (_e, m) => m.respond(encodeLiveView({ edgeId: 'eu1', total: 0, sessions: [], bans: [] })) });
  await edgeLink.nc!.flush();

  const views = await requestLiveViews(coordLink, fx.names, ['eu1', 'us1', 'gone'], 500);
  assert.deepEqual(views.map((v) => [v.edgeId, v.total, v.sessions.map((s) => s.sessionId), v.bans]), [['eu1', 3, ['s1', 's2', 's3'], [{ ip: '10.6.6.6', until: 42 }]]]);
  sessions = [session(9)];
  assert.deepEqual((await requestLiveViews(coordLink, fx.names, ['eu1'], 500))[0]!.sessions.map((s) => s.nonce), [9], 'asked afresh each time');
  eu.stop();
  liar.unsubscribe();
  assert.deepEqual(await requestLiveViews(coordLink, fx.names, ['eu1'], 300), [], 'a stopped edge is left out');
  await Promise.all([edgeLink.close(), coordLink.close()]);
});
