import { DEFAULT_HASHRATE_WINDOW_SECONDS } from '../accounting/index.js';
import { hashPassword, verifyPassword, type AuthService, type ScryptCost } from '../auth/index.js';
import { ProsperError } from '../errors.js';
import type { BalanceRow, SqlDatabase, Store, UserRecord } from '../store/index.js';
import type { LiveState } from './live-state.js';
import type { SiteInfo } from './ports-site.js';
import { createSiteData } from './site-data.js';
import { createSiteSql } from './site-sql.js';
import type { WebAccounts, WebAdminData, WebPoolData, WebPorts, WebUser, WebUserData } from './ports.js';

export interface StoreWebDataOptions {
  store: Store;
  auth: AuthService;
  /** The pool's history read from its tables (paged in SQL); without it the lists are empty. */
  history?: WebHistoryData;
  /** The engine's live state: job, network figures, hashrate snapshots, connections, bans. */
  live: LiveState;
  now: () => number;
  /** The pool's database, for the site's blocks, payments and network pages. */
  siteDb?: SqlDatabase;
  /** The pool's terms for the start page. */
  info?: SiteInfo;
  /** The figures' window, for idle figures before the first snapshot. */
  hashrateWindowSeconds?: number;
  scryptCost?: ScryptCost;
  /** The pool's ppsfee under scheme pps (accounting accruingFee): balances then show open jobs accruing. */
  accruingFeeE8?: bigint | null;
}

function toWebUser(u: UserRecord): WebUser {
  return { id: u.id, email: u.email, role: u.role, payoutAddress: u.payoutAddress };
}

/**
 * The web ports over the real Store and AuthService: accounts, miners, balances, users and
 * invite codes and the history lists come from the database; what it does not keep (the live
 * job, hashrate snapshots, connected miners, bans, the live feed) comes from the live state.
 */
/** The history lists the web pages through (the pool's tables: store/web-history-sql.ts). */
export type WebHistoryData = Pick<WebPoolData, 'blocks' | 'rewards' | 'submissions'> & Pick<WebUserData, 'earnings'>;

const nothing = async () => ({ data: [], total: 0 });
/** No database of the pool's history at hand (tests of the accounts alone). */
const NO_HISTORY: WebHistoryData = { blocks: nothing, rewards: nothing, submissions: nothing, earnings: nothing };

/** The newest payout batches the web lists. */
const PAYOUT_BATCHES_SHOWN = 200;

export function createStoreWebData(opts: StoreWebDataOptions): WebPorts {
  const { store, auth, live } = opts;
  const history = opts.history ?? NO_HISTORY;
  const balanceView = (b: BalanceRow | undefined) => ({ earned: b?.earned ?? 0n, paid: b?.paid ?? 0n, pending: b?.pending ?? 0n, owed: b?.owed ?? 0n, accruing: b?.accruing ?? 0n });
  const readBalances = () => store.balances(opts.accruingFeeE8 ?? null);

  const accounts: WebAccounts = {
    async login(email, password) {
      const user = await auth.login(email, password);
      return user ? toWebUser(user) : null;
    },
    async findUser(email) {
      const user = await store.findUserByEmail(email);
      return user ? toWebUser(user) : null;
    },
    async changePassword(email, current, next) {
      const user = await store.findUserByEmail(email);
      if (!user || !(await verifyPassword(current, user.passwordHash))) {
        throw new ProsperError('PROSPER_E_WEB_PASSWORD', 'current password is wrong');
      }
      await store.setPasswordHash(user.id, await hashPassword(next, { cost: opts.scryptCost }));
    },
    setPayoutAddress: (userId, address) => auth.setPayoutAddress(userId, address),
  };

  const users: WebUserData = {
    // Every miner the store knows (it survives restarts), with the live figures and sessions.
    async miners(userId, email) {
      const [known, open] = await Promise.all([store.listMiners(userId), live.openMiners(userId, email)]);
      const names = new Set(known.map((m) => m.name));
      const views = known.map((m) => live.minerView(userId, m.name, open, m));
      for (const name of open) if (!names.has(name)) views.push(live.minerView(userId, name, open));
      return views;
    },
    hashrate: (userId) => live.users.hashrate(userId),
    async balance(userId) {
      const row = (await readBalances()).find((b) => b.userId === userId);
      return { ...balanceView(row), payoutAddress: row?.payoutAddress ?? '' };
    },
    earnings: (userId, q) => history.earnings(userId, q),
    // Payout batches are made and recorded by `prosper-pool db` (another process): read the store.
    async payouts(userId) {
      const batches = await store.listPayoutBatches(PAYOUT_BATCHES_SHOWN);
      return batches.flatMap((b) => b.items.filter((i) => i.userId === userId).map((i) => ({
        batchId: b.id, status: b.status, amount: i.amount, address: i.address, createdAt: b.createdAt, entryHash: b.entryHash,
      })));
    },
  };

  const admin: WebAdminData = {
    connectedMiners: () => live.admin.connectedMiners(),
    async users() {
      const [list, balances] = await Promise.all([auth.listUsers(), readBalances()]);
      const byId = new Map(balances.map((b) => [b.userId, b]));
      return Promise.all(list.map(async (u) => ({
        id: u.id, email: u.email, role: u.role, payoutAddress: u.payoutAddress, createdAt: u.createdAt, balance: balanceView(byId.get(u.id)), hashrate: await live.users.hashrate(u.id),
      })));
    },
    inviteCodes: () => auth.listInviteCodes(),
    createInviteCodes: (count) => auth.createInviteCodes(count),
    bans: () => live.admin.bans(),
    edges: () => live.admin.edges(),
    async payoutBatches() {
      const batches = await store.listPayoutBatches(PAYOUT_BATCHES_SHOWN);
      return batches.map((b) => ({
        id: b.id, status: b.status, createdAt: b.createdAt, entryHash: b.entryHash,
        total: b.items.reduce((sum, i) => sum + i.amount, 0n), items: b.items.length,
      }));
    },
  };

  const pool: WebPoolData = { ...live.pool, blocks: history.blocks, rewards: history.rewards, submissions: history.submissions };
  const site = {
    ...createSiteData(store, () => live.latestRates(), () => opts.hashrateWindowSeconds ?? DEFAULT_HASHRATE_WINDOW_SECONDS),
    sql: opts.siteDb ? createSiteSql(opts.siteDb) : undefined, info: opts.info,
  };
  return { accounts, users, admin, pool, events: live.events, site };
}
