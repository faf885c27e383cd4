import { mkdirSync, readFileSync, unlinkSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { ProsperError } from '../errors.js';
import { processAlive } from '../store/dir-lock.js';
import { writeFileDurably } from '../util/durable-file.js';

/**
 * The running pool's process id in `[app] pidfile`: `prosper-pool restart` reads it, and a
 * service manager (systemd PIDFile=) follows it when a restart in place changes the main process.
 * The new process writes it before the old one exits.
 */
export function writePidFile(path: string, pid = process.pid): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileDurably(dirname(path), basename(path), `${pid}\n`);
}

/** The pid in the file, or null (absent or not a pid). */
export function readPidFile(path: string): number | null {
  try {
    const text = readFileSync(path, 'utf8').trim();
    return /^[1-9]\d{0,9}$/.test(text) ? Number(text) : null;
  } catch {
    return null;
  }
}

/** Removes the file if it still names this process (a successor may have written its own). */
export function removePidFile(path: string): void {
  if (readPidFile(path) !== process.pid) return;
  try {
    unlinkSync(path);
  } catch {
    // already gone
  }
}

/** The live pool process the pid file names, or PROSPER_E_ENGINE_NOT_RUNNING. */
export function runningPoolPid(path: string): number {
  const pid = readPidFile(path);
  if (pid === null) throw new ProsperError('PROSPER_E_ENGINE_NOT_RUNNING', `no running pool: ${path} is missing or holds no process id (is the pool running with this config?)`);
  if (!processAlive(pid)) throw new ProsperError('PROSPER_E_ENGINE_NOT_RUNNING', `no running pool: process ${pid} named in ${path} is gone`);
  return pid;
}
