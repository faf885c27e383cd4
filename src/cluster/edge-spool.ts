import { mkdirSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { fsyncDir, writeFileDurably } from '../util/durable-file.js';
import { ProsperError } from '../errors.js';

/**
 * An edge's bounded on-disk spool of encoded shares that JetStream could not take (a NATS
 * outage). One fsynced file per share, so a share acknowledged to its miner survives the edge
 * being killed; files left by an earlier run are picked up at start and replayed.
 */
export interface EdgeSpool {
  /** Stores one encoded share durably; throws PROSPER_E_CLUSTER_SPOOL_FULL past the bound. */
  write(data: Uint8Array): string;
  /** Spooled entry names, oldest first. */
  entries(): string[];
  read(name: string): Uint8Array;
  remove(name: string): void;
  /** Moves an unreadable entry out of the way (kept as `<name>.bad` for an operator). */
  quarantine(name: string): void;
  readonly count: number;
  readonly bytes: number;
}

const EXT = '.share';


export function createEdgeSpool(opts: { dir: string; maxBytes: number; now: () => number }): EdgeSpool {
  mkdirSync(opts.dir, { recursive: true });
  // The in-memory index avoids a directory scan per share during an outage.
  const sizes = new Map<string, number>();
  for (const f of readdirSync(opts.dir).filter((n) => n.endsWith(EXT)).sort()) sizes.set(f, statSync(join(opts.dir, f)).size);
  let total = [...sizes.values()].reduce((a, b) => a + b, 0);
  let seq = 0;

  return {
    write(data) {
      if (total + data.length > opts.maxBytes) {
        throw new ProsperError('PROSPER_E_CLUSTER_SPOOL_FULL', `edge share spool ${opts.dir} is full (${opts.maxBytes} bytes)`);
      }
      // Sortable: time, then a counter for shares in the same millisecond.
      const name = `${String(opts.now()).padStart(15, '0')}-${String(seq++).padStart(9, '0')}${EXT}`;
      writeFileDurably(opts.dir, name, data);
      sizes.set(name, data.length);
      total += data.length;
      return name;
    },
    entries: () => [...sizes.keys()],
    read: (name) => new Uint8Array(readFileSync(join(opts.dir, name))),
    remove(name) {
      const size = sizes.get(name);
      if (size === undefined) return;
      unlinkSync(join(opts.dir, name));
      sizes.delete(name);
      total -= size;
    },
    quarantine(name) {
      const size = sizes.get(name);
      if (size === undefined) return;
      renameSync(join(opts.dir, name), join(opts.dir, `${name}.bad`));
      sizes.delete(name);
      total -= size;
    },
    get count() {
      return sizes.size;
    },
    get bytes() {
      return total;
    },
  };
}
