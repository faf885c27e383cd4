import { createLogger, type Logger } from '../../src/log.js';

export interface LogLine {
  level: number;
  msg: string;
  [field: string]: unknown;
}

/** A debug-level logger whose lines are kept as parsed objects. */
export function memoryLog(): { logger: Logger; lines: LogLine[] } {
  const lines: LogLine[] = [];
  const logger = createLogger({ level: 'debug', name: 'test', destination: { write: (s: string) => void lines.push(JSON.parse(s)) } });
  return { logger, lines };
}
