import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { createPoolMetrics, METRIC_NAMES } from '../../src/metrics/index.js';
import { repoRoot } from '../helpers/paths.js';

/** The Prometheus table of docs/web.md: series name (labels stripped), type, unit. */
function documentedSeries(): Map<string, { type: string; unit: string }> {
  const doc = readFileSync(join(repoRoot(), 'docs', 'web.md'), 'utf8');
  const section = doc.slice(doc.indexOf('## Prometheus'));
  const rows = new Map<string, { type: string; unit: string }>();
  for (const line of section.split('\n')) {
    const m = /^\| `(prosper_[a-z_]+)(\{[a-z_,]+\})?` \| (\w+) \| ([^|]+?) \| [^|]+ \|$/.exec(line);
    if (m) rows.set(m[1], { type: m[3], unit: m[4].trim() });
  }
  return rows;
}

test('docs/web.md documents every metric of the registry, with its type and unit, and no other', async () => {
  const docs = documentedSeries();
  const metrics = createPoolMetrics();
  const registered = (await metrics.registry.getMetricsAsJSON()).map((m) => ({ name: m.name, type: String(m.type) }));
  assert.deepEqual([...docs.keys()].sort(), registered.map((m) => m.name).sort(), 'the table and the registry list the same series');
  assert.deepEqual(registered.map((m) => m.name).sort(), Object.values(METRIC_NAMES).sort());
  for (const m of registered) {
    const d = docs.get(m.name)!;
    assert.equal(d.type, m.type, `${m.name} is documented as a ${d.type}`);
    assert.ok(d.unit.length > 0, `${m.name} has a unit`);
  }
});
