/**
 * What the public site needs beyond the dashboard's ports: the hashrate history kept in the
 * store (charts that span restarts) and public handles. Implemented over the Store
 * (site-data.ts); a server without it answers these routes with PROSPER_E_WEB_UNSUPPORTED.
 */
import type { HashrateFigure } from '../accounting/index.js';
import type { SiteSql } from './site-sql.js';

/** The chart ranges the history API offers, each with the step between two points. */
export const HISTORY_RANGES = {
  '1h': { seconds: 3600, stepSeconds: 60 },
  '24h': { seconds: 86400, stepSeconds: 300 },
  '7d': { seconds: 7 * 86400, stepSeconds: 1800 },
  '30d': { seconds: 30 * 86400, stepSeconds: 7200 },
} as const;
export type HistoryRange = keyof typeof HISTORY_RANGES;

/** One point of a history chart: a figure the pool showed at `t` (unix ms). */
export interface HistoryPointView {
  t: number;
  /** The estimator's value and 95 % band, H/s. */
  hashrate: number;
  low: number;
  high: number;
  /** Accepted shares in the figure's window. */
  shares: number;
  /** Miners with shares in the window. */
  workers: number;
}

export interface HistorySpan {
  sinceMs: number;
  stepSeconds: number;
}

/** One row of the public leaderboard. */
export interface LeaderRow {
  handle: string;
  hashrate: HashrateFigure;
  /** Miners with shares in the hashrate window. */
  workers: number;
  /** Unix ms of the newest accepted share in the window; null when idle. */
  lastShareAt: number | null;
}

export interface WebSiteData {
  poolHistory(span: HistorySpan): Promise<HistoryPointView[]>;
  /** The user's total, or one miner's when `miner` is given. */
  userHistory(userId: bigint, span: HistorySpan, miner?: string): Promise<HistoryPointView[]>;
  /** The email only finds the user's sessions; it is never shown. */
  findHandle(handle: string): Promise<{ userId: bigint; handle: string; email: string } | null>;
  handleOf(userId: bigint): Promise<string | null>;
  /** null clears the handle. */
  setHandle(userId: bigint, handle: string | null): Promise<'set' | 'taken' | 'no-user'>;
  /** Users with a public handle, by hashrate (highest first). */
  leaderboard(): Promise<LeaderRow[]>;
  /** Blocks, payments and network from the pool's tables (absent where the web has no pool database). */
  sql?: SiteSql;
  info?: SiteInfo;
}

/** What a newcomer needs to start: from the pool's config. */
export interface SiteInfo {
  /** The fee of the scheme in force, a decimal fraction, e.g. "0.05". */
  feeRate: string;
  /** `[accounting] scheme`: prop, pplns or pps. */
  scheme: string;
  /** How rewards are shared, in words. */
  schemeText: string;
  /** `[accounting] minpayout`: the smallest balance paid, PEG (a user may set a higher one). */
  minPayout: string;
  /** The Stratum port miners connect to (0: the pool runs no Stratum server here). */
  stratumPort: number;
  /** The Stratum over TLS port (0: none; `[stratum] tlscert` and `tlskey` turn it on). */
  tlsPort: number;
}

