/**
 * Hostile web requests: every route, random and injection-shaped query parameters and bodies,
 * as a visitor, a user and an admin; and the invariants every answer must keep.
 */
import assert from 'node:assert/strict';
import { ADMIN_ROUTES } from '../../src/web/index.js';
import { call, type CallResult } from '../web/helpers.js';

/** Every route the web server registers (src/web/routes-*.ts, json-rpc.ts, server.ts). */
export const ROUTES = [
  'GET /api/session', 'POST /api/login', 'POST /api/logout', 'GET /api/me', 'GET /api/me/miners',
  'GET /api/me/earnings', 'GET /api/me/payouts', 'POST /api/me/password', 'POST /api/me/payout-address',
  'GET /api/pool/stats', 'GET /api/pool/blocks', 'GET /api/pool/rewards', 'GET /api/pool/submissions', 'GET /api/pool/sync',
  'POST /api/v1', 'GET /metrics', 'GET /',
  'GET /api/pool/history', 'GET /api/miners', 'GET /api/me/handle', 'POST /api/me/handle', 'GET /api/me/history', 'GET /api/pool/info',
  'GET /api/blocks', 'GET /api/payments', 'GET /api/network', 'GET /api/miner/someone/history', 'GET /api/blocks/1',
  'GET /start', 'GET /blocks', 'GET /miners', 'GET /payments', 'GET /network', 'GET /account', 'GET /admin', 'GET /blocks/1',
  ...ADMIN_ROUTES,
] as const;

/** Pages: HTML for everyone (the account and admin pages are the login page when signed out). */
const PAGES = new Set(['/', '/start', '/blocks', '/miners', '/payments', '/network', '/account', '/admin', '/blocks/1']);

export const QUERY_NAMES = ['limit', 'offset', 'order', 'column', 'jobid', 'seconds', 'miner', 'range', 'worker'];
export const BODY_FIELDS = ['email', 'password', 'current', 'next', 'address', 'count', 'role', 'inviteCode', 'limit', 'offset', 'order', 'column', 'jobid', 'handle'];

/** SQL injection shapes, aimed at the store's tables (users, invite_codes, ...). */
export const SQLI = [
  "' OR '1'='1", "' OR 1=1 --", '1; DROP TABLE users; --', "x'; DROP TABLE invite_codes; --", "1' UNION SELECT email, password_hash FROM users --",
  '" OR ""="', "admin@example.com'--", '1 OR 1=1', "'); DELETE FROM users; --", "'; UPDATE users SET role='admin'; --",
  "\\'; TRUNCATE users CASCADE; --", '1/**/OR/**/1=1', "' AND pg_sleep(5) --", "carol@example.com' --", 'height; DROP TABLE users',
  "job_id DESC; UPDATE users SET role='admin'", '$1', "E'\\x00'",
];

/** Everything else hostile: prototype keys, numbers out of range, encodings, sizes. */
export const HOSTILE = [
  ...SQLI, '__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', '', ' ', '\u0000', '\ud800', '\u{1F4A5}', 'a'.repeat(3000),
  '<script>alert(1)</script>', '../../etc/passwd', '${7*7}', 'null', 'true', '[]', '{}', '1e309', '-1', '-0', '0x10', 'NaN', 'Infinity',  // ../ is a traversal probe
  '99999999999999999999999', '18446744073709551616', '18446744073709551615', '9007199254740993', '5', '200', '201', '0', 'asc', 'DESC',
  'height', 'job_id', 'pool_difficuty', 'amount',
];

export const HOSTILE_JSON: unknown[] = [
  1e308, -0, -1, 2 ** 64, 1.5, true, false, null, [], {}, ['x'], { $gt: '' }, { toString: 'x' }, 12345678901234567890,
];

export function pick<T>(rand: () => number, a: readonly T[]): T {
  return a[Math.floor(rand() * a.length)]!;
}

function deep(n: number): unknown {
  let v: unknown = 'x';
  for (let i = 0; i < n; i++) v = { a: v };
  return v;
}

export interface Identity {
  name: 'visitor' | 'user' | 'admin';
  cookie?: string;
  csrf?: string;
}

export interface FuzzRequest {
  method: string;
  path: string;
  raw?: string;
  headers: Record<string, string>;
}

