/** The open sessions, by id and by client IP (for per-IP limits and bans). */
import type { Session } from './session.js';

export class SessionRegistry {
  private readonly byId = new Map<string, Session>();
  private readonly byIp = new Map<string, Set<Session>>();

  get size(): number {
    return this.byId.size;
  }

  /** How many distinct IPs hold sessions. */
  get ipCount(): number {
    return this.byIp.size;
  }

  get(id: string): Session | undefined {
    return this.byId.get(id);
  }

  has(id: string): boolean {
    return this.byId.has(id);
  }

  values(): IterableIterator<Session> {
    return this.byId.values();
  }

  /** How many sessions one IP holds now. */
  countOf(ip: string): number {
    return this.byIp.get(ip)?.size ?? 0;
  }

  /** A copy of one IP's sessions (safe to drop them while iterating). */
  ofIp(ip: string): Session[] {
    return [...(this.byIp.get(ip) ?? [])];
  }

  add(session: Session): void {
    this.byId.set(session.id, session);
    const same = this.byIp.get(session.ip);
    if (same) same.add(session);
    else this.byIp.set(session.ip, new Set([session]));
  }

  remove(session: Session): void {
    this.byId.delete(session.id);
    const set = this.byIp.get(session.ip);
    if (set) {
      set.delete(session);
      if (set.size === 0) this.byIp.delete(session.ip);
    }
  }
}
