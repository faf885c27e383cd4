import assert from 'node:assert/strict';
import { createAuthService, type AuthService } from '../../src/auth/index.js';
import type { Store } from '../../src/store/index.js';
import { FA_ADDRESS } from '../web/fixtures.js';
import { FAST_SCRYPT } from '../web/helpers.js';

/** The store's AuthService (fast scrypt) and one user registered over it as Stratum would (an invite code, a payout address). */
export async function authWithUser(store: Store, email: string, password: string): Promise<{ auth: AuthService; userId: bigint }> {
  const auth = createAuthService({ store, now: Date.now, scryptCost: FAST_SCRYPT });
  const [code] = await auth.createInviteCodes(1);
  const reg = await auth.authorizeMiner({ username: email, minerId: 'rig', password, inviteCode: code!, payoutAddress: FA_ADDRESS });
  assert.ok(reg.ok, `${email} registered`);
  return { auth, userId: reg.userId };
}
