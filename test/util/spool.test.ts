import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { isProsperError } from '../../src/errors.js';
import { createFileSpool, type FileSpoolOptions } from '../../src/util/spool.js';

function spoolIn(dir: string, over: Partial<FileSpoolOptions> = {}) {
  let t = 1_000;
  return createFileSpool({ dir, maxBytes: 100, now: () => t++, ext: '.x', fullCode: 'PROSPER_E_CLUSTER_SPOOL_FULL', label: 'test spool', ...over });
}

test('entries are kept oldest first, counted and sized from an index that survives a restart', () => {
  const dir = mkdtempSync(join(tmpdir(), 'prosper-spool-'));
  try {
    const a = spoolIn(dir);
    const first = a.write('0123456789', '-b1');
    const second = a.write(Buffer.alloc(20, 1));
    assert.match(first, /-b1\.x$/);
    assert.deepEqual(a.entries(), [first, second]);
    assert.equal(a.bytes, 30);
    assert.throws(() => a.write(Buffer.alloc(71)), (e) => isProsperError(e, 'PROSPER_E_CLUSTER_SPOOL_FULL') && /test spool/.test(e.message));
    assert.equal(a.count, 2, 'a refused write leaves nothing behind');
    // A later run picks up what the first left, in the same order.
    const b = spoolIn(dir, { now: () => 5_000 });
    assert.deepEqual(b.entries(), [first, second]);
    assert.equal(b.bytes, 30);
    assert.equal(Buffer.from(b.read(first)).toString(), '0123456789');
    b.quarantine(second);
    b.remove(first);
    b.syncRemovals();
    assert.equal(b.count, 0);
    assert.equal(b.bytes, 0);
    assert.deepEqual(readdirSync(dir), [`${second}.bad`]);
    assert.ok(!existsSync(join(dir, first)));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
