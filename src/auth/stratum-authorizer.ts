import type { StratumAuthorizer } from '../stratum/index.js';
import type { AuthService } from './auth-service.js';

/** Stratum's mining.authorize answered by the auth service (the pool's and the coordinator's). */
export function stratumAuthorizer(auth: AuthService): StratumAuthorizer {
  return {
    authorize: async (req) => {
      const r = await auth.authorizeMiner({
        username: req.username, minerId: req.minerId, password: req.password, inviteCode: req.inviteCode, payoutAddress: req.payoutAddress, ip: req.ip,
      });
      if (r.ok) return { ok: true, userId: r.userId.toString() };
      return { ok: false, reason: r.reason, code: r.code, ...(r.retryable ? { retryable: true } : {}) };
    },
  };
}
