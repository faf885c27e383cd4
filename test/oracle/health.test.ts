import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ProsperError } from '../../src/errors.js';
import { DatasourceHealth } from '../../src/oracle/index.js';

test('a source\'s health: failures in a row until a success resets them, the last error kept with its code and time', () => {
  let now = 1000;
  const h = new DatasourceHealth(() => now);
  assert.deepEqual(h.snapshot(), []);
  h.failed('B', new ProsperError('PROSPER_E_ORACLE_NETWORK', 'down'));
  now = 2000;
  h.failed('B', new TypeError('fetch failed'));
  h.succeeded('A');
  assert.deepEqual(h.snapshot(), [
    { source: 'A', lastSuccessAt: 2000, lastError: null, consecutiveFailures: 0 },
    { source: 'B', lastSuccessAt: null, lastError: { code: 'TypeError', at: 2000 }, consecutiveFailures: 2 },
  ]);
  now = 3000;
  h.succeeded('B');
  h.failed('A', 'not an error');
  const [a, b] = h.snapshot();
  assert.deepEqual(b, { source: 'B', lastSuccessAt: 3000, lastError: { code: 'TypeError', at: 2000 }, consecutiveFailures: 0 });
  assert.deepEqual(a, { source: 'A', lastSuccessAt: 2000, lastError: { code: 'UNKNOWN', at: 3000 }, consecutiveFailures: 1 });
  // A snapshot is a copy: changing it changes nothing.
  a!.lastError!.code = 'x';
  assert.equal(h.snapshot()[0]!.lastError!.code, 'UNKNOWN');
});
