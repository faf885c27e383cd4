import { createHmac, timingSafeEqual } from 'node:crypto';

/** The headers of every webhook POST (docs/webhooks.md explains how a receiver checks them). */
export const SIGNATURE_HEADER = 'x-prosper-signature';
export const TIMESTAMP_HEADER = 'x-prosper-timestamp';
export const EVENT_ID_HEADER = 'x-prosper-event-id';
export const EVENT_HEADER = 'x-prosper-event';
/** How far a receiver should accept a timestamp from its own clock (docs/webhooks.md). */
export const DEFAULT_REPLAY_WINDOW_SECONDS = 300;

/**
 * The signature of one POST: HMAC-SHA256, keyed with the secret, over the timestamp (decimal
 * Unix seconds), a dot, and the exact body bytes; hex encoded. The timestamp is inside the
 * signed text, so an old request replayed later fails the receiver's window check.
 */
export function signWebhook(secret: string, timestampSeconds: number, body: string | Uint8Array): string {
  return createHmac('sha256', secret).update(`${timestampSeconds}.`).update(body).digest('hex');
}

/** The header values of one POST. */
export function signatureHeaders(secret: string, timestampSeconds: number, body: string): Record<string, string> {
  return {
    [SIGNATURE_HEADER]: `sha256=${signWebhook(secret, timestampSeconds, body)}`,
    [TIMESTAMP_HEADER]: String(timestampSeconds),
  };
}

export type VerifyOutcome = { ok: true } | { ok: false; reason: 'missing' | 'malformed' | 'stale' | 'mismatch' };

/**
 * The receiver's check, as docs/webhooks.md describes it step by step: both headers present,
 * the timestamp within the replay window of the receiver's clock, and the signature equal (in
 * constant time) to the one computed over the raw body received.
 */
export function verifyWebhook(opts: {
  secret: string;
  signature: string | undefined;
  timestamp: string | undefined;
  body: string | Uint8Array;
  nowSeconds: number;
  windowSeconds?: number;
}): VerifyOutcome {
  if (opts.signature === undefined || opts.timestamp === undefined) return { ok: false, reason: 'missing' };
  const sig = /^sha256=([0-9a-f]{64})$/.exec(opts.signature);
  if (!sig || !/^\d{1,15}$/.test(opts.timestamp)) return { ok: false, reason: 'malformed' };
  const ts = Number(opts.timestamp);
  if (Math.abs(opts.nowSeconds - ts) > (opts.windowSeconds ?? DEFAULT_REPLAY_WINDOW_SECONDS)) return { ok: false, reason: 'stale' };
  const expected = Buffer.from(signWebhook(opts.secret, ts, opts.body), 'hex');
  return timingSafeEqual(expected, Buffer.from(sig[1]!, 'hex')) ? { ok: true } : { ok: false, reason: 'mismatch' };
}
