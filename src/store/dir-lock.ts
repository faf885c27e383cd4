import { linkSync, mkdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { hostname } from 'node:os';
import { ProsperError } from '../errors.js';

/** A held lock; release() removes the lock file if it is still this process's. */
export interface DirLock {
  readonly path: string;
  release(): void;
}

interface LockContent {
  pid: number;
  host: string;
  since: string;
}

function readLock(path: string): LockContent | null {
  try {
    const o = JSON.parse(readFileSync(path, 'utf8')) as Partial<LockContent>;
    return typeof o.pid === 'number' && Number.isInteger(o.pid) && o.pid > 0 ? { pid: o.pid, host: String(o.host ?? ''), since: String(o.since ?? '') } : null;
  } catch {
    return null;
  }
}

/** True while a process with this pid runs (EPERM: it runs under another user). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Takes `<dir>.lock` for this process, or refuses with PROSPER_E_STORE_LOCKED while another live
 * process holds it. Two PGlite processes on one data directory each keep their own buffers and
 * write over each other (committed rows are lost), so only one may have it open. The lock file is
 * made complete and then linked into place (link fails if it exists), so a reader never sees half
 * a lock; a lock left by a process that died (kill -9, power loss) is taken over.
 */
export function lockDir(dir: string, what: string): DirLock {
  const path = `${dir}.lock`;
  const mine: LockContent = { pid: process.pid, host: hostname(), since: new Date().toISOString() };
  const draft = `${path}.${process.pid}.tmp`;
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(draft, JSON.stringify(mine) + '\n', { mode: 0o600 });
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        linkSync(draft, path);
        return { path, release: () => releaseLock(path) };
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw new ProsperError('PROSPER_E_STORE_LOCK', `cannot create ${path}: ${(err as Error).message}`, { cause: err });
      }
      const held = readLock(path);
      // A pid equal to ours is a lock left by an earlier life of this pid (a restarted container).
      if (held && held.pid !== process.pid && processAlive(held.pid)) {
        throw new ProsperError('PROSPER_E_STORE_LOCKED',
          `${what} ${dir} is open in process ${held.pid} (since ${held.since}); one process at a time may open it: stop that process first, ` +
          `or use PostgreSQL ([database] host) to run commands beside a running pool. If process ${held.pid} is not a pool, delete ${path}`);
      }
      if (attempt >= 3) throw new ProsperError('PROSPER_E_STORE_LOCKED', `${what} ${dir}: could not take ${path} (other processes keep taking it)`);
      takeOverStale(path);
    }
  } finally {
    unlinkSync(draft);
  }
}

/**
 * Moves a dead process's lock aside, then checks what was moved: if a live process locked in
 * between, its lock goes back (unless yet another took the place, which the next attempt sees).
 */
function takeOverStale(path: string): void {
  const aside = `${path}.stale.${process.pid}`;
  try {
    renameSync(path, aside);
  } catch {
    return; // gone already: the next attempt links
  }
  const moved = readLock(aside);
  if (moved && moved.pid !== process.pid && processAlive(moved.pid)) {
    try {
      linkSync(aside, path);
    } catch {
      // taken again meanwhile: the next attempt decides
    }
  }
  unlinkSync(aside);
}

function releaseLock(path: string): void {
  if (readLock(path)?.pid !== process.pid) return;
  try {
    unlinkSync(path);
  } catch {
    // already gone
  }
}
