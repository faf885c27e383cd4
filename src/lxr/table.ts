import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { open, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Logger } from '../log.js';
import { ProsperError } from '../errors.js';
import { startWorker, workerUrl } from '../util/worker-url.js';
import { generateTableJs } from './generate-js.js';
import { loadNativeAddon } from './native-addon.js';
import { LXR_PASSES, LXR_SEED, MAX_MAP_BITS, MIN_MAP_BITS, tableFileName } from './params.js';
import { createProgressReporter, type ProgressMode } from './progress.js';

/** One LXRHash lookup table, held in a SharedArrayBuffer so every worker maps the same bytes. */
export interface LxrTable {
  readonly bits: number;
  readonly bytes: Uint8Array;
  readonly sha256: string;
  /** The cache file it came from or went to; undefined for in-memory tables. */
  readonly path?: string;
}

/** SHA-256 of the reference's table files with PegNet's seed and passes (docs/lxrhash.md section 2.1). */
export const KNOWN_TABLE_SHA256: Readonly<Record<number, string>> = {
  10: 'c1e50b47f68732bce96e3a01bf53d889071ef31b5732c3f07f460c6aa4adf204',
  16: '7f5df9e4cd8216cabbbd73ce203a0073357a3e8941d32e0adbb65bd32b214461',
  20: 'e1369a997f98c3d4dbcf85e0c52b759f7daa57654190665ca62baf05037ea957',
  24: '7d3c0fcbd14067ef7540bef9d46dd676ee216243f1d5daf2607d855d88f3c968',
  30: '55a02ed711747012e92fe70424ed1904de6af0b8def259cc068616b86684e93f',
};

const READ_CHUNK = 64 << 20;
/** Cache loads read 32 MiB chunks, four at a time (libuv's default pool size). */
const LOAD_CHUNK = 32 << 20;
const READS_IN_FLIGHT = 4;

export function defaultTableDir(): string {
  return join(homedir(), '.lxrhash');
}

function checkBits(bits: number): void {
  if (!Number.isInteger(bits) || bits < MIN_MAP_BITS || bits > MAX_MAP_BITS) {
    throw new ProsperError('PROSPER_E_LXR_BITS', `table size must be an integer number of bits in [${MIN_MAP_BITS}, ${MAX_MAP_BITS}], got ${bits}`);
  }
}

/**
 * A zeroed shared table. The memory is advised to transparent huge pages before it is first
 * touched (the kernel only backs untouched ranges with huge pages), when the addon is built.
 */
export function allocSharedTable(bits: number): Uint8Array {
  checkBits(bits);
  const bytes = new Uint8Array(new SharedArrayBuffer(2 ** bits));
  loadNativeAddon()?.adviseHugePages(bytes);
  return bytes;
}

/** Generates into `bytes` on the calling thread: native when built, else pure TypeScript. */
export function generateTableInto(bytes: Uint8Array, bits: number, progress?: Int32Array, seed = LXR_SEED, passes = LXR_PASSES): void {
  const addon = loadNativeAddon();
  if (addon) {
    addon.generate(bytes, bits, seed, passes, progress);
  } else {
    generateTableJs(bytes, bits, seed, passes, progress ? (done) => Atomics.store(progress, 0, Math.floor(done / 2 ** 20)) : undefined);
  }
}

export function sha256Hex(bytes: Uint8Array): string {
  // Hash in slices: createHash copies nothing, but one 1 GiB update is no faster.
  const h = createHash('sha256');
  for (let off = 0; off < bytes.length; off += READ_CHUNK) h.update(bytes.subarray(off, off + READ_CHUNK));
  return h.digest('hex');
}

/** A table generated on this thread and kept in memory only: for tests and small sizes. */
export function createTableInMemory(bits: number): LxrTable {
  const bytes = allocSharedTable(bits);
  generateTableInto(bytes, bits);
  return { bits, bytes, sha256: sha256Hex(bytes) };
}

/** Generates a table on a worker thread, reporting progress, and returns the shared bytes. */
export async function generateTableOffThread(bits: number, opts: { logger?: Logger; progress?: ProgressMode } = {}): Promise<Uint8Array> {
  const bytes = allocSharedTable(bits);
  const progress = new Int32Array(new SharedArrayBuffer(4));
  const totalUnits = Math.max(1, Math.floor((2 ** bits * LXR_PASSES) / 2 ** 20));
  const reporter = createProgressReporter(opts.progress ?? 'auto', `LXRHash table ${bits} bits`, totalUnits, opts.logger);
  const timer = setInterval(() => reporter.update(Atomics.load(progress, 0)), 250);
  try {
    await new Promise<void>((resolve, reject) => {
      const worker = startWorker(workerUrl(import.meta.url, 2, 'lxr-generate'), { workerData: { bytes, bits, progress } });
      worker.once('message', () => resolve());
      worker.once('error', reject);
      worker.once('exit', (code) => (code === 0 ? resolve() : reject(new ProsperError('PROSPER_E_LXR_TABLE_GENERATE', `table generator exited with ${code}`))));
    });
    reporter.update(totalUnits);
  } finally {
    clearInterval(timer);
    reporter.done();
  }
  return bytes;
}

