/**
 * What the Stratum server needs from users and authentication. The real implementation lives
 * in src/auth/ (store-backed, invite codes); stratum-only mode uses the permissive one below.
 */
export interface StratumAuthRequest {
  username: string;
  minerId: string;
  /** Only used to register a new user (with a valid invite). */
  password: string;
  inviteCode: string;
  payoutAddress: string;
  ip: string;
}

export type StratumAuthResult =
  | { ok: true; userId: string }
  /**
   * `code`: the PROSPER_E_AUTH_* code when there is one (a wrong password adds ban points);
   * `retryable`: the pool cannot answer now (store away, too busy, rate limited), try again later.
   */
  | { ok: false; reason: string; code?: string; retryable?: boolean };

export interface StratumAuthorizer {
  /**
   * Accepts an existing user, or registers a new one when the invite code is valid. Must not
   * throw for bad input: answer `{ ok: false, reason }`.
   */
  authorize(req: StratumAuthRequest): Promise<StratumAuthResult>;
}

/** Relaxed auth for `prosper-pool stratum`: any username is accepted and is its own id. */
export function permissiveAuthorizer(): StratumAuthorizer {
  return {
    async authorize(req) {
      if (req.username === '') return { ok: false, reason: 'empty username' };
      return { ok: true, userId: req.username };
    },
  };
}
