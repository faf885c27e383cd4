import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, statSync, truncateSync, writeFileSync, openSync, writeSync, closeSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { after, describe, it } from 'node:test';
import { createLogger, type Logger } from '../../src/log.js';
import { KNOWN_TABLE_SHA256, allocSharedTable, loadOrCreateTable, mapBitsFromEnv, sha256Hex, tableFileName } from '../../src/lxr/index.js';
import { generateTableJs } from '../../src/lxr/generate-js.js';

const dirs: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'prosper-lxr-'));
  dirs.push(d);
  return d;
}
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function capturingLogger(): { logger: Logger; messages: () => string[] } {
  const lines: string[] = [];
  const stream = new Writable({ write(chunk, _enc, cb) { lines.push(String(chunk)); cb(); } });
  return { logger: createLogger({ level: 'info', destination: stream }), messages: () => lines.map((l) => JSON.parse(l).msg as string) };
}

describe('LXRBITSIZE', () => {
  it('uses a value in [8, 30] and falls back to 30 as the reference does', () => {
    assert.equal(mapBitsFromEnv({ LXRBITSIZE: '20' }), 20);
    assert.equal(mapBitsFromEnv({ LXRBITSIZE: '8' }), 8);
    assert.equal(mapBitsFromEnv({ LXRBITSIZE: '+10' }), 10);
    assert.equal(mapBitsFromEnv({ LXRBITSIZE: '7' }), 30);
    assert.equal(mapBitsFromEnv({ LXRBITSIZE: '31' }), 30);
    assert.equal(mapBitsFromEnv({ LXRBITSIZE: 'abc' }), 30);
    assert.equal(mapBitsFromEnv({ LXRBITSIZE: ' 12' }), 30);
    assert.equal(mapBitsFromEnv({ LXRBITSIZE: '12.5' }), 30);
    assert.equal(mapBitsFromEnv({}), 30);
  });
});

describe('pure TypeScript table generator', () => {
  for (const bits of [10, 16, 20]) {
    it(`reproduces the reference ${bits}-bit table`, () => {
      const T = new Uint8Array(2 ** bits);
      let calls = 0;
      generateTableJs(T, bits, undefined, undefined, () => calls++);
      assert.equal(sha256Hex(T), KNOWN_TABLE_SHA256[bits]);
      assert.ok(calls >= 5, 'progress is reported at least once per pass');
    });
  }
  it('rejects a buffer of the wrong size', () => {
    assert.throws(() => generateTableJs(new Uint8Array(100), 10), RangeError);
  });
});

describe('table cache', () => {
  it('generates off-thread into the reference file name, then loads it untouched', async () => {
    const dir = tempDir();
    const log = capturingLogger();
    const first = await loadOrCreateTable({ bits: 16, dir, logger: log.logger, progress: 'log' });
    assert.equal(first.sha256, KNOWN_TABLE_SHA256[16]);
    assert.ok(first.bytes.buffer instanceof SharedArrayBuffer);
    const path = join(dir, tableFileName(16));
    assert.equal(first.path, path);
    assert.equal(statSync(path).size, 2 ** 16);
    assert.equal(readFileSync(`${path}.sha256`, 'utf8').trim(), KNOWN_TABLE_SHA256[16]);
    assert.ok(log.messages().some((m) => m.includes('generating')));
    assert.ok(log.messages().some((m) => /LXRHash table 16 bits: \d+%/.test(m)), 'progress logged');
    const mtime = statSync(path).mtimeMs;
    const log2 = capturingLogger();
    const second = await loadOrCreateTable({ bits: 16, dir, logger: log2.logger });
    assert.equal(second.sha256, KNOWN_TABLE_SHA256[16]);
    assert.deepEqual(Buffer.from(second.bytes), Buffer.from(first.bytes));
    assert.equal(statSync(path).mtimeMs, mtime, 'a good cache file is not rewritten');
    assert.deepEqual(log2.messages(), ['LXRHash table loaded']);
  });

  it('regenerates a truncated file', async () => {
    const dir = tempDir();
    await loadOrCreateTable({ bits: 12, dir });
    const path = join(dir, tableFileName(12));
    truncateSync(path, 1000);
    const log = capturingLogger();
    const t = await loadOrCreateTable({ bits: 12, dir, logger: log.logger });
    assert.equal(statSync(path).size, 4096);
    assert.equal(t.sha256, readFileSync(`${path}.sha256`, 'utf8').trim());
    assert.ok(log.messages().some((m) => m.includes('wrong size')));
  });

  it('regenerates a file of the right size whose bytes were corrupted', async () => {
    const dir = tempDir();
    const good = await loadOrCreateTable({ bits: 10, dir });
    const path = join(dir, tableFileName(10));
    const fd = openSync(path, 'r+');
    writeSync(fd, Buffer.from([good.bytes[500]! ^ 0xff]), 0, 1, 500);
    closeSync(fd);
    const log = capturingLogger();
    const t = await loadOrCreateTable({ bits: 10, dir, logger: log.logger });
    assert.equal(t.sha256, KNOWN_TABLE_SHA256[10]);
    assert.equal(sha256Hex(readFileSync(path)), KNOWN_TABLE_SHA256[10], 'the file on disk is repaired');
    assert.ok(log.messages().some((m) => m.includes('corrupt')));
  });

  it('does not trust a file of an unknown size that has no checksum beside it', async () => {
    const dir = tempDir();
    const path = join(dir, tableFileName(13));
    writeFileSync(path, Buffer.alloc(2 ** 13, 7));
    const log = capturingLogger();
    const t = await loadOrCreateTable({ bits: 13, dir, logger: log.logger });
    assert.notEqual(t.bytes[0], 7);
    assert.ok(log.messages().some((m) => m.includes('no checksum')));
    assert.equal(readFileSync(`${path}.sha256`, 'utf8').trim(), t.sha256);
  });

  it('reuses a table the reference wrote (right name, no sidecar) and verifies it by its known sha256', async () => {
    const dir = tempDir();
    const path = join(dir, tableFileName(20));
    const T = new Uint8Array(2 ** 20);
    generateTableJs(T, 20);
    writeFileSync(path, T);
    const mtime = statSync(path).mtimeMs;
    const t = await loadOrCreateTable({ bits: 20, dir });
    assert.equal(t.sha256, KNOWN_TABLE_SHA256[20]);
    assert.equal(statSync(path).mtimeMs, mtime);
    assert.ok(existsSync(`${path}.sha256`));
  });

  it('rejects table sizes outside [8, 30] with a coded error', async () => {
    await assert.rejects(loadOrCreateTable({ bits: 7, dir: tempDir() }), { code: 'PROSPER_E_LXR_BITS' });
    await assert.rejects(loadOrCreateTable({ bits: 31, dir: tempDir() }), { code: 'PROSPER_E_LXR_BITS' });
    assert.throws(() => allocSharedTable(2.5), { code: 'PROSPER_E_LXR_BITS' });
  });
});
