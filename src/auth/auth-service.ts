import { randomBytes } from 'node:crypto';
import { isProsperError, ProsperError, stratumReplyFor } from '../errors.js';
import { silentLogger, type Logger } from '../log.js';
import type { InviteCodeRecord, Store, UserRecord } from '../store/index.js';
import { checkMinerName, checkPayoutAddress, normalizeEmail } from './identity.js';
import { generateInviteCode } from './invite-code.js';
import { LoginGuard, type AttemptOutcome } from './login-guard.js';
import { checkPasswordShape, hashPassword, MAX_PASSWORD_LENGTH, verifyPassword, type ScryptCost } from './password.js';
import { StoreOutage } from './store-outage.js';
import { checkText } from './text.js';

/** What Stratum's mining.authorize hands over: ["user,minerid", password?, invitecode?, payoutaddress?]. */
export interface AuthorizeRequest {
  username: string;
  minerId: string;
  password?: string;
  inviteCode?: string;
  payoutAddress?: string;
  /** The miner's address: failed passwords count against it. */
  ip?: string;
}

export type AuthorizeResult =
  | { ok: true; userId: bigint; email: string; minerId: string; registered: boolean }
  /** `retryable`: nothing is wrong with what the miner sent; the same request may succeed later. */
  | { ok: false; code: string; reason: string; retryable?: boolean };

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
  /** The failed-login limits and hash bounds, shared with the web login; a default one when absent. */
  guard?: LoginGuard;
  log?: Logger;
  /** Told when the user store goes away (false) and answers again (true): the pool's outage events. */
  onStoreHealth?: (up: boolean, reason?: string) => void;
}

export interface AuthService {
  /** Stratum authorize: logs in an existing user, or registers a new one with an invite code. */
  authorizeMiner(req: AuthorizeRequest): Promise<AuthorizeResult>;
  /**
   * Web login: the user, or null for an unknown email or a wrong password (same timing). The
   * caller holds the LoginGuard; a store outage is PROSPER_E_AUTH_UNAVAILABLE.
   */
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

/** Refusals that mean a secret (password, invite code) was guessed wrong: they count as failed attempts. */
const GUESS_CODES = new Set(['PROSPER_E_AUTH_PASSWORD', 'PROSPER_E_AUTH_INVITE']);
/**
 * Refusals the miner may simply retry shortly (a rate-limited one must wait out its window): the
 * codes the error registry answers with ErrorBusy (AUTH_BUSY, AUTH_UNAVAILABLE).
 */
const isRetryable = (code: string): boolean => stratumReplyFor(code) === 'Busy';

/** The authorize fields that reach the store, checked as text (lengths as the Stratum line allows). */
function checkAuthorizeText(req: AuthorizeRequest): void {
  checkText(req.username, 'username', 254);
  checkText(req.minerId, 'miner id', 128);
  if (req.password) checkText(req.password, 'password', MAX_PASSWORD_LENGTH);
  if (req.inviteCode) checkText(req.inviteCode, 'invite code', 128);
  if (req.payoutAddress) checkText(req.payoutAddress, 'payout address', 128);
}

export function createAuthService(opts: AuthServiceOptions): AuthService {
  const { store, now } = opts;
  const guard = opts.guard ?? new LoginGuard({}, now);
  const outage = new StoreOutage((opts.log ?? silentLogger()).child({ module: 'auth' }), opts.onStoreHealth);
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

  async function checkPassword(user: UserRecord, email: string, req: AuthorizeRequest): Promise<AuthorizeResult> {
    return (await verifyPassword(req.password ?? '', user.passwordHash))
      ? { ok: true, userId: user.id, email, minerId: req.minerId, registered: false }
      : refuse('PROSPER_E_AUTH_PASSWORD', 'wrong password');
  }

  async function registerOrJoin(email: string, req: AuthorizeRequest): Promise<AuthorizeResult> {
    const result = await register(email, req);
    // Lost a registration race for this email: a normal login against the winner.
    if (!result.ok && result.code === 'PROSPER_E_AUTH_EMAIL_TAKEN' && req.password) {
      const winner = await store.findUserByEmail(email);
      if (winner) return checkPassword(winner, email, req);
    }
    return result;
  }

  return {
    async authorizeMiner(req) {
      try {
        checkAuthorizeText(req);
        const email = normalizeEmail(req.username);
        checkMinerName(req.minerId);
        const existing = await outage.watch(() => store.findUserByEmail(email));
        let result: AuthorizeResult;
        if (existing !== null && !req.password) {
          // No password sent: nothing to hash, nothing to guess.
          result = opts.requirePasswordForExistingUsers
            ? refuse('PROSPER_E_AUTH_PASSWORD', 'a password is required')
            : { ok: true, userId: existing.id, email, minerId: req.minerId, registered: false };
        } else if (existing === null && !req.inviteCode && !opts.openRegistration) {
          result = refuse('PROSPER_E_AUTH_UNKNOWN_USER', 'unknown user; registering needs an invite code');
        } else {
          // A password will be hashed: through the guard, counted per IP and per account.
          result = await guard.attempt({ ip: req.ip ?? '', account: email }, async () => {
            const value = await outage.watch(() => (existing === null ? registerOrJoin(email, req) : checkPassword(existing, email, req)));
            const outcome: AttemptOutcome = value.ok ? 'right' : GUESS_CODES.has(value.code) ? 'wrong' : 'neither';
            return { value, outcome };
          });
        }
        if (result.ok) await outage.watch(() => store.touchMiner(result.userId, req.minerId, new Date(now())));
        return result;
      } catch (err) {
        if (isProsperError(err) && err.code.startsWith('PROSPER_E_AUTH_')) {
          return { ok: false, code: err.code, reason: err.message, ...(isRetryable(err.code) ? { retryable: true } : {}) };
        }
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
      const user = await outage.watch(() => store.findUserByEmail(normalized));
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
