// A complete in-memory implementation of every web port (accounts, history lists, payouts)
// over the pool's live state, for tests that exercise the web without a database. The pool
// itself reads its lists from the store (src/web/store-data.ts).
import { checkPayoutAddress, generateInviteCode, hashPassword, verifyPassword, type ScryptCost } from '../../src/auth/index.js';
import { ProsperError } from '../../src/errors.js';
import { LiveState, type LiveStateOptions } from '../../src/web/live-state.js';
import { pageOf } from '../../src/web/paging.js';
import type {
  BalanceView, BlockRow, EarningRow, InviteView, MinerView, PayoutBatchView, PayoutView, RewardRow, SubmissionRow, UserAdminView,
  WebAccounts, WebAdminData, WebPoolData, WebPorts, WebUser, WebUserData,
} from '../../src/web/index.js';

export interface MemoryWebDataOptions extends LiveStateOptions {
  scryptCost?: ScryptCost;
  randomBytes?: (n: number) => Buffer;
}

interface MemUser extends WebUser {
  passwordHash: string;
  createdAt: Date;
}

/** Rows the live view keeps per table (newest kept): the store holds the full history. */
export const LIVE_ROWS_KEPT = 20_000;

function pushBounded<T>(rows: T[], row: T): void {
  rows.push(row);
  if (rows.length > LIVE_ROWS_KEPT) rows.splice(0, rows.length - LIVE_ROWS_KEPT);
}

/** The live state plus users, invite codes, history lists and payouts kept in memory. */
export class MemoryWebData extends LiveState implements WebPorts {
  private readonly usersByEmail = new Map<string, MemUser>();
  private nextUserId = 1n;
  private readonly rewardRows: RewardRow[] = [];
  private readonly submissionRows: SubmissionRow[] = [];
  private submissionSeq = 0n;
  private readonly blockRows: BlockRow[] = [];
  private readonly earningRows = new Map<bigint, EarningRow[]>();
  private readonly payoutRows = new Map<bigint, PayoutView[]>();
  private readonly batches: PayoutBatchView[] = [];
  private readonly invites: InviteView[] = [];

  constructor(private readonly opts: MemoryWebDataOptions) {
    super(opts);
  }

  async addUser(email: string, password: string, role: 'user' | 'admin' = 'user', payoutAddress = ''): Promise<WebUser> {
    const passwordHash = await hashPassword(password, { cost: this.opts.scryptCost, randomBytes: this.opts.randomBytes });
    const user: MemUser = { id: this.nextUserId++, email: email.toLowerCase(), role, payoutAddress, passwordHash, createdAt: new Date(this.now()) };
    this.usersByEmail.set(user.email, user);
    return publicUser(user);
  }

  override recordBlock(block: BlockRow): void {
    pushBounded(this.blockRows, { ...block });
    super.recordBlock(block);
  }

  recordReward(row: RewardRow, perUser: { userId: bigint; credit: bigint; amount: bigint }[] = []): void {
    pushBounded(this.rewardRows, { ...row });
    for (const u of perUser) {
      const list = this.earningRows.get(u.userId) ?? [];
      list.push({ jobId: row.jobId, credit: u.credit, amount: u.amount });
      this.earningRows.set(u.userId, list);
    }
  }

  recordSubmission(row: Omit<SubmissionRow, 'id'>): void {
    pushBounded(this.submissionRows, { ...row, id: ++this.submissionSeq });
  }

  recordPayoutBatch(batch: Omit<PayoutBatchView, 'total' | 'items'>, items: { userId: bigint; address: string; amount: bigint }[]): void {
    this.batches.push({ ...batch, total: items.reduce((s, i) => s + i.amount, 0n), items: items.length });
    for (const i of items) {
      const list = this.payoutRows.get(i.userId) ?? [];
      list.push({ batchId: batch.id, status: batch.status, amount: i.amount, address: i.address, createdAt: batch.createdAt, entryHash: batch.entryHash });
      this.payoutRows.set(i.userId, list);
    }
  }

