import { CONFIG_SCHEMA } from '../config/schema.js';
import { ProsperError } from '../errors.js';
import { FailureLimiter } from './failure-limiter.js';
import { HashGate } from './hash-gate.js';

export interface LoginLimits {
  /** Failed password attempts allowed per IP and per account within the window. */
  maxFailures: number;
  windowSeconds: number;
  /** Password hashes computed at once for logins, in total. */
  hashConcurrency: number;
  /** Password hashes one IP may have running and queued. */
  hashesPerIp: number;
}

const WEB = CONFIG_SCHEMA.web;
/** `[web] loginmaxfailures`, `loginwindow`, `loginhashes`, `loginhashesperip` defaults (the config schema's). */
export const DEFAULT_LOGIN_LIMITS: LoginLimits = {
  maxFailures: WEB.loginmaxfailures.default, windowSeconds: WEB.loginwindow.default, hashConcurrency: WEB.loginhashes.default, hashesPerIp: WEB.loginhashesperip.default,
};

/** A refusal before any hash: too many failures for this IP or account. Carries the wait. */
export class LoginRateLimitError extends ProsperError {
  constructor(readonly retryAfter: number) {
    super('PROSPER_E_AUTH_RATE_LIMIT', `too many failed logins; try again in ${retryAfter} s`);
  }
}

/** How a password attempt ended: `wrong` counts as a failure, `right` clears the account's failures. */
export type AttemptOutcome = 'wrong' | 'right' | 'neither';

/** Who is trying: the client's address and the account (email) it names. */
export interface LoginAttempt {
  ip: string;
  account: string;
}

/**
 * The one guard in front of every password check, shared by the web login and Stratum's
 * mining.authorize: an attempt reserves its place in the per-IP and per-account failure counts
 * before the hash is computed (refused without hashing past the limit), the hash waits its turn
 * in the HashGate, and the attempt is settled as a failure or not afterwards.
 */
export class LoginGuard {
  readonly limits: LoginLimits;
  private readonly failures: FailureLimiter;
  private readonly hashes: HashGate;

  constructor(limits: Partial<LoginLimits> = {}, now: () => number = Date.now) {
    this.limits = { ...DEFAULT_LOGIN_LIMITS, ...limits };
    this.failures = new FailureLimiter({ maxFailures: this.limits.maxFailures, windowMs: this.limits.windowSeconds * 1000, now });
    this.hashes = new HashGate({ concurrency: this.limits.hashConcurrency, perIp: this.limits.hashesPerIp });
  }

  /**
   * Runs one password attempt. `work` checks the password and says how it went (a wrong
   * password or invite code is `wrong`). Throws LoginRateLimitError past the limit, and
   * PROSPER_E_AUTH_BUSY (retry shortly) while the attempts already running could still reach the
   * limit or the IP has too many hashes running; neither computes a hash.
   */
  async attempt<T>(who: LoginAttempt, work: () => Promise<{ value: T; outcome: AttemptOutcome }>): Promise<T> {
    const account = `account:${who.account.trim().toLowerCase()}`;
    const keys = [`ip:${who.ip}`, account];
    const place = this.failures.reserve(keys);
    if (!place.reserved) {
      if (place.limited) throw new LoginRateLimitError(place.retryAfter);
      throw new ProsperError('PROSPER_E_AUTH_BUSY', 'other logins of this address or account are being checked; try again shortly');
    }
    let outcome: AttemptOutcome = 'neither';
    try {
      const out = await this.hashes.run(who.ip, work);
      outcome = out.outcome;
      return out.value;
    } finally {
      this.failures.settle(keys, outcome === 'wrong');
      if (outcome === 'right') this.failures.clear(account);
    }
  }

  /** Hashes running and waiting now. */
  get hashLoad(): { running: number; waiting: number } {
    return this.hashes.load;
  }
}
