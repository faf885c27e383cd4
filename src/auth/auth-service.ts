import { randomBytes } from 'node:crypto';
import { isProsperError, ProsperError } from '../errors.js';
import type { InviteCodeRecord, Store, UserRecord } from '../store/index.js';
import { checkMinerName, checkPayoutAddress, normalizeEmail } from './identity.js';
import { generateInviteCode } from './invite-code.js';
import { checkPasswordShape, hashPassword, verifyPassword, type ScryptCost } from './password.js';

/** What Stratum's mining.authorize hands over: ["user,minerid", password?, invitecode?, payoutaddress?]. */
export interface AuthorizeRequest {
  username: string;
  minerId: string;
  password?: string;
  inviteCode?: string;
  payoutAddress?: string;
}

export type AuthorizeResult =
  | { ok: true; userId: bigint; email: string; minerId: string; registered: boolean }
  | { ok: false; code: string; reason: string };

export interface AuthServiceOptions {
  store: Store;
  now: () => number;
  randomBytes?: (n: number) => Buffer;
  scryptCost?: ScryptCost;
  /**
   * Existing users authorize without a password when the miner sends none (the official miner
   * only sends one with -p). Mining into an account only donates work to it, so this is the
   * compatible default; a password that IS sent must be right.
   */
  requirePasswordForExistingUsers?: boolean;
  /**
   * Open registration (`--rauth=false`): an unknown user is registered on first authorize
   * without an invite code; the password and payout address are then optional (a random
   * password is stored, and the address can be set later on the web).
   */
  openRegistration?: boolean;
}

export interface AuthService {
  /** Stratum authorize: logs in an existing user, or registers a new one with an invite code. */
  authorizeMiner(req: AuthorizeRequest): Promise<AuthorizeResult>;
  /** Web login: the user, or null for an unknown email or a wrong password (same timing). */
  login(email: string, password: string): Promise<UserRecord | null>;
  setPayoutAddress(userId: bigint, address: string): Promise<void>;
  makeAdmin(email: string): Promise<boolean>;
  createInviteCodes(count: number): Promise<string[]>;
  listInviteCodes(): Promise<InviteCodeRecord[]>;
  listUsers(): Promise<UserRecord[]>;
}

function refuse(code: string, reason: string): AuthorizeResult {
  return { ok: false, code, reason };
}

export function createAuthService(opts: AuthServiceOptions): AuthService {
  const { store, now } = opts;
  const hashOpts = { cost: opts.scryptCost, randomBytes: opts.randomBytes };
  // A hash to verify against when the email is unknown, so timing does not reveal accounts.
  let decoy: Promise<string> | undefined;
  const decoyHash = () => (decoy ??= hashPassword('decoy-password', hashOpts));

  async function register(email: string, req: AuthorizeRequest): Promise<AuthorizeResult> {
    let inviteCode = req.inviteCode;
    let password = req.password;
    let payoutAddress = '';
    if (!inviteCode && opts.openRegistration) {
      // One single-use code made for this registration, so both paths share the atomic claim.
      inviteCode = generateInviteCode(opts.randomBytes);
      await store.createInviteCodes([inviteCode], new Date(now()));
      password ||= (opts.randomBytes ?? randomBytes)(24).toString('base64url');
      if (req.payoutAddress) payoutAddress = checkPayoutAddress(req.payoutAddress);
    } else {
      if (!inviteCode) return refuse('PROSPER_E_AUTH_UNKNOWN_USER', 'unknown user; registering needs an invite code');
      checkPasswordShape(password);
      payoutAddress = checkPayoutAddress(req.payoutAddress);
    }
    checkPasswordShape(password);
    const passwordHash = await hashPassword(password, hashOpts);
    const out = await store.registerWithInvite({ email, passwordHash, payoutAddress }, inviteCode, new Date(now()));
    if (!out.ok) {
      return out.reason === 'code-invalid'
        ? refuse('PROSPER_E_AUTH_INVITE', 'invite code is unknown or already used')
        : refuse('PROSPER_E_AUTH_EMAIL_TAKEN', 'email already registered');
    }
    return { ok: true, userId: out.user.id, email, minerId: req.minerId, registered: true };
  }

  return {
    async authorizeMiner(req) {
      try {
        const email = normalizeEmail(req.username);
        checkMinerName(req.minerId);
        const existing = await store.findUserByEmail(email);
        let result: AuthorizeResult;
        if (existing === null) {
          result = await register(email, req);
          // Lost a registration race for this email: fall through to a normal login.
          if (!result.ok && result.code === 'PROSPER_E_AUTH_EMAIL_TAKEN') {
            const winner = await store.findUserByEmail(email);
            if (winner && req.password && (await verifyPassword(req.password, winner.passwordHash))) {
              result = { ok: true, userId: winner.id, email, minerId: req.minerId, registered: false };
            }
          }
        } else if (req.password) {
          result = (await verifyPassword(req.password, existing.passwordHash))
            ? { ok: true, userId: existing.id, email, minerId: req.minerId, registered: false }
            : refuse('PROSPER_E_AUTH_PASSWORD', 'wrong password');
        } else if (opts.requirePasswordForExistingUsers) {
          result = refuse('PROSPER_E_AUTH_PASSWORD', 'a password is required');
        } else {
          result = { ok: true, userId: existing.id, email, minerId: req.minerId, registered: false };
        }
        if (result.ok) await store.touchMiner(result.userId, req.minerId, new Date(now()));
        return result;
      } catch (err) {
        if (isProsperError(err) && err.code.startsWith('PROSPER_E_AUTH_')) return refuse(err.code, err.message);
        throw err;
      }
    },

    async login(email, password) {
      let normalized: string;
      try {
        normalized = normalizeEmail(email);
      } catch {
        return null;
      }
      const user = await store.findUserByEmail(normalized);
      const ok = await verifyPassword(password, user?.passwordHash ?? (await decoyHash()));
      return user && ok ? user : null;
    },

    async setPayoutAddress(userId, address) {
      await store.setPayoutAddress(userId, checkPayoutAddress(address));
    },

    async makeAdmin(email) {
      return store.setRole(normalizeEmail(email), 'admin');
    },

    async createInviteCodes(count) {
      if (!Number.isInteger(count) || count < 1 || count > 10_000) {
        throw new ProsperError('PROSPER_E_AUTH_COUNT', 'code count must be 1..10000');
      }
      const codes = Array.from({ length: count }, () => generateInviteCode(opts.randomBytes));
      await store.createInviteCodes(codes, new Date(now()));
      return codes;
    },

    listInviteCodes: () => store.listInviteCodes(),
    listUsers: () => store.listUsers(),
  };
}
