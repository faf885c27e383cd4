import { createHmac, timingSafeEqual } from 'node:crypto';

export interface Session {
  id: string;
  email: string;
  csrf: string;
  expiresAt: number;
}

export interface SessionStoreOptions {
  secret: string;
  ttlSeconds: number;
  now: () => number;
  randomBytes: (n: number) => Buffer;
  /** Oldest sessions are dropped beyond this many. */
  maxSessions?: number;
}

export const SESSION_COOKIE = 'prosper_session';

function mac(secret: string, data: string): Buffer {
  return createHmac('sha256', secret).update(data).digest();
}

/**
 * Server-side sessions keyed by a random id; the cookie carries `id.hmac(id)` so a forged or
 * guessed id is refused before any lookup, and logout or a password change can end sessions.
 * The CSRF token is per session and only sent in response bodies, never in a cookie.
 */
export class SessionStore {
  private readonly sessions = new Map<string, Session>();
  constructor(private readonly opts: SessionStoreOptions) {}

  create(email: string): { session: Session; cookieValue: string } {
    const id = this.opts.randomBytes(24).toString('base64url');
    const session: Session = {
      id,
      email,
      csrf: this.opts.randomBytes(24).toString('base64url'),
      expiresAt: this.opts.now() + this.opts.ttlSeconds * 1000,
    };
    this.sessions.set(id, session);
    const max = this.opts.maxSessions ?? 100_000;
    if (this.sessions.size > max) {
      const oldest = this.sessions.keys().next().value;
      if (oldest !== undefined) this.sessions.delete(oldest);
    }
    return { session, cookieValue: `${id}.${mac(this.opts.secret, id).toString('base64url')}` };
  }

  /** The live session a cookie value names, or null (bad signature, unknown, expired). */
  fromCookie(value: string | undefined): Session | null {
    if (!value || value.length > 200) return null;
    const dot = value.indexOf('.');
    if (dot <= 0) return null;
    const id = value.slice(0, dot);
    const given = Buffer.from(value.slice(dot + 1), 'base64url');
    const want = mac(this.opts.secret, id);
    if (given.length !== want.length || !timingSafeEqual(given, want)) return null;
    const s = this.sessions.get(id);
    if (!s) return null;
    if (s.expiresAt <= this.opts.now()) {
      this.sessions.delete(id);
      return null;
    }
    return s;
  }

  destroy(id: string): void {
    this.sessions.delete(id);
  }

  /** Ends every session of a user (after a password change), except `keep`. */
  destroyUser(email: string, keep?: string): void {
    for (const [id, s] of this.sessions) if (s.email === email && id !== keep) this.sessions.delete(id);
  }

  static csrfMatches(session: Session, given: string | undefined): boolean {
    if (!given) return false;
    const a = Buffer.from(given);
    const b = Buffer.from(session.csrf);
    return a.length === b.length && timingSafeEqual(a, b);
  }
}