async function readSidecar(path: string): Promise<string | undefined> {
  try {
    const text = (await readFile(path, 'utf8')).trim();
    return /^[0-9a-f]{64}$/.test(text) ? text : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Reads the cache file straight into a shared table. Several chunk reads run at once on
 * libuv's pool (most of a cold load is faulting in fresh huge pages, which parallelises)
 * while this thread hashes the chunks in order as they arrive, so the checksum costs little
 * beyond the read itself.
 */
async function readTableFile(path: string, bits: number): Promise<{ bytes: Uint8Array; sha256: string }> {
  const fh = await open(path, 'r');
  try {
    const bytes = allocSharedTable(bits);
    const hash = createHash('sha256');
    const readChunk = async (off: number): Promise<void> => {
      const want = Math.min(LOAD_CHUNK, bytes.length - off);
      let got = 0;
      while (got < want) {
        const { bytesRead } = await fh.read(bytes, off + got, want - got, off + got);
        if (bytesRead === 0) throw new ProsperError('PROSPER_E_LXR_TABLE_SHORT', `${path} ended at ${off + got} of ${bytes.length} bytes`);
        got += bytesRead;
      }
    };
    const chunks: Promise<void>[] = [];
    let issued = 0;
    const issue = () => {
      while (issued < bytes.length && chunks.length - hashedChunks < READS_IN_FLIGHT) {
        const p = readChunk(issued);
        p.catch(() => undefined); // awaited below in order; this only keeps it from being "unhandled" meanwhile
        chunks.push(p);
        issued += LOAD_CHUNK;
      }
    };
    let hashedChunks = 0;
    issue();
    for (let off = 0; off < bytes.length; off += LOAD_CHUNK) {
      await chunks[hashedChunks];
      hashedChunks += 1;
      issue();
      hash.update(bytes.subarray(off, Math.min(off + LOAD_CHUNK, bytes.length)));
    }
    return { bytes, sha256: hash.digest('hex') };
  } finally {
    await fh.close();
  }
}

async function writeTableFile(path: string, bytes: Uint8Array, sha256: string): Promise<void> {
  const tmp = `${path}.tmp-${process.pid}`;
  const fh = await open(tmp, 'w');
  try {
    for (let off = 0; off < bytes.length; off += READ_CHUNK) {
      // FileHandle.write may write less than asked; loop until the slice is out.
      const end = Math.min(off + READ_CHUNK, bytes.length);
      let pos = off;
      while (pos < end) pos += (await fh.write(bytes, pos, end - pos, pos)).bytesWritten;
    }
    await fh.sync();
  } finally {
    await fh.close();
  }
  await rename(tmp, path);
  await writeFile(`${path}.sha256`, sha256 + '\n');
}

export interface LoadTableOptions {
  bits: number;
  /** Folder of the cache (default ~/.lxrhash, the reference's). */
  dir?: string;
  logger?: Logger;
  progress?: ProgressMode;
}

/**
 * The table for `bits`, from the cache when the file there has the right size and checksum
 * (the reference's sha256 for known sizes, else the `.sha256` file we wrote beside it), or
 * generated off the main thread and written back. A bad file is never trusted.
 */
export async function loadOrCreateTable(opts: LoadTableOptions): Promise<LxrTable> {
  const { bits, logger } = opts;
  checkBits(bits);
  const dir = opts.dir ?? defaultTableDir();
  mkdirSync(dir, { recursive: true });
  const path = join(dir, tableFileName(bits));
  const sidecar = `${path}.sha256`;
  const expected = KNOWN_TABLE_SHA256[bits] ?? (await readSidecar(sidecar));
  const size = await stat(path).then((s) => s.size, () => -1);
  if (size === 2 ** bits && expected) {
    const started = performance.now();
    const { bytes, sha256 } = await readTableFile(path, bits);
    if (sha256 === expected) {
      logger?.info({ path, bits, ms: Math.round(performance.now() - started) }, 'LXRHash table loaded');
      if (KNOWN_TABLE_SHA256[bits] && !(await readSidecar(sidecar))) await writeFile(sidecar, sha256 + '\n');
      return { bits, bytes, sha256, path };
    }
    logger?.warn({ path, sha256, expected }, 'LXRHash table file is corrupt; regenerating');
  } else if (size >= 0) {
    logger?.warn({ path, size, expectedSize: 2 ** bits, checksum: Boolean(expected) },
      size === 2 ** bits ? 'LXRHash table has no checksum to verify; regenerating' : 'LXRHash table file has the wrong size; regenerating');
  } else {
    logger?.info({ path, bits }, bits >= 28 ? `no cached LXRHash table; generating it (at ${bits} bits this takes many minutes)` : 'no cached LXRHash table; generating it');
  }
  await rm(path, { force: true });
  await rm(sidecar, { force: true });
  const bytes = await generateTableOffThread(bits, { logger, progress: opts.progress });
  const sha256 = sha256Hex(bytes);
  const known = KNOWN_TABLE_SHA256[bits];
  if (known && sha256 !== known) {
    throw new ProsperError('PROSPER_E_LXR_TABLE_MISMATCH', `generated ${bits}-bit table has sha256 ${sha256}, the reference's is ${known}`);
  }
  await writeTableFile(path, bytes, sha256);
  logger?.info({ path, bits, sha256 }, 'LXRHash table written');
  return { bits, bytes, sha256, path };
}
