/**
 * The real share path for the figures tests: real TCP connections to the real Stratum server,
 * real proofs on a real worker thread (10-bit LXRHash table), the engine's ShareRouter into the
 * real share ledger and store (PGlite), and the accountant every surface reads its figures from.
 * Time is an injected clock, so simulated Poisson arrival times are exact and no test waits on
 * the wall clock.
 */
import assert from 'node:assert/strict';
import { createAccountant, createShareLedger, type Accountant, type ShareLedger } from '../../../src/accounting/index.js';
import { createAuthService } from '../../../src/auth/index.js';
import { silentLogger } from '../../../src/log.js';
import { createPoolBus, ShareRouter } from '../../../src/pool/index.js';
import { StratumServer } from '../../../src/stratum/server.js';
import type { StratumAuthorizer } from '../../../src/stratum/index.js';
import { SubmissionGate } from '../../../src/submit/index.js';
import { createShareValidator, type ShareValidatorEngine } from '../../../src/validation/validator.js';
import { openTestStore, type TestStore } from '../../store/test-backends.js';
import { FakeClock, findShare, hex, prefixOf, RawClient, smallTable } from '../../stratum/helpers/server.js';

const FA = 'FA2jK2HcLnRdS94dEcU27rF3meoJfpUcZPSinpb7AwQvPRY6RL1Q';

export interface RealPath {
  t: TestStore;
  ledger: ShareLedger;
  server: StratumServer;
  validator: ShareValidatorEngine;
  clock: FakeClock;
  port: number;
  /** The accountant the pool's figures come from (the web, the API and /metrics read its snapshot). */
  accountant: Accountant;
  /** User id by email. */
  users: Map<string, bigint>;
  close(): Promise<void>;
}

/** Starts the path with one account per email (password 'pw'), every miner assigned `target`. */
export async function startRealPath(emails: readonly string[], target: bigint): Promise<RealPath> {
  const clock = new FakeClock(1_800_000_000_000);
  const t = await openTestStore('pglite');
  const ledger = createShareLedger({ store: t.store, now: clock.now, flushIntervalMs: 1, maxBatch: 1 });
  const auth = createAuthService({ store: t.store, now: clock.now, scryptCost: { logN: 10, r: 8, p: 1 } });
  const authorizer: StratumAuthorizer = {
    authorize: async (req) => {
      const r = await auth.authorizeMiner({ username: req.username, minerId: req.minerId, password: req.password, inviteCode: req.inviteCode, payoutAddress: req.payoutAddress });
      return r.ok ? { ok: true, userId: r.userId.toString() } : { ok: false, reason: r.reason };
    },
  };
  const codes = await auth.createInviteCodes(emails.length);
  for (const [i, email] of emails.entries()) {
    assert.ok((await auth.authorizeMiner({ username: email, minerId: 'setup', password: 'pw', inviteCode: codes[i]!, payoutAddress: FA })).ok);
  }
  // batchSize / maxBatch 1: a simulated share is acknowledged before the clock moves on, so batching would only wait.
  // softmax 0: no share is a submission candidate, so the router only credits (the entry writer is never reached).
  const validator = createShareValidator({ table: smallTable(), workers: 1, softmax: 0, batchSize: 1 });
  const router = new ShareRouter({
    ledger, gate: new SubmissionGate({ emaN: 10, cutoff: 25 }), oprChainId: new Uint8Array(32), logger: silentLogger(), jobOf: () => undefined, bus: createPoolBus(silentLogger()),
    writer: { submit: () => assert.fail('no share of these tests is submitted') },
  });
  const server = new StratumServer(
    { host: '127.0.0.1', port: 0, sweepIntervalMs: 0, initialTarget: target, welcomeMessage: '', vardiff: { enabled: false, minTarget: 0n } },
    { validator, authorizer, now: clock.now, sink: router },
  );
  const port = (await server.listen()).port;
  const users = new Map((await t.store.listUsers()).map((u) => [u.email, u.id]));
  const accountant = createAccountant({ store: t.store, ledger, feeRateE8: 0n, now: clock.now });
  return {
    t, ledger, server, validator, clock, port, accountant, users,
    async close() {
      await server.close();
      await validator.close();
      await ledger.close();
      await t.dispose();
    },
  };
}

