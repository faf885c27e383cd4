// Issue 16, Stratum door: mining.authorize shares the web login's failed-attempt limit (one
// guard), adds ban points for wrong passwords, bounds the password hashes one IP can cost,
// refuses control characters and invalid UTF-8 with a proper reply, and answers a clear
// "try again" while the user store is unreachable, logging that once per outage.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { createAuthService, LoginGuard, stratumAuthorizer, type AuthService } from '../../src/auth/index.js';
import { stratumReplyFor } from '../../src/errors.js';
import { memoryLog } from '../helpers/memory-log.js';
import { RpcErrors } from '../../src/stratum/protocol.js';
import { createSqlStore, openPostgres, type SqlDatabase, type Store } from '../../src/store/index.js';
import { createStoreWebData, parseWebConfig, startWebServer } from '../../src/web/index.js';
import { MemoryWebData } from '../helpers/memory-web-data.js';
import { disposeDb, freshSchema, openTestStore, PG, type TestStore } from '../store/test-backends.js';
import { RawClient, startServer, until } from './helpers/server.js';

const FA = 'FA2jK2HcLnRdS94dEcU27rF3meoJfpUcZPSinpb7AwQvPRY6RL1Q';
const FAST = { logN: 10, r: 8, p: 1 };
const SECRET = 'authorize-guard-test-secret-'.padEnd(48, 'x');

/** The reply to request `id` (or null when the connection closed without one). */
async function replyTo(c: RawClient, id: number, ms = 120_000): Promise<any | null> {
  const find = () => c.lines.map((l) => JSON.parse(l)).find((m) => m.id === id && m.method === undefined);
  await until(`reply ${id}`, () => find() !== undefined || c.closed, ms);
  return find() ?? null;
}

function authorizeLine(id: number, user: string, password: string, invite = '', address = ''): string {
  return JSON.stringify({ id, method: 'mining.authorize', params: [`${user},rig`, password, invite, address] }) + '\n';
}

async function register(auth: AuthService, email: string, password: string): Promise<void> {
  const [code] = await auth.createInviteCodes(1);
  const r = await auth.authorizeMiner({ username: email, minerId: 'setup', password, inviteCode: code, payoutAddress: FA, ip: 'setup' });
  if (!r.ok) assert.fail(`registration refused: ${r.code} ${r.reason}`);
}

