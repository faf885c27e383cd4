import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { JobBuilder, type PriceSource } from '../../src/jobs/index.js';
import { silentLogger } from '../../src/log.js';
import { PriceOracle, embeddedOracleConfig } from '../../src/oracle/index.js';
import { MAINNET_ACTIVATIONS, assetsForVersion, decodeProtoContent, decodeV1Content, testingActivations } from '../../src/pegnet/index.js';

const COINBASE = 'FA2jK2HcLnRdS94dEcU27rF3meoJfpUcZPSinpb7AwQvPRY6RL1Q';
const winners25 = Array.from({ length: 25 }, (_, i) => (0x1000 + i).toString(16).padStart(16, '0'));
const oracle = () => new PriceOracle(embeddedOracleConfig(), { now: () => 1_700_000_000_000, versions: [1, 2, 3, 4, 5] });

describe('job builder', () => {
  it('builds the V5 OPR of the next height with the oracle prices, winners, identity and coinbase', async () => {
    const b = new JobBuilder({ prices: oracle(), identity: 'Prosper', coinbase: COINBASE, activations: testingActivations(0), logger: silentLogger(), now: () => 42 });
    const job = await b.build(100, winners25);
    assert.equal(job.jobId, 101);
    assert.equal(job.version, 5);
    assert.equal(job.createdAt, 42);
    assert.deepEqual(Buffer.from(job.oprHash), createHash('sha256').update(job.content).digest());
    const c = decodeProtoContent(job.content);
    assert.equal(c.address, COINBASE);
    assert.equal(c.id, 'Prosper');
    assert.equal(c.height, 101);
    assert.deepEqual(c.winners.map((w) => Buffer.from(w).toString('hex')), winners25);
    assert.equal(c.assets.length, assetsForVersion(5).length);
    assert.deepEqual(c.assets, assetsForVersion(5).map((a) => job.prices.get(a)));
    assert.ok(c.assets.every((p) => p > 0n));
  });
  it('forces PEG to 0 in V2 only, and accepts the 10 winners of a V1 block there', async () => {
    const acts = MAINNET_ACTIVATIONS;
    const b = new JobBuilder({ prices: oracle(), identity: 'Prosper', coinbase: COINBASE, activations: acts, logger: silentLogger() });
    const v2 = await b.build(acts.v2 - 1, winners25.slice(0, 10));
    assert.equal(v2.version, 2);
    assert.equal(decodeProtoContent(v2.content).assets[0], 0n);
    const v3 = await b.build(acts.v3 - 1, winners25);
    assert.equal(v3.version, 3);
    assert.ok(decodeProtoContent(v3.content).assets[0]! > 0n);
  });
  it('builds V1 JSON below the V2 height', async () => {
    const b = new JobBuilder({ prices: oracle(), identity: 'Prosper', coinbase: COINBASE, activations: MAINNET_ACTIVATIONS, logger: silentLogger() });
    const job = await b.build(MAINNET_ACTIVATIONS.pegnet + 5, winners25.slice(0, 10));
    assert.equal(job.version, 1);
    const c = decodeV1Content(job.content);
    assert.equal(c.dbht, job.jobId);
    assert.equal(c.minerid, 'Prosper');
    assert.deepEqual(c.winners, winners25.slice(0, 10));
  });
  it('refuses to build without the right previous winners or a price for every asset', async () => {
    const b = new JobBuilder({ prices: oracle(), identity: 'Prosper', coinbase: COINBASE, activations: testingActivations(0), logger: silentLogger() });
    await assert.rejects(b.build(5, winners25.slice(0, 24)), { code: 'PROSPER_E_JOB_WINNERS' });
    const partial: PriceSource = { getPrices: async () => new Map([['PEG', 5n], ['USD', 100_000_000n]]) };
    const b2 = new JobBuilder({ prices: partial, identity: 'Prosper', coinbase: COINBASE, activations: testingActivations(0), logger: silentLogger() });
    await assert.rejects(b2.build(5, winners25), { code: 'PROSPER_E_JOB_PRICE', message: /no price for EUR/ });
    const failing: PriceSource = { getPrices: async () => { throw new Error('every source is down'); } };
    const b3 = new JobBuilder({ prices: failing, identity: 'Prosper', coinbase: COINBASE, activations: testingActivations(0), logger: silentLogger() });
    await assert.rejects(b3.build(5, winners25), /every source is down/);
  });
});
