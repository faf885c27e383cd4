import { mkdirSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { ProsperError } from '../errors.js';
import { fsyncDir, writeFileDurably } from './durable-file.js';

/**
 * The one bounded on-disk spool of acknowledged work waiting for a store that is away: share
 * credit during a database outage (accounting/spool.ts), an edge's shares during a NATS outage
 * (cluster/edge-spool.ts) and webhook events waiting for their endpoint (notify/queue.ts). One
 * fsynced file per entry, so an entry survives the process being killed; files left by an
 * earlier run are picked up at start. An in-memory index of names and sizes means a write costs
 * the same at the ten-thousandth entry as at the first (no directory scan per write:
 * perf/spool.bench.ts).
 */
export interface FileSpool {
  /** Stores one entry durably; throws `fullCode` past the bound. `tag` ends the name (before `ext`). */
  write(data: string | Uint8Array, tag?: string): string;
  /** Spooled entry names, oldest first. */
  entries(): string[];
  read(name: string): Uint8Array;
  remove(name: string): void;
  /** Moves an unreadable entry out of the way (kept as `<name>.bad` for an operator). */
  quarantine(name: string): void;
  /** Makes the removals so far survive a crash (one directory fsync for a batch of them). */
  syncRemovals(): void;
  readonly count: number;
  readonly bytes: number;
}

export interface FileSpoolOptions {
  dir: string;
  maxBytes: number;
  now: () => number;
  /** File extension of entries, e.g. '.share'. */
  ext: string;
  /** The coded error a full spool throws, and what to call the spool in it. */
  fullCode: 'PROSPER_E_ACCOUNTING_SPOOL_FULL' | 'PROSPER_E_CLUSTER_SPOOL_FULL' | 'PROSPER_E_NOTIFY_QUEUE_FULL';
  label: string;
}

export function createFileSpool(opts: FileSpoolOptions): FileSpool {
  mkdirSync(opts.dir, { recursive: true });
  // Insertion order is oldest first: the names left by an earlier run sort by time, new ones come after.
  const sizes = new Map<string, number>();
  for (const f of readdirSync(opts.dir).filter((n) => n.endsWith(opts.ext)).sort()) sizes.set(f, statSync(join(opts.dir, f)).size);
  let total = [...sizes.values()].reduce((a, b) => a + b, 0);
  let seq = 0;
  const forget = (name: string, size: number) => {
    sizes.delete(name);
    total -= size;
  };

  return {
    write(data, tag = '') {
      const bytes = typeof data === 'string' ? Buffer.from(data) : data;
      if (total + bytes.length > opts.maxBytes) {
        throw new ProsperError(opts.fullCode, `${opts.label} ${opts.dir} is full (${opts.maxBytes} bytes)`);
      }
      // Sortable: time, then a counter for entries in the same millisecond.
      const name = `${String(opts.now()).padStart(15, '0')}-${String(seq++).padStart(9, '0')}${tag}${opts.ext}`;
      writeFileDurably(opts.dir, name, bytes);
      sizes.set(name, bytes.length);
      total += bytes.length;
      return name;
    },
    entries: () => [...sizes.keys()],
    read: (name) => new Uint8Array(readFileSync(join(opts.dir, name))),
    remove(name) {
      const size = sizes.get(name);
      if (size === undefined) return;
      unlinkSync(join(opts.dir, name));
      forget(name, size);
    },
    quarantine(name) {
      const size = sizes.get(name);
      if (size === undefined) return;
      renameSync(join(opts.dir, name), join(opts.dir, `${name}.bad`));
      forget(name, size);
    },
    syncRemovals: () => fsyncDir(opts.dir),
    get count() {
      return sizes.size;
    },
    get bytes() {
      return total;
    },
  };
}