describe('authorize against the real store (PostgreSQL)', () => {
  let t: TestStore;
  before(async () => {
    t = await openTestStore('postgres', 10);
  });
  after(async () => {
    await t.dispose();
  });

  test('30 wrong passwords then the right one on one connection: refused past the limit, banned, and the web login is held back too', async () => {
    const guard = new LoginGuard({ maxFailures: 5, windowSeconds: 900 });
    const auth = createAuthService({ store: t.store, now: Date.now, scryptCost: FAST, guard });
    await register(auth, 'guessed@example.com', 'the-right-password');
    const f = await startServer({}, { authorizer: stratumAuthorizer(auth) });
    const web = await startWebServer({
      config: parseWebConfig({ host: '127.0.0.1', port: 0, sessionsecret: SECRET }, {}),
      ports: createStoreWebData({ store: t.store, auth, live: new MemoryWebData({ now: Date.now }), now: Date.now }),
      loginGuard: guard,
    });
    try {
      const c = await RawClient.connect(f.port);
      c.send('{"id":1,"method":"mining.subscribe","params":["x"]}\n');
      await c.waitLines(2);
      const codes: string[] = [];
      for (let i = 0; i < 30 && !c.closed; i++) {
        c.send(authorizeLine(100 + i, 'guessed@example.com', `guess-${i}`));
        const r = await replyTo(c, 100 + i);
        if (r === null) break;
        assert.equal(r.error.message, 'ErrorUnauthorized', JSON.stringify(r));
        codes.push(String(r.error.data).split(':')[0]!);
      }
      let authorized = false;
      if (!c.closed) {
        c.send(authorizeLine(200, 'guessed@example.com', 'the-right-password'));
        const r = await replyTo(c, 200);
        authorized = r?.result === true;
      }
      assert.equal(authorized, false, 'the right password is refused past the limit');
      assert.equal(codes.filter((x) => x === 'PROSPER_E_AUTH_PASSWORD').length, 5, codes.join(','));
      assert.ok(codes.slice(5).length > 0 && codes.slice(5).every((x) => x === 'PROSPER_E_AUTH_RATE_LIMIT'), codes.join(','));
      assert.ok(f.server.isBanned('127.0.0.1'), 'wrong passwords and refused guesses add ban points');
      await c.waitClose(60_000);
      // One limiter for both doors: the web login of that account is held back as well.
      const res = await fetch(`http://127.0.0.1:${web.port}/api/login`, {
        method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ email: 'guessed@example.com', password: 'the-right-password' }),
      });
      assert.equal(res.status, 429);
      assert.equal(((await res.json()) as { error: { code: string } }).error.code, 'PROSPER_E_AUTH_RATE_LIMIT');
    } finally {
      web.close();
      await f.close();
    }
  });

  test('a flood of logins from one IP does not stop another IP logging in (scrypt at full cost)', async () => {
    const guard = new LoginGuard({ maxFailures: 5, windowSeconds: 900, hashConcurrency: 2, hashesPerIp: 4 });
    const auth = createAuthService({ store: t.store, now: Date.now, guard });
    await register(auth, 'flood@example.com', 'flood-password');
    await register(auth, 'quiet@example.com', 'quiet-password');
    const f = await startServer({}, { authorizer: stratumAuthorizer(auth) });
    try {
      // The flooder knows a valid password (its own account), so no failure limit applies: only the hash bounds.
      const flood = await Promise.all(Array.from({ length: 40 }, () => RawClient.connect(f.port, '127.0.0.2')));
      const answered: string[] = [];
      const floodReplies = flood.map(async (c): Promise<any> => {
        c.send(authorizeLine(1, 'flood@example.com', 'flood-password'));
        const r = await replyTo(c, 1);
        answered.push(r?.result === true ? 'flood-ok' : `flood-${r?.error?.message}`);
        return r;
      });
      await until('the flood to hold the hash slots', () => guard.hashLoad.running > 0);
      const quiet = await RawClient.connect(f.port, '127.0.0.3');
      quiet.send(authorizeLine(1, 'quiet@example.com', 'quiet-password'));
      const q = await replyTo(quiet, 1);
      answered.push('quiet');
      assert.equal(q?.result, true, JSON.stringify(q));
      const replies = await Promise.all(floodReplies);
      const busy = replies.filter((r) => r?.error?.message === 'ErrorBusy');
      assert.ok(busy.length > 0, 'the flooding IP is refused beyond its hash bound');
      for (const r of busy) assert.match(r.error.data, /^PROSPER_E_AUTH_BUSY: /);
      const floodOkBeforeQuiet = answered.slice(0, answered.indexOf('quiet')).filter((a) => a === 'flood-ok').length;
      // Round-robin: the quiet login waits for the hashes already running and about one more turn of
      // the flood (a margin for a loaded machine), not for the whole flood (40 without the gate).
      assert.ok(floodOkBeforeQuiet <= 8, `the quiet IP waited behind ${floodOkBeforeQuiet} of the flood's hashes (${answered.join(',')})`);
      assert.equal(f.server.isBanned('127.0.0.3'), false);
      for (const c of [...flood, quiet]) c.close();
    } finally {
      await f.close();
    }
  });

  test('a farm of rigs behind one address reconnecting at once with the right password: told to retry, never refused or banned', async () => {
    const guard = new LoginGuard({ maxFailures: 5, windowSeconds: 900, hashConcurrency: 2, hashesPerIp: 4 });
    // Full-cost scrypt, so the rigs' checks overlap as they do in production.
    const auth = createAuthService({ store: t.store, now: Date.now, guard });
    await register(auth, 'farm@example.com', 'farm-password');
    const f = await startServer({}, { authorizer: stratumAuthorizer(auth) });
    try {
      // One rig of the farm was misconfigured earlier: two failures of the address's five are used.
      const odd = await RawClient.connect(f.port, '127.0.0.4');
      for (const id of [1, 2]) {
        odd.send(authorizeLine(id, 'farm@example.com', 'an-old-password'));
        assert.match((await replyTo(odd, id)).error.data, /^PROSPER_E_AUTH_PASSWORD/);
      }
      odd.close();
      const rigs = await Promise.all(Array.from({ length: 20 }, () => RawClient.connect(f.port, '127.0.0.4')));
      const kinds: string[] = [];
      await Promise.all(rigs.map(async (c) => {
        for (let id = 1; ; id++) {
          c.send(authorizeLine(id, 'farm@example.com', 'farm-password'));
          const r = await replyTo(c, id);
          if (r?.result === true) return;
          kinds.push(r?.error?.message ?? 'closed');
          if (r?.error?.message !== 'ErrorBusy') return;
          await new Promise((res) => setTimeout(res, 20));
        }
      }));
      assert.ok(kinds.every((k) => k === 'ErrorBusy'), kinds.join(','));
      assert.ok(kinds.length > 0, 'some rigs had to wait their turn');
      assert.equal(f.server.listSessions().filter((s) => s.authorized).length, 20);
      assert.equal(f.server.isBanned('127.0.0.4'), false);
      for (const c of rigs) c.close();
    } finally {
      await f.close();
    }
  });

  test('control characters and invalid UTF-8 get a coded InvalidParams or ParseError reply, never an internal error', async () => {
    const auth = createAuthService({ store: t.store, now: Date.now, scryptCost: FAST });
    const [code] = await auth.createInviteCodes(1);
    const f = await startServer({}, { authorizer: stratumAuthorizer(auth) });
    try {
      const c = await RawClient.connect(f.port);
      const bad = [
        ['user@example.com\u0000', 'pw-123456', code, FA],
        ['user@example.com', 'pw-\u0000123456', code, FA],
        ['user@example.com', 'pw-123456', `${code}\u0007`, FA],
        ['user@example.com', 'pw-123456', code, `${FA}\u0085`],
        ['user@example.com\ud800', 'pw-123456', code, FA],
      ];
      let id = 10;
      for (const [user, pw, invite, address] of bad) {
        c.send(authorizeLine(id, user!, pw!, invite, address));
        const r = await replyTo(c, id++);
        assert.equal(r?.error?.message, 'ErrorInvalidParams', JSON.stringify(r));
        assert.match(r.error.data, /^PROSPER_E_AUTH_TEXT: /);
      }
      c.send(JSON.stringify({ id: 20, method: 'mining.authorize', params: ['user@example.com,bad\u0001rig', 'pw-123456', code, FA] }) + '\n');
      assert.match((await replyTo(c, 20)).error.data, /^PROSPER_E_AUTH_TEXT: miner id/);
      // Invalid UTF-8 bytes on the raw socket: a ParseError reply, and the connection goes on.
      c.socket.write(Buffer.concat([Buffer.from('{"id":21,"method":"mining.authorize","params":["user@example.com'), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from(',rig","pw"]}\n')]));
      await until('the ParseError reply', () => c.lines.some((l) => l.includes('invalid UTF-8')));
      assert.equal(JSON.parse(c.lines.find((l) => l.includes('invalid UTF-8'))!).error.message, 'ErrorParseError');
      c.send(authorizeLine(22, 'user@example.com', 'pw-123456', code, FA));
      assert.equal((await replyTo(c, 22)).result, true, 'a clean registration still works; nothing was claimed before');
      c.close();
      // The same check behind the door, for authorizations relayed from an edge.
      const direct = await auth.authorizeMiner({ username: 'other@example.com\u0000', minerId: 'x', password: 'pw', ip: '10.0.0.1' });
      assert.equal(direct.ok ? '' : direct.code, 'PROSPER_E_AUTH_TEXT');
    } finally {
      await f.close();
    }
  });

  test('unusable text, caught by the Stratum handler or by the account service behind it, gets the reply kind the registry gives PROSPER_E_AUTH_TEXT', async () => {
    const auth = createAuthService({ store: t.store, now: Date.now, scryptCost: FAST });
    const [code] = await auth.createInviteCodes(1);
    const f = await startServer({}, { authorizer: stratumAuthorizer(auth) });
    const expected = RpcErrors[stratumReplyFor('PROSPER_E_AUTH_TEXT')];
    try {
      const c = await RawClient.connect(f.port);
      // A control character: refused by the handler before the authorizer is asked.
      c.send(authorizeLine(1, 'text@example.com', 'pw-\u0001-123456', code, FA));
      // An invite code the line allows (under 1024) but the account service does not (128): the
      // refusal comes back from the authorizer with its code.
      c.send(authorizeLine(2, 'text@example.com', 'pw-123456', 'x'.repeat(200), FA));
      for (const id of [1, 2]) {
        const r = await replyTo(c, id);
        assert.equal(r?.error?.code, expected.code, JSON.stringify(r));
        assert.equal(r.error.message, expected.message);
        assert.match(r.error.data, /^PROSPER_E_AUTH_TEXT: /);
      }
      // A refusal the registry calls Unauthorized stays Unauthorized (an unknown user, no invite).
      c.send(authorizeLine(3, 'nobody@example.com', 'pw-123456'));
      const refused = await replyTo(c, 3);
      assert.equal(refused?.error?.message, RpcErrors[stratumReplyFor('PROSPER_E_AUTH_UNKNOWN_USER')].message);
      assert.equal(refused.error.message, 'ErrorUnauthorized');
      assert.match(refused.error.data, /^PROSPER_E_AUTH_UNKNOWN_USER: /);
      c.close();
    } finally {
      await f.close();
    }
  });
});

