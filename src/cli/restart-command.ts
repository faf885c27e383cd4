import type { Command } from 'commander';
import { expandPath } from '../config/index.js';
import { RESTART_SIGNAL } from '../engine/handover.js';
import { readPidFile, runningPoolPid } from '../engine/pid-file.js';
import { ProsperError } from '../errors.js';
import { processAlive } from '../store/dir-lock.js';
import { configFromProgram } from './global-options.js';

/** How often `restart` looks whether the old process has gone. */
const POLL_MS = 250;

/**
 * `prosper-pool restart`: restarts the running pool in place (README "Restarts in place") by
 * sending RESTART_SIGNAL to the process named in `[app] pidfile`, then waits until the old
 * process has handed over and exited.
 */
export function registerRestartCommand(program: Command): void {
  program
    .command('restart')
    .description(`restart the running pool in place (sends ${RESTART_SIGNAL} to the pid in [app] pidfile): miners are asked to reconnect, no connection is refused`)
    .option('--timeout <seconds>', 'how long to wait for the old process to exit (0: do not wait)', '300')
    .action(async (flags: { timeout: string }, cmd: Command) => {
      const config = configFromProgram(cmd.parent ?? cmd);
      const pidFile = expandPath(config.app.pidfile);
      const timeoutS = Number(flags.timeout);
      if (!Number.isFinite(timeoutS) || timeoutS < 0) throw new ProsperError('PROSPER_E_CONFIG', `--timeout must be a number of seconds >= 0, not ${flags.timeout}`);
      const pid = runningPoolPid(pidFile);
      process.kill(pid, RESTART_SIGNAL);
      process.stdout.write(`sent ${RESTART_SIGNAL} to pool process ${pid}\n`);
      if (timeoutS === 0) return;
      const deadline = Date.now() + timeoutS * 1000;
      while (processAlive(pid)) {
        if (Date.now() > deadline) throw new ProsperError('PROSPER_E_ENGINE_HANDOVER', `pool process ${pid} has not exited after ${timeoutS}s: see its log (a failed handover leaves it serving)`);
        await new Promise((r) => setTimeout(r, POLL_MS));
      }
      const next = readPidFile(pidFile);
      if (next === null || next === pid || !processAlive(next)) throw new ProsperError('PROSPER_E_ENGINE_HANDOVER', `pool process ${pid} exited but no new process took over (${pidFile}): see the log`);
      process.stdout.write(`pool restarted: process ${next} took over from ${pid}\n`);
    });
}
