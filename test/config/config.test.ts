import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { exampleConfig, expandPath, loadConfig, parseDuration } from '../../src/config/index.js';

const dir = mkdtempSync(join(tmpdir(), 'prosper-config-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
function file(text: string): string {
  const p = join(dir, `c${n++}.toml`);
  writeFileSync(p, text);
  return p;
}
const env = { HOME: dir };

describe('config', () => {
  it('runs on defaults when the default file is absent', () => {
    const c = loadConfig({ env });
    assert.equal(c.source, undefined);
    assert.equal(c.stratum.stratumport, 1234);
    assert.equal(c.submit.softmax, 25);
    assert.equal(c.submit['ema-n'], 36);
    assert.equal(c.submit.submissioncutoff, 200);
    assert.equal(c.pool.poolfeerate, '0.05');
    assert.equal(c.pegnet.pollingperiod, 2);
    assert.equal(c.factom.factomdlocation, '');
    assert.equal(c.database.datadir, join(dir, '.prosper/pglite'));
  });
  it('refuses a --config path that does not exist', () => {
    assert.throws(() => loadConfig({ path: join(dir, 'nope.toml'), env }), { code: 'PROSPER_E_CONFIG', message: /config does not exist at/ });
  });
  it('reads keys case-insensitively and types them', () => {
    const c = loadConfig({ env, path: file('[Stratum]\nStratumPort = 4000\n[submit]\nsoftmax = 0\n"ema-n" = 12\n[pegnet]\npollingperiod = "1m30s"\n[pool]\npoolfeerate = "0.025"\n[oracledatasources]\nCoinGecko = 1\nkitco = -1\n[oracle]\napilayerkey = "k"\n') });
    assert.equal(c.stratum.stratumport, 4000);
    assert.equal(c.submit.softmax, 0);
    assert.equal(c.submit['ema-n'], 12);
    assert.equal(c.pegnet.pollingperiod, 90);
    assert.equal(c.pool.poolfeerate, '0.025');
    assert.deepEqual(c.oracledatasources, { coingecko: 1, kitco: -1 });
    assert.deepEqual(c.oracle, { apilayerkey: 'k' });
  });
  it('names the key in every error', () => {
    const cases: [string, RegExp][] = [
      ['[pool]\nopridentiy = "x"\n', /unknown key 'opridentiy' in \[pool\]/],
      ['[poool]\na = 1\n', /unknown section \[poool\]/],
      ['[stratum]\nstratumport = "x"\n', /\[stratum\] stratumport: must be a number/],
      ['[stratum]\nstratumport = 70000\n', /\[stratum\] stratumport: must be at most 65535/],
      ['[submit]\nsoftmax = 2.5\n', /\[submit\] softmax: must be an integer/],
      ['[pool]\nopridentity = "bad id!"\n', /\[pool\] opridentity: must match/],
      ['[pool]\npoolfeerate = "1.5"\n', /\[pool\] poolfeerate: must be at most 1/],
      ['[pool]\npoolfeerate = "-0.1"\n', /\[pool\] poolfeerate: must be a decimal/],
      ['[pegnet]\npollingperiod = "soon"\n', /\[pegnet\] pollingperiod: must be a duration/],
      ['[stratum]\nrequireauth = "yes"\n', /\[stratum\] requireauth: must be true or false/],
      ['[oracledatasources]\nkitco = "high"\n', /\[oracledatasources\] kitco: must be an integer priority/],
      ['[pool\n', /is not valid TOML: line 1/],
      ['pool = 3\n', /'pool' must be a \[section\] table/],
    ];
    for (const [text, re] of cases) assert.throws(() => loadConfig({ env, path: file(text) }), { code: 'PROSPER_E_CONFIG', message: re }, text);
  });
  it('lets explicit flags win over the file', () => {
    const path = file('[stratum]\nstratumport = 4000\ntlsport = 4001\nrequireauth = true\n[factom]\nfactomdlocation = "http://a:8088/v2"\n');
    const c = loadConfig({ env, path, flags: { sport: 5000, tlsport: 5001, rauth: false, fhost: 'http://b:8088/v2', phost: 'db', pport: 6543, testing: true, act: 7, log: 'debug' } });
    assert.equal(c.stratum.stratumport, 5000);
    assert.equal(c.stratum.tlsport, 5001);
    assert.equal(c.stratum.requireauth, false);
    assert.equal(c.factom.factomdlocation, 'http://b:8088/v2');
    assert.equal(c.database.host, 'db');
    assert.equal(c.database.port, 6543);
    assert.equal(c.pegnet.testing, true);
    assert.equal(c.pegnet.act, 7);
    assert.equal(c.app.loglevel, 'debug');
    assert.throws(() => loadConfig({ env, flags: { sport: -1 } }), { message: /--sport: must be at least 0/ });
    assert.throws(() => loadConfig({ env, flags: { tlsport: 70000 } }), { message: /--tlsport: must be at most 65535/ });
  });
  it('writes an example that loads back to the defaults', () => {
    const path = file(exampleConfig());
    const fromExample = loadConfig({ env, path });
    const defaults = loadConfig({ env });
    delete fromExample.source;
    assert.deepEqual(fromExample, defaults);
  });
  it('parses durations and paths as the original did', () => {
    assert.equal(parseDuration('500ms'), 0.5);
    assert.equal(parseDuration('1h2m3s'), 3723);
    assert.equal(parseDuration(3), 3);
    assert.equal(parseDuration('3'), undefined);
    assert.equal(parseDuration('-1s'), undefined);
    assert.equal(expandPath('$HOME/x', { HOME: '/h' }), '/h/x');
    assert.equal(expandPath('~/x', { HOME: '/h' }), '/h/x');
    assert.equal(expandPath('${HOME}/y/$NOPE', { HOME: '/h' }), '/h/y/');
  });
});

describe('[accounting] payout keys', () => {
  it('read into the payout settings; bad values are refused with coded errors', async () => {
    const { payoutSettingsFromConfig } = await import('../../src/accounting/index.js');
    const c = loadConfig({ env, path: file('[accounting]\nscheme = "pplns"\npplnswindow = "2.5"\nppsfee = "0.02"\nppswindow = 36\nppsfloor = "150.5"\nminpayout = "0.5"\n') });
    const s = payoutSettingsFromConfig(c.pool, c.accounting);
    assert.deepEqual(
      [s.scheme, s.pplnsFactorE4, s.ppsFeeE8, s.ppsWindow, s.ppsFloor, s.minPayout, s.feeRateE8],
      ['pplns', 25_000n, 2_000_000n, 36, 15_050_000_000n, 50_000_000n, 5_000_000n],
    );
    assert.throws(() => loadConfig({ env, path: file('[accounting]\nscheme = "solo"\n') }), { code: 'PROSPER_E_CONFIG', message: /\[accounting\] scheme: must be one of prop, pplns, pps/ });
    assert.throws(() => loadConfig({ env, path: file('[accounting]\nppsfee = "1.5"\n') }), { code: 'PROSPER_E_CONFIG', message: /ppsfee/ });
    assert.throws(() => loadConfig({ env, path: file('[accounting]\nppswindow = 0\n') }), { code: 'PROSPER_E_CONFIG', message: /ppswindow/ });
    const fine = loadConfig({ env, path: file('[accounting]\npplnswindow = "2.00001"\nminpayout = "1.123456789"\n') });
    assert.throws(() => payoutSettingsFromConfig(fine.pool, { ...fine.accounting, minpayout: '1' }), { code: 'PROSPER_E_ACCOUNTING_PPLNS' });
    assert.throws(() => payoutSettingsFromConfig(fine.pool, { ...fine.accounting, pplnswindow: '2' }), { code: 'PROSPER_E_ACCOUNTING_AMOUNT' });
    assert.throws(() => payoutSettingsFromConfig(fine.pool, { ...fine.accounting, pplnswindow: '0', minpayout: '1' }), { code: 'PROSPER_E_ACCOUNTING_PPLNS' });
  });
});
