import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { applyDocument, defaultConfig } from '../../src/config/load.js';
import { MINING_PERIOD_SECONDS } from '../../src/lxr/index.js';
import { siteInfoFromConfig } from '../../src/web/site-info.js';
import { blockEffort, competitorWork, networkHashrate, poolShare, winnerSlots, WINNERS_PER_BLOCK } from '../../src/web/network-figures.js';
import { typicalInterval } from '../../src/web/site-sql.js';

const TWO64 = 2 ** 64;
/** A cutoff a hash reaches with chance `p`: 2^64 (1 - p). */
const cutoffAt = (p: number) => BigInt(Math.round(TWO64 * (1 - p)));

describe('network hashrate and the pool share', () => {
  test('no competitors: the network is the pool, its share 100 %', () => {
    const b = { spot: 30, poolGraded: 30, cutoff: cutoffAt(1e-6) };
    assert.equal(competitorWork(b), 0);
    assert.equal(networkHashrate(5000, b), 5000);
    assert.equal(poolShare(5000, networkHashrate(5000, b)), 1);
  });

  test('a weak graded set (the devnet) never makes the share exceed 100 %', () => {
    // 40 competitor OPRs at a cutoff every hash reaches: 40 hashes a block, a tiny network.
    const b = { spot: 50, poolGraded: 10, cutoff: 0n };
    assert.ok(Math.abs(competitorWork(b) - 40) < 1e-9);
    const net = networkHashrate(1e6, b);
    assert.ok(Math.abs(net - (1e6 + 40 / MINING_PERIOD_SECONDS)) < 1e-6);
    const share = poolShare(1e6, net);
    assert.ok(share > 0.9999 && share <= 1, String(share));
  });

  test('a tiny pool: the competitors make the network, the share is the pool over it', () => {
    // 45 competitor records at a cutoff of chance 1e-9 stand for 4.5e10 hashes a block.
    const b = { spot: 50, poolGraded: 5, cutoff: cutoffAt(1e-9) };
    const others = competitorWork(b);
    assert.ok(Math.abs(others / 4.5e10 - 1) < 1e-6, String(others));
    const net = networkHashrate(100, b);
    assert.ok(Math.abs(net - (100 + others / MINING_PERIOD_SECONDS)) < 1e-6);
    assert.ok(Math.abs(poolShare(100, net) - 100 / net) < 1e-15);
  });

  test('an idle or unknown pool has share 0; a negative rate is not counted', () => {
    assert.equal(poolShare(0, 10), 0);
    assert.equal(poolShare(5, 0), 0);
    assert.equal(networkHashrate(-1, { spot: 0, poolGraded: 0, cutoff: 0n }), 0);
  });
});

describe('block effort', () => {
  test('the pool alone taking every winner slot is at par', () => {
    const b = { spot: 50, poolGraded: 50, cutoff: cutoffAt(1e-3) };
    assert.equal(blockEffort(1e9, WINNERS_PER_BLOCK, b), 1);
    // Alone but only 5 slots won (the rest lost validation): five times the work per slot.
    assert.equal(blockEffort(1e9, 5, b), 5);
  });

  test('share of the work over share of the winners; nothing won or no work is null', () => {
    const b = { spot: 50, poolGraded: 10, cutoff: cutoffAt(1e-6) };
    // Competitors: 40 records at chance 1e-6 = 4e7 hashes; the pool did 1e7: a fifth of the work.
    const work = 1e7;
    const effort = blockEffort(work, 5, b)!;
    assert.ok(Math.abs(effort - (work / (work + 4e7)) / (5 / 25)) < 1e-9, String(effort));
    assert.ok(Math.abs(effort - 1) < 1e-6, 'a fifth of the work for a fifth of the slots is par');
    assert.equal(blockEffort(work, 0, b), null);
    assert.equal(blockEffort(0, 3, b), null);
    assert.equal(blockEffort(Number.NaN, 3, b), null);
  });

  test('a tiny pool that won one slot is lucky; a weak devnet set stays bounded by winners / won', () => {
    const tiny = blockEffort(1e3, 1, { spot: 50, poolGraded: 1, cutoff: cutoffAt(1e-9) })!;
    assert.ok(tiny > 0 && tiny < 0.001, String(tiny));
    const devnet = blockEffort(1e12, 3, { spot: 30, poolGraded: 5, cutoff: 0n })!;
    assert.ok(devnet <= WINNERS_PER_BLOCK / 3 && devnet > 8, String(devnet));
    // V1 paid 10 winners.
    assert.equal(blockEffort(1e9, 10, { spot: 20, poolGraded: 20, cutoff: 0n }, 10), 1);
  });

  test('a small graded set pays fewer slots: the pool alone taking all 4 of 4 is at par', () => {
    assert.equal(winnerSlots({ spot: 4, poolGraded: 4, cutoff: 0n }), 4);
    assert.equal(winnerSlots({ spot: 0, poolGraded: 0, cutoff: 0n }), WINNERS_PER_BLOCK);
    assert.equal(blockEffort(1e9, 4, { spot: 4, poolGraded: 4, cutoff: 0n }), 1);
    assert.equal(blockEffort(1e9, 2, { spot: 4, poolGraded: 4, cutoff: 0n }), 2);
  });
});

describe('payout cadence', () => {
  test('the median gap between paid batches, in any order', () => {
    assert.equal(typicalInterval([]), null);
    assert.equal(typicalInterval([5000]), null);
    assert.equal(typicalInterval([0, 3600_000]), 3600);
    assert.equal(typicalInterval([86400_000 * 2, 0, 86400_000, 86400_000 * 9]), 86400);
    assert.equal(typicalInterval([0, 1000, 3000, 6000, 10_000]), 2.5);
  });
});

describe('the start page terms', () => {
  test('the TLS port is offered only when a certificate and key are configured; PPS shows its own fee', () => {
    const c = defaultConfig();
    assert.equal(siteInfoFromConfig(c).tlsPort, 0);
    applyDocument(c, { stratum: { tlscert: 'cert.pem', tlskey: 'key.pem', tlsport: 4443 } }, 'test');
    const info = siteInfoFromConfig(c);
    assert.deepEqual([info.tlsPort, info.stratumPort], [4443, c.stratum.stratumport]);
    applyDocument(c, { accounting: { scheme: 'pps', ppsfee: '0.03' } }, 'test');
    assert.deepEqual([siteInfoFromConfig(c).scheme, siteInfoFromConfig(c).feeRate], ['pps', '0.03']);
  });
});
