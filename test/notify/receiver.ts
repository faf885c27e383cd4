// A real HTTP endpoint for webhook tests: records every POST (raw body and headers), answers
// with the status the test sets (or holds the request open while `hang` is on).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NOTIFY_EVENTS, verifyWebhook, type NotifySettings, type WebhookEnvelope } from '../../src/notify/index.js';

export interface Received {
  headers: IncomingMessage['headers'];
  raw: Buffer;
  body: WebhookEnvelope;
  /** The status answered (null while held open). */
  answered: number | null;
}

export class Receiver {
  readonly received: Received[] = [];
  /** What to answer; 'hang' holds the request until close(). */
  mode: number | 'hang' = 200;
  private held: ServerResponse[] = [];
  private constructor(private readonly server: Server, readonly url: string) {}

  static async start(path = '/hook'): Promise<Receiver> {
    let self: Receiver | undefined;
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => self!.onRequest(req, res, Buffer.concat(chunks)));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    self = new Receiver(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}${path}`);
    return self;
  }

  /** Bodies answered 2xx, in arrival order. */
  delivered(): WebhookEnvelope[] {
    return this.received.filter((r) => r.answered !== null && r.answered >= 200 && r.answered < 300).map((r) => r.body);
  }

  verify(r: Received, secret: string, nowSeconds = Math.floor(Date.now() / 1000)) {
    return verifyWebhook({
      secret, signature: r.headers['x-prosper-signature'] as string | undefined, timestamp: r.headers['x-prosper-timestamp'] as string | undefined,
      body: r.raw, nowSeconds,
    });
  }

  async close(): Promise<void> {
    for (const res of this.held) res.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private onRequest(req: IncomingMessage, res: ServerResponse, raw: Buffer): void {
    const entry: Received = { headers: req.headers, raw, body: JSON.parse(raw.toString('utf8')) as WebhookEnvelope, answered: null };
    this.received.push(entry);
    if (this.mode === 'hang') {
      this.held.push(res);
      return;
    }
    entry.answered = this.mode;
    res.writeHead(this.mode).end();
  }
}

/** Waits for a condition, polling; fails with `what` after a generous deadline. */
export async function until(cond: () => boolean | Promise<boolean>, what: string, ms = 60_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export const OPERATOR_SECRET = 'operator-secret-0123456789';

/** Notifier settings for tests: every event, short backoffs, a fresh queue folder (the caller removes `spoolDir`). */
export function testSettings(urls: string[], over: Partial<NotifySettings> = {}): NotifySettings {
  return {
    urls, secret: OPERATOR_SECRET, events: new Set(NOTIFY_EVENTS), retries: 0, backoffMs: 20, backoffCapMs: 100, timeoutMs: 5000,
    concurrency: 4, queueMaxBytes: 1 << 20, logSize: 1000, offlineAfterMs: 60_000, ecLow: 1000n, ...over,
    spoolDir: over.spoolDir ?? mkdtempSync(join(tmpdir(), 'prosper-notify-')),
  };
}