/** One random request for `route`: hostile query, and for POST a hostile body. */
export function randomRequest(rand: () => number, route: string, values: readonly string[], jsonValues: readonly unknown[]): FuzzRequest {
  const [method, path] = route.split(' ') as [string, string];
  const q = new URLSearchParams();
  const nq = Math.floor(rand() * 4);
  for (let i = 0; i < nq; i++) q.append(rand() < 0.9 ? pick(rand, QUERY_NAMES) : pick(rand, values).slice(0, 20), pick(rand, values));
  const qs = q.toString();
  const headers: Record<string, string> = {};
  let raw: string | undefined;
  if (method === 'POST') {
    headers['Content-Type'] = rand() < 0.9 ? 'application/json' : pick(rand, ['text/plain', 'application/x-www-form-urlencoded', 'application/json; charset=utf-8', '']);
    const shape = rand();
    if (shape < 0.1) raw = pick(rand, ['', '{', 'null', '[]', '"x"', '1', '{"a":', '\u0000', '{"__proto__":{"role":"admin"}}', 'x'.repeat(20_000)]);
    else if (shape < 0.15) raw = JSON.stringify(deep(500));
    else {
      const body: Record<string, unknown> = {};
      if (path === '/api/v1') {
        body.jsonrpc = rand() < 0.85 ? '2.0' : pick(rand, jsonValues);
        body.method = rand() < 0.8 ? pick(rand, ['api.Rewards', 'api.EntrySubmissions', 'api.SubmitSync']) : pick(rand, ['api.__proto__', '__proto__', 'constructor', 'hasOwnProperty', 'toString', ...values.slice(0, 5)]);
        body.id = rand() < 0.5 ? Math.floor(rand() * 1000) : pick(rand, [...jsonValues, ...values.slice(0, 3)]);
        const p: Record<string, unknown> = {};
        for (const k of ['limit', 'offset', 'order', 'column', 'jobid']) if (rand() < 0.5) p[k] = rand() < 0.7 ? pick(rand, values) : pick(rand, jsonValues);
        body.params = rand() < 0.3 ? [p] : rand() < 0.1 ? pick(rand, jsonValues) : p;
      } else {
        const nf = 1 + Math.floor(rand() * 4);
        for (let i = 0; i < nf; i++) body[pick(rand, BODY_FIELDS)] = rand() < 0.75 ? pick(rand, values) : pick(rand, jsonValues);
      }
      raw = JSON.stringify(body);
    }
  }
  return { method, path: path + (qs ? '?' + qs : ''), raw, headers };
}

const ALLOWED_STATUS = new Set([200, 400, 401, 403, 404, 405, 413, 415, 429, 501]);
const RPC_CODES = new Set([-32700, -32600, -32601, -32000]);

/** What every answer must be: a coded refusal or a normal reply, never an internal error. */
export function checkAnswer(req: FuzzRequest, who: Identity, r: CallResult): void {
  const what = `${who.name} ${req.method} ${req.path.slice(0, 200)} body=${(req.raw ?? '').slice(0, 200)} -> ${r.status} ${r.text.slice(0, 300)}`;
  assert.ok(ALLOWED_STATUS.has(r.status), what);
  const path = req.path.split('?')[0]!;
  if (PAGES.has(path) && r.status === 200 || path === '/metrics' && r.status === 200) return;
  assert.ok(r.json !== undefined, `not JSON: ${what}`);
  if (r.status !== 200) {
    assert.match(r.json.error.code, /^PROSPER_E_[A-Z]+_/, what);
    assert.notEqual(r.json.error.code, 'PROSPER_E_WEB_INTERNAL', what);
  }
  if (path === '/api/v1' && r.status === 200 && r.json.error) {
    assert.ok(RPC_CODES.has(r.json.error.code), what);
    assert.notEqual(r.json.error.data?.code, 'PROSPER_E_WEB_INTERNAL', what);
  }
  // Authorization holds whatever the parameters: admin routes refuse visitors and users.
  // (A body over the limit is refused with 413 before any route runs.)
  if ((ADMIN_ROUTES as readonly string[]).includes(`${req.method} ${path}`) && r.status !== 413) {
    if (who.name === 'visitor') assert.equal(r.status, 401, what);
    if (who.name === 'user') assert.equal(r.status, 403, what);
  }
  if (path.startsWith('/api/me') && who.name === 'visitor' && r.status !== 413) assert.equal(r.status, 401, what);
}

/** Sends `count` random requests per route and identity; returns how many were sent. */
export async function fuzzRoutes(base: string, rand: () => number, identities: () => Identity[], count: number, values: readonly string[], jsonValues: readonly unknown[], routes: readonly string[] = ROUTES): Promise<number> {
  let sent = 0;
  for (const route of routes) {
    for (let i = 0; i < count; i++) {
      for (const who of identities()) {
        const req = randomRequest(rand, route, values, jsonValues);
        const headers = { ...req.headers };
        // Half the time a state-changing call carries the right CSRF token, so the handler itself is reached.
        // Never on logout: the identity must stay logged in for the rest of the run.
        const csrf = who.csrf && route !== 'POST /api/logout' && rand() < 0.5 ? who.csrf : undefined;
        const r = await call(base, req.method, req.path, { raw: req.raw, headers, cookie: who.cookie, csrf });
        checkAnswer(req, who, r);
        sent += 1;
      }
    }
  }
  return sent;
}
