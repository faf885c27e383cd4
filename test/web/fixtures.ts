import { hashratesFromWork } from '../../src/accounting/index.js';
import { type ShareWindow } from '../../src/web/index.js';
import { MemoryWebData } from '../helpers/memory-web-data.js';
import { FAST_SCRYPT } from './helpers.js';

export const T0 = Date.parse('2026-11-24T00:00:00Z');
/** A valid public Factoid address (the seed's example coinbase). */
export const FA_ADDRESS = 'FA2jK2HcLnRdS94dEcU27rF3meoJfpUcZPSinpb7AwQvPRY6RL1Q';

/**
 * A snapshot of the figures through the real estimator: each miner's `hashrate` H/s becomes the
 * credit that gives exactly that value over the window, from `shares` shares.
 */
export function figuresWindow(at: number, accepted: number, rejected: number, miners: { userId: bigint; miner: string; hashrate: number; shares: number }[], windowSeconds = 600): ShareWindow {
  const rows = miners.map((m) => ({ userId: m.userId, miner: m.miner, credit: BigInt(Math.round(m.hashrate * windowSeconds)), shares: BigInt(m.shares), lastShare: new Date(at - 1000) }));
  return { accepted, rejected, rates: hashratesFromWork(rows, windowSeconds, at) };
}

/** A clock tests move by hand. */
export function manualClock(start = T0) {
  let t = start;
  return { now: () => t, advance: (ms: number) => { t += ms; } };
}

/**
 * A pool with real recorded history: two users and an admin, 210 settled jobs, submissions
 * for two jobs (one blocked), 30 blocks, and a few share windows.
 */
export async function seededPool(now: () => number) {
  const data = new MemoryWebData({ now, scryptCost: FAST_SCRYPT });
  const alice = await data.addUser('alice@example.com', 'alice-password');
  const bob = await data.addUser('bob@example.com', 'bob-password');
  const admin = await data.addUser('admin@example.com', 'admin-password', 'admin');
  for (let j = 1; j <= 210; j++) {
    data.recordReward(
      { jobId: 1000 + j, poolReward: 2_400_000_000_00n + BigInt(j), winningOprs: j % 3, gradedOprs: 15, poolFeeRate: '0.05',
        poolFee: 120_000_000_00n, dust: BigInt(j % 7), poolDifficulty: j * 1.5, totalHashrate: 1000 + j },
      [{ userId: alice.id, credit: 3n, amount: 1_000n * BigInt(j) }, { userId: bob.id, credit: 1n, amount: 10n }],
    );
  }
  data.recordSubmission({ jobId: 1001, email: alice.email, miner: 'rig1', oprHash: 'ab'.repeat(32), nonce: '0102', target: 0xfffff00000000001n,
    entryHash: 'e1'.repeat(32), commitTxId: 'c1'.repeat(32), blocked: false, createdAt: new Date(T0) });
  data.recordSubmission({ jobId: 1001, email: bob.email, miner: 'x', oprHash: '', nonce: '', target: 0n,
    entryHash: '', commitTxId: '', blocked: true, createdAt: new Date(T0 + 1000) });
  data.recordSubmission({ jobId: 1002, email: alice.email, miner: 'rig1', oprHash: 'cd'.repeat(32), nonce: '03', target: 0xffffff0000000000n,
    entryHash: 'e2'.repeat(32), commitTxId: 'c2'.repeat(32), blocked: false, createdAt: new Date(T0 + 2000) });
  for (let h = 1; h <= 30; h++) data.recordBlock({ height: 200_000 + h, graded: true, won: h % 4 === 0 ? 2 : 0, reward: h % 4 === 0 ? 400_000_000n : 0n, time: new Date(T0 + h * 600_000) });
  data.setJob({ jobId: 200_031, height: 200_031, startedAt: new Date(T0) });
  data.setNetwork({ networkDifficulty: 0xfffffe0000000000n, ema: 0xfffff80000000000n, ecBalance: 12345n, syncHeight: 200_030 });
  data.setSubmitSync({ submitting: true, submitHeight: 200_031, syncing: false, lastNonZero: 200_029 });
  data.connect({ sessionId: 's1', email: alice.email, miner: 'rig1', agent: 'prosper-miner/0.1', ip: '10.0.0.7', authorized: true, subscribed: true, target: 0xfffff00000000000n, nonce: 7 }, alice.id);
  data.recordShareWindow(figuresWindow(T0 - 20_000, 9, 1, [{ userId: alice.id, miner: 'rig1', hashrate: 4000, shares: 8 }, { userId: bob.id, miner: 'x', hashrate: 1000, shares: 1 }]));
  data.recordShareWindow(figuresWindow(T0 - 10_000, 10, 0, [{ userId: alice.id, miner: 'rig1', hashrate: 6000, shares: 10 }]));
  data.ban({ ip: '10.9.9.9', reason: 'flood', until: new Date(T0 + 86_400_000) });
  return { data, alice, bob, admin };
}
