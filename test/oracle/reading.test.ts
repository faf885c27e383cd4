import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { OracleErrorCode } from '../../src/oracle/errors.js';
import { weekendCloseStart } from '../../src/oracle/market-hours.js';
import { ReadingBuilder } from '../../src/oracle/sources/reading.js';

const STALE = 30 * 60_000;
const FRI_2000 = Date.UTC(2026, 10, 27, 20, 0, 0);
const FRI_2050 = Date.UTC(2026, 10, 27, 20, 50, 0);
const SAT_NOON = Date.UTC(2026, 10, 28, 12, 0, 0);
const MON_NOON = Date.UTC(2026, 10, 30, 12, 0, 0);

describe('market hours', () => {
  it('knows the weekend close from Friday 21:00 to Sunday 22:00 UTC', () => {
    const close = Date.UTC(2026, 10, 27, 21, 0, 0);
    assert.equal(weekendCloseStart(FRI_2000), undefined);
    assert.equal(weekendCloseStart(close), close);
    assert.equal(weekendCloseStart(SAT_NOON), close);
    assert.equal(weekendCloseStart(Date.UTC(2026, 10, 29, 21, 59, 0)), close);
    assert.equal(weekendCloseStart(Date.UTC(2026, 10, 29, 22, 0, 0)), undefined);
    assert.equal(weekendCloseStart(MON_NOON), undefined);
  });
});

describe('reading checks', () => {
  it('keeps Friday\'s forex and metal quotes over the weekend, but not crypto\'s', () => {
    const b = new ReadingBuilder('T', SAT_NOON, STALE);
    b.price('EUR', 1.08, FRI_2050);
    b.price('XAU', 2400, FRI_2050);
    b.price('XBT', 60000, FRI_2050);
    b.price('GBP', 1.27, FRI_2000); // already stale when the market closed
    const r = b.finish(['EUR', 'XAU', 'XBT', 'GBP']);
    assert.equal(r.errors.get('GBP')?.code, OracleErrorCode.Stale);
    assert.equal(r.prices.get('EUR'), 1.08);
    assert.equal(r.prices.get('XAU'), 2400);
    assert.equal(r.errors.get('XBT')?.code, OracleErrorCode.Stale);
  });

  it('rejects Friday\'s forex quote once markets reopen', () => {
    const b = new ReadingBuilder('T', MON_NOON, STALE);
    b.price('EUR', 1.08, FRI_2050);
    assert.equal(b.finish(['EUR']).errors.get('EUR')?.code, OracleErrorCode.Stale);
  });

  it('rejects future, missing and non-numeric timestamps and bad prices', () => {
    const now = MON_NOON;
    const b = new ReadingBuilder('T', now, STALE);
    b.price('A1', 1, now + 3_600_000);
    b.price('A2', 1, undefined);
    b.price('A3', 'abc', now);
    b.price('A4', -5, now);
    b.price('A5', Number.POSITIVE_INFINITY, now);
    b.price('A6', '12.5', now);
    b.inverse('A7', 0, now);
    b.inverse('A8', '4', now);
    b.price('A9', 1e12, now);
    const r = b.finish(['A1', 'A2', 'A3', 'A4', 'A5', 'A6', 'A7', 'A8', 'A9', 'A10']);
    for (const a of ['A1', 'A2', 'A3', 'A4', 'A5', 'A9']) assert.equal(r.errors.get(a)?.code, OracleErrorCode.Malformed, a);
    assert.equal(r.prices.get('A6'), 12.5);
    assert.equal(r.errors.get('A7')?.code, OracleErrorCode.ZeroPrice);
    assert.equal(r.prices.get('A8'), 0.25);
    assert.equal(r.errors.get('A10')?.code, OracleErrorCode.MissingAsset);
  });
});

describe('asset groups', () => {
  it('compose exactly the OPR asset lists pegnet defines, in order', async () => {
    const { AssetGroups, ASSETS_V1, ASSETS_V2, ASSETS_V4, ASSETS_V5 } = await import('../../src/oracle/assets.js');
    const g = AssetGroups;
    assert.deepEqual(ASSETS_V1, ['PNT', ...g.currencies, ...g.metals, ...g.crypto]);
    assert.deepEqual(ASSETS_V2, ['PEG', ...g.currencies, 'XAU', 'XAG', ...g.crypto]);
    assert.deepEqual(ASSETS_V4, [...ASSETS_V2, ...g.v4Currencies, ...g.v4Crypto]);
    assert.deepEqual(ASSETS_V5, [...ASSETS_V4, ...g.v5Crypto, ...g.v5Currencies]);
  });
});
