import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { AckPolicy } from 'nats';
import { encodeShare, shareMsgId, type EdgeReport, type EdgeStatus } from '../../src/cluster/index.js';
import { RelayedShares } from '../../src/pool/index.js';
import { clusterFixture, makeShare } from './helpers.js';

let fx: Awaited<ReturnType<typeof clusterFixture>>;
before(async () => (fx = await clusterFixture()));
after(async () => fx.close());

const COUNTERS = { connections: 0, accepted: 0, stale: 0, duplicate: 0, invalid: 0, rejected: 0, garbage: 0, banned: 0, refused: 0 };
const status = (edgeId: string, receivedAt: number, spooled: number): EdgeStatus => ({
  report: { edgeId, sessions: 1, sharesPerSecond: 0, spooled, counters: COUNTERS, validationPending: 0, sentAt: receivedAt } satisfies EdgeReport,
  receivedAt, stale: false,
});

test('a job settles only once every edge has reported an empty spool after its window closed and the stream holds none of the shares sent before', async () => {
  let edges: EdgeStatus[] = [];
  const relayed = new RelayedShares({ list: () => edges }, async () => fx.jsm, fx.names.sharesStream);
  const js = fx.nc.jetstream();
  const publish = async (i: number) => {
    const s = { ...makeShare(700 + i), edgeId: 'e1' };
    await js.publish(fx.names.sharesSubject('e1'), encodeShare(s), { msgID: shareMsgId(s) });
  };
  const CLOSED = 1_000;
  // No edge and an empty stream: nothing can be on its way.
  assert.equal(await relayed.allIn(1, CLOSED), true);

  // An edge last heard before the window closed may be spooling through an outage; one with a backlog is replaying.
  edges = [status('e1', CLOSED - 1, 0)];
  assert.equal(await relayed.allIn(2, CLOSED), false);
  edges = [status('e1', CLOSED + 5, 3)];
  assert.equal(await relayed.allIn(2, CLOSED), false);

  // The edge is caught up, but three shares sent before are still in the stream (not credited yet).
  for (let i = 0; i < 3; i++) await publish(i);
  edges = [status('e1', CLOSED + 10, 0)];
  assert.equal(await relayed.allIn(2, CLOSED), false);
  // Shares of the next job keep arriving: they do not hold this job back once the earlier three are acked.
  for (let i = 3; i < 5; i++) await publish(i);
  await fx.jsm.consumers.add(fx.names.sharesStream, { durable_name: 'rs', ack_policy: AckPolicy.Explicit });
  const consumer = await js.consumers.get(fx.names.sharesStream, 'rs');
  const batch = await consumer.fetch({ max_messages: 3, expires: 2000 });
  for await (const m of batch) await m.ackAck();
  assert.equal(await relayed.allIn(2, CLOSED), true);
  // The next job's mark is taken now: the two shares left hold it.
  assert.equal(await relayed.allIn(3, CLOSED), false);
});
