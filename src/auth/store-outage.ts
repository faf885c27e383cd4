import { errorMessage, isProsperError, logFields, ProsperError } from '../errors.js';
import type { Logger } from '../log.js';

/**
 * Tells a user store that is away from a request that is wrong. A store call that fails with
 * anything but a coded error (the connection refused, reset, timed out) becomes
 * PROSPER_E_AUTH_UNAVAILABLE, which miners and the web are told to retry; the outage is logged
 * once when it starts and once when the store answers again, not once per attempt.
 */
export class StoreOutage {
  private down = false;

  constructor(private readonly log: Logger, private readonly onChange?: (up: boolean, reason?: string) => void) {}

  async watch<T>(call: () => Promise<T>): Promise<T> {
    let value: T;
    try {
      value = await call();
    } catch (err) {
      if (isProsperError(err)) throw err;
      if (!this.down) {
        this.down = true;
        this.log.warn({ ...logFields(err) }, 'user store unreachable: logins are answered "try again" until it is back');
        this.onChange?.(false, errorMessage(err));
      }
      throw new ProsperError('PROSPER_E_AUTH_UNAVAILABLE', 'the pool cannot reach its user store; try again shortly', { cause: err });
    }
    if (this.down) {
      this.down = false;
      this.log.info('user store reachable again');
      this.onChange?.(true);
    }
    return value;
  }
}
