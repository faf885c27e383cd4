// The payout simulator runs the pool's real settlement over simulated blocks: every scheme pays
// each miner its fair share in the long run, PPLNS smooths a small miner's daily pay against
// PROP, and PPS pays one rate per unit of credit whatever the pool won.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { payoutSettingsFromConfig, ppsRate, RATE_ONE, type Scheme } from '../../src/accounting/index.js';
import { parseMinerSpec, simulatePayouts } from '../../src/accounting/payout-sim.js';
import { defaultConfig } from '../../src/config/index.js';
import { runBin } from '../helpers/cli.js';

const defaults = defaultConfig();
const settings = (scheme: Scheme) => ({ ...payoutSettingsFromConfig(defaults.pool, defaults.accounting), scheme });

describe('sim payouts', () => {
  for (const scheme of ['prop', 'pplns', 'pps'] as const) {
    it(`${scheme}: the long-run mean paid to each miner is within 2 % of fair`, async () => {
      // The pool holds a quarter of the network: the rewards it wins over the run are close to
      // their expectation, which PPS pays by.
      const r = await simulatePayouts({ settings: settings(scheme), blocks: 3000, miners: parseMinerSpec('big:5e6,mid:1e6,small:2e4'), seed: 7, networkHashrate: 18e6 });
      assert.ok(r.rewards > 0n, 'the pool won rewards');
      assert.equal(r.fallbacks, 0, 'PPS never fell back with its reserve');
      for (const m of r.miners) {
        const ratio = Number(m.meanPaid) / Number(m.fair);
        assert.ok(Math.abs(ratio - 1) < 0.02, `${scheme} ${m.name}: paid/fair = ${ratio}`);
      }
    });
  }

  it('PPLNS lowers a small miner\'s daily variation against PROP (same blocks, same shares)', async () => {
    // A small pool (often no winner in a block) and a miner with about one share in two blocks.
    const run = (scheme: Scheme) => simulatePayouts({ settings: settings(scheme), blocks: 14_400, miners: parseMinerSpec('big:5e6,small:50'), seed: 11, networkHashrate: 5e8 });
    const [prop, pplns] = [await run('prop'), await run('pplns')];
    assert.equal(prop.rewards, pplns.rewards, 'both schemes saw the same blocks');
    const small = (r: typeof prop) => r.miners.find((m) => m.name === 'small')!.dailyRelStd!;
    assert.ok(small(pplns) < small(prop), `PPLNS ${small(pplns)} < PROP ${small(prop)}`);
  });

  it('PPS pays a constant rate per unit of credit: each block one rate for everyone, from earlier blocks only', async () => {
    const r = await simulatePayouts({ settings: settings('pps'), blocks: 400, miners: parseMinerSpec('a:3e6,b:1e6,c:1e5'), seed: 5, networkHashrate: 36e6, keepBlocks: true });
    let unlucky = 0;
    let previous: { emaReward: bigint; emaCredit: bigint } | undefined;
    for (const b of r.kept) {
      assert.equal(b.plan.scheme, 'pps');
      const rate = b.plan.ppsRateE18!;
      if (previous) assert.equal(rate, ppsRate(previous.emaReward, previous.emaCredit, settings('pps').ppsFeeE8), 'the rate comes from the blocks before');
      for (const p of b.plan.payouts) assert.equal(p.amount, (p.credit * rate) / RATE_ONE, 'amount = credit x rate');
      if (b.plan.reward === 0n && b.plan.payouts.some((p) => p.amount > 0n)) unlucky++;
      previous = b.plan;
    }
    assert.ok(unlucky > 0, 'blocks the pool won nothing in still paid');
    assert.ok(r.reserveMin !== null && r.reservePath!.length === 400);
  });

  it('refuses a bad miner spec with a coded error', () => {
    for (const bad of ['', 'a', 'a:0', 'a:-1', 'a:1,a:2', 'a:1;b:2', 'x\u0000:1', 'a:1e400']) {
      assert.throws(() => parseMinerSpec(bad), { code: 'PROSPER_E_ACCOUNTING_SIM' }, JSON.stringify(bad));
    }
  });

  it('the command prints the per-miner table and ends with the summary JSON', () => {
    const res = runBin('prosper-pool', ['sim', 'payouts', '--scheme', 'pps', '--blocks', '300', '--miners', 'big:5e6,small:2e4', '--seed', '3', '--json'], { HOME: '/nonexistent-home' });
    assert.equal(res.status, 0, res.stderr);
    const lines = res.stdout.trim().split('\n');
    assert.ok(lines.some((l) => l.startsWith('PPS reserve path')));
    const json = JSON.parse(lines[lines.length - 1]!);
    assert.deepEqual(Object.keys(json), ['scheme', 'blocks', 'seed', 'miners', 'reserveMin']);
    assert.equal(json.scheme, 'pps');
    assert.equal(json.blocks, 300);
    assert.equal(json.seed, 3);
    assert.deepEqual(json.miners.map((m: { name: string }) => m.name), ['big', 'small']);
    for (const m of json.miners) {
      assert.deepEqual(Object.keys(m), ['name', 'hashrateShare', 'fair', 'meanPaid', 'dailyRelStd']);
      assert.match(m.fair, /^\d+(\.\d{1,8})?$/);
      assert.match(m.meanPaid, /^\d+(\.\d{1,8})?$/);
    }
    assert.match(json.reserveMin, /^\d+(\.\d{1,8})?$/);
    const prop = runBin('prosper-pool', ['sim', 'payouts', '--scheme', 'prop', '--blocks', '10', '--miners', 'a:1e6', '--json'], { HOME: '/nonexistent-home' });
    assert.equal(JSON.parse(prop.stdout.trim().split('\n').pop()!).reserveMin, null);
    const bad = runBin('prosper-pool', ['sim', 'payouts', '--scheme', 'solo', '--blocks', '10', '--miners', 'a:1e6'], { HOME: '/nonexistent-home' });
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /PROSPER_E_ACCOUNTING_SCHEME/);
  });
});
