import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ERROR_CODES, httpStatusFor, isRegisteredCode, logFields, prosperError, ProsperError, stratumReplyFor } from '../../src/errors.js';
import { RpcErrors } from '../../src/stratum/protocol.js';
import { failureOf } from '../../src/web/http.js';
import { repoRoot } from '../helpers/paths.js';

const root = repoRoot();
const registered = Object.keys(ERROR_CODES).sort();

/** The rows of docs/errors.md's tables: code, HTTP status, Stratum reply. */
function documented(): Map<string, { status: number; reply: string }> {
  const rows = new Map<string, { status: number; reply: string }>();
  for (const line of readFileSync(join(root, 'docs', 'errors.md'), 'utf8').split('\n')) {
    const m = /^\| `(PROSPER_E_[A-Z0-9_]+)` \| (\d{3}) \| `(\w+)` \|/.exec(line);
    if (!m) continue;
    assert.ok(!rows.has(m[1]!), `${m[1]} documented twice`);
    rows.set(m[1]!, { status: Number(m[2]), reply: m[3]! });
  }
  return rows;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    return e.isDirectory() ? sourceFiles(path) : e.name.endsWith('.ts') ? [path] : [];
  });
}

test('every registered code is documented in docs/errors.md with its status and Stratum reply, and nothing else is', () => {
  const docs = documented();
  assert.deepEqual([...docs.keys()].sort(), registered);
  for (const [code, spec] of Object.entries(ERROR_CODES)) {
    const row = docs.get(code)!;
    assert.equal(row.status, spec.status, `${code}: HTTP status`);
    assert.equal(row.reply, RpcErrors[spec.stratum].message, `${code}: Stratum reply`);
  }
});

test('every PROSPER_E_ literal in src/ is a registered code', () => {
  const files = sourceFiles(join(root, 'src'));
  assert.ok(files.length > 100, 'the sources were found');
  const unregistered: string[] = [];
  let seen = 0;
  for (const file of files) {
    for (const [literal] of readFileSync(file, 'utf8').matchAll(/PROSPER_E_[A-Z0-9_]+/g)) {
      if (literal.endsWith('_')) continue; // a prefix (startsWith checks, the registry's key type)
      seen += 1;
      if (!isRegisteredCode(literal)) unregistered.push(`${literal} in ${file.slice(root.length + 1)}`);
    }
  }
  assert.ok(seen > registered.length, 'codes were found in the sources');
  assert.deepEqual(unregistered, []);
});

test('the registry gives the web status, the Stratum reply, the default message and the log fields', () => {
  assert.equal(httpStatusFor('PROSPER_E_AUTH_RATE_LIMIT'), 429);
  assert.equal(httpStatusFor('PROSPER_E_NOT_A_CODE'), 500, 'unregistered is internal');
  assert.equal(stratumReplyFor('PROSPER_E_AUTH_BUSY'), 'Busy');
  assert.equal(stratumReplyFor('PROSPER_E_AUTH_PASSWORD'), 'Unauthorized');
  assert.equal(stratumReplyFor('PROSPER_E_NOT_A_CODE'), 'InternalError');
  for (const spec of Object.values(ERROR_CODES)) assert.ok(spec.stratum in RpcErrors);
  const plain = new ProsperError('PROSPER_E_WEB_NOT_FOUND');
  assert.equal(plain.message, ERROR_CODES.PROSPER_E_WEB_NOT_FOUND.message);
  const cause = new Error('socket hang up');
  const detailed = prosperError('PROSPER_E_FACTOM_UNREACHABLE', 'factomd at 127.0.0.1:1 refused', cause);
  assert.equal(detailed.cause, cause);
  assert.deepEqual(failureOf(detailed), { status: 503, code: 'PROSPER_E_FACTOM_UNREACHABLE', message: 'factomd at 127.0.0.1:1 refused' });
  assert.deepEqual(failureOf(new ProsperError('PROSPER_E_WEB_METHOD', 'POST is not allowed')).status, 405);
  assert.deepEqual(failureOf(new TypeError('secret detail')), { status: 500, code: 'PROSPER_E_WEB_INTERNAL', message: 'internal error' });
  assert.deepEqual(logFields(detailed), { err: 'factomd at 127.0.0.1:1 refused', code: 'PROSPER_E_FACTOM_UNREACHABLE' });
  assert.deepEqual(logFields(cause), { err: 'socket hang up' });
});