/** A simulated miner: an account, a miner name, and its true rate in shares per second at the assigned target. */
export interface Sim {
  email: string;
  miner: string;
  sharesPerSecond: number;
}

/** One open Stratum session of a simulated miner. */
export class SimConnection {
  private scanned = 0;
  /** Replies read off the wire and not yet claimed, by request id (two shares of one millisecond may be in flight). */
  private readonly replies = new Map<number, any>();
  private nextId = 10;
  private counter = 0;
  accepted = 0;

  /** The nonce prefix the server gave this session at subscribe. */
  private prefix: Uint8Array = new Uint8Array();

  private constructor(readonly sim: Sim, private readonly c: RawClient) {}

  /** Connects, subscribes and authorizes. */
  static async open(port: number, sim: Sim): Promise<SimConnection> {
    const c = await RawClient.connect(port);
    c.send('{"id":1,"method":"mining.subscribe","params":["sim/1.0"]}\n');
    const conn = new SimConnection(sim, c);
    conn.prefix = prefixOf(Number((await conn.reply(1)).result[2].id));
    c.send(JSON.stringify({ id: 2, method: 'mining.authorize', params: [`${sim.email},${sim.miner}`, 'pw'] }) + '\n');
    assert.equal((await conn.reply(2)).result, true);
    return conn;
  }

  /** The reply to request `id` (notifications and other replies are skipped). */
  private async reply(id: number): Promise<any> {
    for (;;) {
      for (; this.scanned < this.c.lines.length; this.scanned++) {
        const m = JSON.parse(this.c.lines[this.scanned]!);
        if (m.method === undefined) this.replies.set(m.id, m);
      }
      const m = this.replies.get(id);
      if (m) {
        this.replies.delete(id);
        return m;
      }
      await this.c.waitLines(this.scanned + 1, 120_000);
    }
  }

  /** Finds a real share at the assigned target (grinding the LXRHash) and submits it; resolves once acknowledged. */
  async submit(opr: Uint8Array, jobId: number, target: bigint): Promise<void> {
    const share = findShare(opr, this.prefix, target, this.counter);
    this.counter = share.counter + 1;
    const id = this.nextId++;
    this.c.send(JSON.stringify({ id, method: 'mining.submit', params: [this.sim.email, String(jobId), hex(share.nonce), hex(opr), share.target.toString(16)] }) + '\n');
    const r = await this.reply(id);
    assert.equal(r.result, true, JSON.stringify(r));
    this.accepted++;
  }

  close(): void {
    this.c.close();
  }
}

/** Exponential gaps of a Poisson stream of `rate` per second: the arrival times in [0, seconds). */
export function poissonArrivals(rate: number, seconds: number, random: () => number): number[] {
  const out: number[] = [];
  for (let at = -Math.log(1 - random()) / rate; at < seconds; at += -Math.log(1 - random()) / rate) out.push(at);
  return out;
}

/**
 * Mines one window of `seconds` that starts at the clock's current time: every connection
 * submits a real share at each arrival of its own Poisson stream, with the clock set to that
 * arrival (to the millisecond, rounded up so every share of the window falls in
 * (start, start + seconds]). Shares of one millisecond go out together. Returns each
 * connection's share count in the window; the clock ends at the window's end.
 */
export async function mineWindow(
  path: RealPath, conns: readonly SimConnection[], seconds: number, random: () => number, job: { opr: Uint8Array; id: number; target: bigint },
): Promise<number[]> {
  const start = path.clock.t;
  const byMs = new Map<number, SimConnection[]>();
  const counts = conns.map((c) => {
    const arrivals = poissonArrivals(c.sim.sharesPerSecond, seconds, random);
    for (const at of arrivals) {
      const ms = Math.max(1, Math.ceil(at * 1000));
      byMs.set(ms, [...(byMs.get(ms) ?? []), c]);
    }
    return arrivals.length;
  });
  for (const ms of [...byMs.keys()].sort((a, b) => a - b)) {
    path.clock.t = start + ms;
    await Promise.all(byMs.get(ms)!.map((c) => c.submit(job.opr, job.id, job.target)));
  }
  path.clock.t = start + seconds * 1000;
  return counts;
}
