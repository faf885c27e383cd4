import { errorMessage, isProsperError } from '../errors.js';

/**
 * How every program ends on an error that reaches it: one line on stderr (`error CODE: message`
 * for a coded error) and exit status 1, at once, even when something opened during start-up (a
 * database, a timer, a worker) would otherwise keep the process running with nothing to do.
 */
export function exitWithError(err: unknown): never {
  const text = isProsperError(err) ? `error ${err.code}: ${err.message}` : errorMessage(err);
  process.stderr.write(text + '\n');
  process.exit(1);
}
