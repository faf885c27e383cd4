import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { MetricsFeed, timedValidator } from '../../src/metrics/metrics-feed.js';
import { createInlineValidator } from '../../src/stratum/inline-validator.js';
import { powInput, targetOfHash, createHasher } from '../../src/lxr/index.js';
import { smallTable } from '../stratum/helpers/server.js';
import { createPoolMetrics } from '../../src/metrics/index.js';
import { hashratesFromWork } from '../../src/accounting/index.js';
import { findShare, hex, oprHashFor, prefixOf, RawClient, startServer, type Fixture } from '../stratum/helpers/server.js';

describe('metrics feed', () => {
  let f: Fixture;
  before(async () => {
    f = await startServer({ initialTarget: 0xc000000000000000n });
  });
  after(() => f.close());

  it('turns Stratum totals into Prometheus counters and follows sessions, sync and submissions', async () => {
    const metrics = createPoolMetrics();
    const feed = new MetricsFeed({ metrics, stratum: f.server, validator: { stats: () => ({ pending: 3, utilization: 0.25 }) }, ecBalance: async () => 1234n, factomdHeight: async () => 12 });
    const opr = oprHashFor(1);
    f.server.setJob({ jobId: 1, oprHash: opr });
    const c = await RawClient.connect(f.port);
    c.send('{"id":1,"method":"mining.subscribe","params":["test/1.0"]}\n');
    c.send('{"id":2,"method":"mining.authorize","params":["m@example.com,rig","","",""]}\n');
    const sub = await c.json(0);
    const nonce = Number(sub.result[2].id);
    await c.waitLines(5);
    const share = findShare(opr, prefixOf(nonce), 0xc000000000000000n);
    const submit = (id: number) => c.send(JSON.stringify({ id, method: 'mining.submit', params: ['m@example.com', '1', hex(share.nonce), hex(opr), share.target.toString(16)] }) + '\n');
    submit(10);
    submit(11); // the same share again: a duplicate
    await c.waitLines(7);
    await feed.sample();
    feed.onBlock({ top: true, headHeight: 10, block: { height: 10, nextPreviousWinners: [], graded: { height: 10, version: 5, accepted: 1, graded: [], winners: [], nextPreviousWinners: [], difficulty: { spot: 1, minimum: 1n, maximum: 1n }, poolReward: { graded: 1, winning: 1, reward: 5n } } } });
    feed.onBlockWon({ winning: 1 });
    feed.onSubmission({ jobId: 1, entryHash: 'e', commitTxId: 'c', target: 1n, nonce: 'n', status: 'revealed', attempts: 1, submittedAt: 0 });
    feed.onSubmission({ jobId: 1, entryHash: 'e', commitTxId: 'c', target: 1n, nonce: 'n', status: 'acknowledged', attempts: 1, submittedAt: 0 });
    feed.onSubmission({ jobId: 1, entryHash: 'f', commitTxId: '', target: 1n, nonce: 'n', status: 'failed', attempts: 3, submittedAt: 0 });
    await feed.sample();
    const text = await metrics.render();
    assert.match(text, /prosper_shares_total\{result="accepted"\} 1\b/);
    assert.match(text, /prosper_shares_total\{result="duplicate"\} 1\b/);
    assert.match(text, /prosper_stratum_sessions 1\b/);
    assert.match(text, /prosper_validation_queue_depth 3\b/);
    assert.match(text, /prosper_worker_utilisation_ratio 0.25\b/);
    assert.match(text, /prosper_ec_balance 1234\b/);
    assert.match(text, /prosper_sync_height 10\b/);
    assert.match(text, /prosper_sync_lag_blocks 2\b/);
    assert.match(text, /prosper_blocks_won_total 1\b/);
    assert.match(text, /prosper_oprs_won_total 1\b/);
    assert.match(text, /prosper_submissions_total\{outcome="committed"\} 1\b/);
    assert.match(text, /prosper_submissions_total\{outcome="failed"\} 1\b/);
    c.close();
  });

  it('counts blocks won once each and the winning OPRs apart; exports the pool hashrate figure with its band', async () => {
    const metrics = createPoolMetrics();
    const feed = new MetricsFeed({ metrics, stratum: f.server, validator: { stats: () => ({ pending: 0 }) } });
    const block = (height: number, winning: number) => ({ top: true, headHeight: height, block: { height, nextPreviousWinners: [], graded: { height, version: 5 as const, accepted: 30, graded: [], winners: [], nextPreviousWinners: [], difficulty: { spot: 30, minimum: 1n, maximum: 1n }, poolReward: { graded: 25, winning, reward: 5n } } } });
    // 5 blocks: 4 won by pool OPRs (119 OPRs in all; the block handler publishes BlockWon for those), one not.
    for (const [h, w] of [[1, 25], [2, 25], [3, 0], [4, 25], [5, 44]] as const) {
      feed.onBlock(block(h, w));
      if (w > 0) feed.onBlockWon({ winning: w });
    }
    let text = await metrics.render();
    assert.match(text, /^prosper_blocks_won_total 4$/m);
    assert.match(text, /^prosper_oprs_won_total 119$/m);
    const rates = hashratesFromWork([{ userId: 1n, miner: 'a', credit: 3n * 65_536n, shares: 3n, lastShare: new Date(0) }], 60, 60_000);
    feed.onHashrates(rates);
    text = await metrics.render();
    assert.match(text, new RegExp(`^prosper_pool_hashrate_hps ${rates.pool.value}$`, 'm'));
    assert.match(text, new RegExp(`^prosper_pool_hashrate_low_hps ${rates.pool.low}$`, 'm'));
    assert.match(text, new RegExp(`^prosper_pool_hashrate_high_hps ${rates.pool.high}$`, 'm'));
    assert.match(text, /^prosper_pool_hashrate_window_shares 3$/m);
  });

  it('times every validation into the latency histogram, and passes the rest through', async () => {
    const metrics = createPoolMetrics();
    const inner = createInlineValidator(smallTable());
    const v = timedValidator(inner, metrics.validationLatency);
    const opr = oprHashFor(2);
    v.openJob(2, 0xffffffffffffffffn);
    assert.ok(inner.openJobs.has(2), 'openJob reaches the real validator');
    const nonce = Buffer.from('0000000001', 'hex');
    const target = targetOfHash(createHasher(smallTable()).hash(powInput(opr, nonce)));
    const verdict = await v.validate({ jobId: 2, oprHash: opr, nonce, claimedTarget: target, minTarget: 0n });
    assert.equal(verdict.valid, true);
    assert.match(await metrics.render(), /prosper_validation_latency_seconds_count 1\b/);
  });
});