/** A TCP relay in front of PostgreSQL that the test can take down (refusing connections) and bring back. */
class PgRelay {
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();
  port = 0;

  async up(): Promise<void> {
    const server = createServer((client) => {
      const upstream = connect({ host: PG.host, port: PG.port });
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => (s === client ? upstream : client).destroy());
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.port = (server.address() as { port: number }).port;
    this.server = server;
  }

  async down(): Promise<void> {
    const server = this.server;
    this.server = null;
    for (const s of this.sockets) s.destroy();
    if (server) await new Promise<void>((r) => server.close(() => r()));
  }
}

test('PostgreSQL unreachable: authorize answers a retryable Busy, logged once per outage at warn, and works again when it is back', async () => {
  const relay = new PgRelay();
  await relay.up();
  const schema = freshSchema();
  let db: SqlDatabase | undefined;
  const log = memoryLog();
  const f = await startServer({}, { authorizer: { authorize: async () => ({ ok: false, reason: 'not yet' }) }, logger: log.logger });
  try {
    db = await openPostgres({ ...PG, port: relay.port, schema, maxConnections: 4 });
    const store: Store = await createSqlStore(db);
    const auth = createAuthService({ store, now: Date.now, scryptCost: FAST, log: log.logger });
    await register(auth, 'outage@example.com', 'outage-password');
    const s = await startServer({}, { authorizer: stratumAuthorizer(auth), logger: log.logger });
    const web = await startWebServer({
      config: parseWebConfig({ host: '127.0.0.1', port: 0, sessionsecret: SECRET }, {}),
      ports: createStoreWebData({ store, auth, live: new MemoryWebData({ now: Date.now }), now: Date.now }),
      log: log.logger,
    });
    const webLogin = async () => {
      const res = await fetch(`http://127.0.0.1:${web.port}/api/login`, {
        method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ email: 'outage@example.com', password: 'outage-password' }),
      });
      return { status: res.status, body: (await res.json()) as { error?: { code: string } } };
    };
    try {
      const c = await RawClient.connect(s.port);
      let id = 1;
      const attempt = async () => {
        c.send(authorizeLine(id, 'outage@example.com', 'outage-password'));
        return replyTo(c, id++);
      };
      assert.equal((await attempt()).result, true);
      const warns = () => log.lines.filter((l) => l.msg.startsWith('user store unreachable')).length;
      for (let outage = 1; outage <= 2; outage++) {
        await relay.down();
        for (let k = 0; k < 3; k++) {
          const r = await attempt();
          assert.equal(r?.error?.message, 'ErrorBusy', JSON.stringify(r));
          assert.match(r.error.data, /^PROSPER_E_AUTH_UNAVAILABLE: .*try again/);
        }
        const w = await webLogin();
        assert.deepEqual([w.status, w.body.error?.code], [503, 'PROSPER_E_AUTH_UNAVAILABLE'], 'the web login is told the same, not a 500');
        assert.equal(warns(), outage, 'one warning per outage, not one per attempt');
        await relay.up();
        let back = false;
        for (let k = 0; k < 200 && !back; k++) back = (await attempt())?.result === true;
        assert.ok(back, 'authorize works again once the store is back');
        assert.equal(log.lines.filter((l) => l.msg === 'user store reachable again').length, outage);
      }
      assert.deepEqual(log.lines.filter((l) => l.level >= 50), [], 'nothing logged at error level, no stack traces');
      assert.equal(s.server.isBanned('127.0.0.1'), false);
      assert.equal((await webLogin()).status, 200);
      c.close();
    } finally {
      web.close();
      await s.close();
    }
  } finally {
    await f.close();
    if (db) {
      await relay.up().catch(() => undefined);
      await disposeDb(db).catch(() => undefined);
    }
    await relay.down();
  }
});