  /** The store's balance definition over the rows kept here (store-less pools and tests). */
  private balanceOf(userId: bigint): Omit<BalanceView, 'payoutAddress'> {
    const earned = (this.earningRows.get(userId) ?? []).reduce((s, e) => s + e.amount, 0n);
    const payouts = this.payoutRows.get(userId) ?? [];
    const sum = (status: PayoutView['status']) => payouts.filter((p) => p.status === status).reduce((s, p) => s + p.amount, 0n);
    const paid = sum('paid');
    const pending = sum('pending');
    return { earned, paid, pending, owed: earned - paid - pending, accruing: 0n }; // no open PPS jobs kept here
  }

  readonly accounts: WebAccounts = {
    login: async (email, password) => {
      const user = this.usersByEmail.get(String(email).trim().toLowerCase());
      if (!user) return null;
      return (await verifyPassword(password, user.passwordHash)) ? publicUser(user) : null;
    },
    findUser: async (email) => {
      const user = this.usersByEmail.get(email);
      return user ? publicUser(user) : null;
    },
    changePassword: async (email, current, next) => {
      const user = this.usersByEmail.get(email);
      if (!user || !(await verifyPassword(current, user.passwordHash))) {
        throw new ProsperError('PROSPER_E_WEB_PASSWORD', 'current password is wrong');
      }
      user.passwordHash = await hashPassword(next, { cost: this.opts.scryptCost, randomBytes: this.opts.randomBytes });
    },
    setPayoutAddress: async (userId, address) => {
      const user = [...this.usersByEmail.values()].find((u) => u.id === userId);
      if (!user) throw new ProsperError('PROSPER_E_WEB_NO_USER', 'no such user');
      user.payoutAddress = checkPayoutAddress(address);
    },
  };

  override readonly pool: WebPoolData = {
    ...this.livePool(),
    rewards: async (q) => pageOf(this.rewardRows, q, {
      job_id: (r) => r.jobId, pool_reward: (r) => r.poolReward, winning: (r) => r.winningOprs, graded: (r) => r.gradedOprs,
      pool_fee: (r) => r.poolFee, dust: (r) => r.dust, pool_difficulty: (r) => r.poolDifficulty, total_hashrate: (r) => r.totalHashrate,
    }),
    submissions: async (q, jobId) => pageOf(jobId === 0 ? this.submissionRows : this.submissionRows.filter((s) => s.jobId === jobId), q, {
      id: (s) => s.id, job_id: (s) => s.jobId, target: (s) => s.target, created_at: (s) => s.createdAt,
    }),
    blocks: async (q) => pageOf(this.blockRows, q, { height: (b) => b.height, won: (b) => b.won, reward: (b) => b.reward }),
  };

  override readonly users: WebUserData = {
    ...this.liveUsers(),
    miners: async (userId, email): Promise<MinerView[]> => {
      const open = await this.openMiners(userId, email);
      const names = new Set([...this.minerState.values()].filter((m) => m.userId === userId).map((m) => m.name));
      for (const name of open) names.add(name);
      return [...names].sort((a, b) => a.localeCompare(b)).map((name) => this.minerView(userId, name, open));
    },
    balance: async (userId) => {
      const user = [...this.usersByEmail.values()].find((u) => u.id === userId);
      return { ...this.balanceOf(userId), payoutAddress: user?.payoutAddress ?? '' };
    },
    earnings: async (userId, q) => pageOf(this.earningRows.get(userId) ?? [], q, { job_id: (e) => e.jobId, amount: (e) => e.amount }),
    payouts: async (userId) => [...(this.payoutRows.get(userId) ?? [])].reverse(),
  };

  override readonly admin: WebAdminData = {
    ...this.liveAdmin(),
    users: async (): Promise<UserAdminView[]> => [...this.usersByEmail.values()].map((u) => ({
      id: u.id, email: u.email, role: u.role, payoutAddress: u.payoutAddress, createdAt: u.createdAt, balance: this.balanceOf(u.id), hashrate: this.figureOf(u.id),
    })),
    inviteCodes: async () => this.invites.map((i) => ({ ...i })),
    createInviteCodes: async (count) => {
      const codes = Array.from({ length: count }, () => generateInviteCode(this.opts.randomBytes));
      for (const code of codes) this.invites.push({ code, createdAt: new Date(this.now()), claimedBy: null, claimedAt: null });
      return codes;
    },
    payoutBatches: async () => [...this.batches].reverse(),
  };
}

function publicUser(u: MemUser): WebUser {
  return { id: u.id, email: u.email, role: u.role, payoutAddress: u.payoutAddress };
}
