import { createPoolMetrics, type PoolMetrics } from '../../src/metrics/index.js';
import { parseWebConfig, startWebServer, type WebConfig, type WebPorts, type WebServer } from '../../src/web/index.js';

export const TEST_SECRET = 'test-secret-'.padEnd(48, 'x');
/** Cheap scrypt so a test file logs in many times in well under a second. */
export const FAST_SCRYPT = { logN: 10, r: 8, p: 1 };

export interface TestServer {
  server: WebServer;
  metrics: PoolMetrics;
  base: string;
  config: WebConfig;
  close(): void;
}

export async function startTestServer(ports: WebPorts, now: () => number, overrides: Record<string, unknown> = {}): Promise<TestServer> {
  const config = parseWebConfig({ host: '127.0.0.1', port: 0, sessionsecret: TEST_SECRET, ...overrides }, {});
  const metrics = createPoolMetrics();
  const server = await startWebServer({ config, ports, metrics, now });
  return { server, metrics, config, base: `http://127.0.0.1:${server.port}`, close: () => server.close() };
}

export interface CallOptions {
  body?: unknown;
  /** Raw body text (sent as is). */
  raw?: string;
  cookie?: string;
  csrf?: string;
  headers?: Record<string, string>;
}

export interface CallResult {
  status: number;
  headers: Headers;
  json: any;
  text: string;
}

export async function call(base: string, method: string, path: string, opts: CallOptions = {}): Promise<CallResult> {
  const headers: Record<string, string> = { ...opts.headers };
  let body: string | undefined = opts.raw;
  if (opts.body !== undefined) {
    body = JSON.stringify(opts.body);
    headers['Content-Type'] ??= 'application/json';
  }
  if (opts.cookie) headers.Cookie = opts.cookie;
  if (opts.csrf) headers['X-CSRF-Token'] = opts.csrf;
  const res = await fetch(base + path, { method, headers, body });
  const text = await res.text();
  let json: any;
  try { json = JSON.parse(text); } catch { json = undefined; }
  return { status: res.status, headers: res.headers, json, text };
}

/** Logs in and returns the cookie pair to send back plus the CSRF token. */
export async function login(base: string, email: string, password: string): Promise<{ cookie: string; csrf: string; setCookie: string }> {
  const r = await call(base, 'POST', '/api/login', { body: { email, password } });
  if (r.status !== 200) throw new Error(`login failed: ${r.status} ${r.text}`);
  const setCookie = r.headers.get('set-cookie') ?? '';
  return { cookie: setCookie.split(';')[0], csrf: r.json.csrf, setCookie };
}
