import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { MemoryWebData } from '../helpers/memory-web-data.js';
import { repoRoot } from '../helpers/paths.js';
import { startTestServer } from '../web/helpers.js';

/** Expands one documented path: `/a/{b,c}` is /a/b and /a/c; `/a[/b,/c]` is /a, /a/b and /a/c; queries dropped. */
function expand(doc: string): string[] {
  const path = doc.replace(/\?.*$/, '').replace(/\[\?.*\]$/, '');
  const brace = /^(.*)\{([^}]+)\}(.*)$/.exec(path);
  if (brace) return brace[2]!.split(',').flatMap((alt) => expand(`${brace[1]}${alt}${brace[3]}`));
  const opt = /^(.*)\[([^\]]+)\]$/.exec(path);
  if (opt) return [opt[1]!, ...opt[2]!.split(',').map((s) => opt[1] + s)];
  return [path];
}

/** The paths the route table of docs/web.md names (its first column). */
function documentedPaths(): Set<string> {
  const doc = readFileSync(join(repoRoot(), 'docs', 'web.md'), 'utf8');
  const table = doc.slice(doc.indexOf('| path | who | what |'), doc.indexOf('\n\n', doc.indexOf('| path | who | what |')));
  const paths = new Set<string>();
  for (const line of table.split('\n').slice(2)) {
    const first = line.split(/(?<!\\)\|/)[1] ?? '';
    for (const m of first.matchAll(/`([^`]+)`/g)) for (const p of expand(m[1]!)) paths.add(p);
  }
  return paths;
}

test('docs/web.md lists every route the web server registers', async () => {
  const srv = await startTestServer(new MemoryWebData({ now: Date.now }), Date.now);
  try {
    const documented = documentedPaths();
    const missing = srv.server.routes.map((r) => r.slice(r.indexOf(' ') + 1)).filter((p) => !documented.has(p));
    assert.deepEqual([...new Set(missing)], [], 'routes missing from the docs/web.md table');
    assert.ok(srv.server.routes.length > 40, 'the route table is the real one');
  } finally {
    srv.close();
  }
});
