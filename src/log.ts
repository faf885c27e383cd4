import { pino, type Logger, type LevelWithSilent, type DestinationStream } from 'pino';

export type { Logger };

export interface LoggerOptions {
  level?: LevelWithSilent;
  name?: string;
  /** Where lines go (default stdout); tests pass a stream to read them back. */
  destination?: DestinationStream;
}

/** The one way modules get a logger: a pino instance, or a child of the one they are handed. */
export function createLogger(opts: LoggerOptions = {}): Logger {
  const level = opts.level ?? (process.env.PROSPER_LOG_LEVEL as LevelWithSilent | undefined) ?? 'info';
  const options = { level, name: opts.name ?? 'prosper' };
  return opts.destination ? pino(options, opts.destination) : pino(options);
}

/** A logger that writes nothing, for tests and library defaults. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
