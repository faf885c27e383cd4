import { SingleBar, Presets } from 'cli-progress';
import type { Logger } from '../log.js';

export type ProgressMode = 'auto' | 'bar' | 'log' | 'none';

export interface ProgressReporter {
  update(done: number): void;
  done(): void;
}

/** A bar on a TTY, log lines every 5% otherwise (or nothing). */
export function createProgressReporter(mode: ProgressMode, label: string, total: number, logger?: Logger): ProgressReporter {
  const chosen = mode === 'auto' ? (process.stderr.isTTY ? 'bar' : logger ? 'log' : 'none') : mode;
  if (chosen === 'bar') {
    const bar = new SingleBar({ format: `${label} [{bar}] {percentage}% eta {eta_formatted}`, stream: process.stderr }, Presets.shades_classic);
    bar.start(total, 0);
    return { update: (d) => bar.update(Math.min(d, total)), done: () => bar.stop() };
  }
  if (chosen === 'log' && logger) {
    let lastStep = -1;
    return {
      update(d) {
        const step = Math.floor((20 * d) / total);
        if (step > lastStep) {
          lastStep = step;
          logger.info({ percent: step * 5 }, `${label}: ${step * 5}%`);
        }
      },
      done: () => undefined,
    };
  }
  return { update: () => undefined, done: () => undefined };
}
