import { closeSync, fsyncSync, openSync, renameSync, writeSync } from 'node:fs';
import { join } from 'node:path';

/** fsyncs a directory, so a rename or unlink in it survives a crash. */
export function fsyncDir(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Writes `dir/name` so that after a crash it is either absent or whole: a hidden temporary
 * file, fsynced, renamed into place, and the directory fsynced. The spools of acknowledged
 * work (share credit during a database outage, an edge's shares during a NATS outage) use it.
 */
export function writeFileDurably(dir: string, name: string, data: string | Uint8Array): void {
  const tmp = join(dir, `.${name}.tmp`);
  const fd = openSync(tmp, 'wx');
  try {
    writeSync(fd, typeof data === 'string' ? Buffer.from(data) : data);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, join(dir, name));
  fsyncDir(dir);
}
