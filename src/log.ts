import { pino, type Logger, type LevelWithSilent, type DestinationStream } from 'pino';

export type { Logger };

export interface LoggerOptions {
  level?: LevelWithSilent;
  name?: string;
  /** Where lines go (default stdout); tests pass a stream to read them back. */
  destination?: DestinationStream;
}

/**
 * The one way modules get a logger: a pino instance, or a child of the one they are handed.
 * JSON lines, except on a terminal, where pino-pretty formats them (off a worker thread, as
 * pino's transports run); PROSPER_LOG_PRETTY=0 keeps JSON there too.
 */
export function createLogger(opts: LoggerOptions = {}): Logger {
  const level = opts.level ?? (process.env.PROSPER_LOG_LEVEL as LevelWithSilent | undefined) ?? 'info';
  const options = { level, name: opts.name ?? 'prosper' };
  if (opts.destination) return pino(options, opts.destination);
  if (process.stdout.isTTY && process.env.PROSPER_LOG_PRETTY !== '0') {
    return pino(options, pino.transport({ target: 'pino-pretty', options: { colorize: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' } }));
  }
  return pino(options);
}

/** A logger that writes nothing, for tests and library defaults. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
