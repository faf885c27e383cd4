/**
 * The sockets: listening (TCP, optionally TLS), reading a PROXY header when configured,
 * accepting within the connection limits, framing bytes into lines, sending, dropping, ban
 * points, and the handshake and idle timeouts.
 */
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { TLSSocket, type SecureContext } from 'node:tls';
import { logFields } from '../errors.js';
import { overWriteLimit } from './backpressure.js';
import type { StratumParts } from './context.js';
import { LineSplitter } from './line-splitter.js';
import { readProxyHeader, trustList, type ProxyPolicy } from './proxy-gate.js';
import { errorLine } from './protocol.js';
import { Session } from './session.js';
import { secureContextOf, TlsCertWatcher } from './tls-certs.js';
import { clampTarget } from './vardiff.js';
import { writeCorked } from './wire.js';

export type LineHandler = (session: Session, line: string) => void;

/** Listening servers handed over by the process this one replaces (src/engine/handover.ts). */
export interface InheritedListeners {
  plain?: Server;
  tls?: Server;
}

export class Connections {
  private tcp: Server | null = null;
  /** The TLS port's listener, when configured (TLS is set up per connection, after any PROXY header). */
  tls: Server | null = null;
  /** What new TLS connections are served with; a renewed certificate replaces it. */
  private secureContext: SecureContext | null = null;
  private certWatcher: TlsCertWatcher | null = null;
  private readonly proxy: ProxyPolicy;
  /** Sockets still reading a PROXY header or in their TLS handshake (closed with the server). */
  private readonly pending = new Set<Socket>();
  /** The next connection nonce (sequential from a random seed, as the original). */
  nextNonce: number;

  constructor(
    private readonly p: StratumParts,
    private readonly randomBytes: (n: number) => Uint8Array,
    private readonly onLine: LineHandler,
  ) {
    // The original seeded the per-connection nonce counter from 4 random bytes.
    const seed = randomBytes(4);
    this.nextNonce = ((seed[0]! << 24) | (seed[1]! << 16) | (seed[2]! << 8) | seed[3]!) >>> 0;
    this.proxy = { mode: p.config.proxyProtocol, trusted: trustList(p.config.trustedProxies) };
  }

  /** Listens; `inherited` holds the listening servers handed over by the process this one replaces. */
  async listen(inherited: InheritedListeners = {}): Promise<{ port: number; tlsPort?: number }> {
    const { config } = this.p;
    // Checked before anything listens: a bad certificate is an error at start, not per connection.
    if (config.tls) this.secureContext = secureContextOf(config.tls);
    const plain = await this.adoptOrListen(inherited.plain, config.port, (socket) => this.admit(socket, false));
    this.tcp = plain.server;
    const port = plain.port;
    let tlsPort: number | undefined;
    if (config.tls) {
      const tls = await this.adoptOrListen(inherited.tls, config.tls.port, (socket) => this.admit(socket, true));
      this.tls = tls.server;
      tlsPort = tls.port;
      const { certFile, keyFile, watchIntervalMs } = config.tls;
      if (certFile && keyFile) {
        this.certWatcher = new TlsCertWatcher({ certFile, keyFile }, (ctx) => { this.secureContext = ctx; }, this.p.log, watchIntervalMs ?? 5000);
      }
    } else {
      // The old process had a TLS port that this configuration no longer has.
      inherited.tls?.close();
    }
    return { port, tlsPort };
  }

  /** A handed-over server (the handover's queue gives way to this one; its queued sockets are emitted after), else a new one. */
  private async adoptOrListen(inherited: Server | undefined, port: number, onConnection: (s: Socket) => void): Promise<{ server: Server; port: number }> {
    const server = inherited ?? createServer({ noDelay: true, keepAlive: true }, onConnection);
    if (inherited) inherited.removeAllListeners('connection').on('connection', onConnection);
    server.maxConnections = this.p.config.maxConnections;
    const bound = inherited ? (inherited.address() as AddressInfo).port : await listenOn(server, port, this.p.config.host);
    return { server, port: bound };
  }

  /** The plain TCP listener (what a restart hands over), null before listen and after close. */
  get listener(): Server | null {
    return this.tcp;
  }

  /** Reads the certificate files again now (as the watcher does on a change); false keeps the old. */
  reloadTls(): boolean {
    return this.certWatcher?.reload() ?? false;
  }

  /**
   * A new socket: its PROXY header (if any) decides its address, the limits are checked on that
   * address, then TLS (on the TLS port) and the session. Until the session exists the
   * handshake timeout bounds the wait.
   */
  private admit(socket: Socket, secure: boolean): void {
    const onEarlyError = (err: Error) => this.p.log.debug({ ...logFields(err) }, 'socket error before the session');
    socket.on('error', onEarlyError);
    const timer = setTimeout(() => socket.destroy(), this.p.config.handshakeTimeoutMs);
    timer.unref();
    this.pending.add(socket);
    const onEarlyClose = () => {
      clearTimeout(timer);
      this.pending.delete(socket);
    };
    socket.once('close', onEarlyClose);
    readProxyHeader(socket, this.proxy, (verdict) => {
      if ('refused' in verdict) {
        this.p.counters.refused += 1;
        this.p.log.warn({ code: verdict.refused, reason: verdict.reason }, 'stratum connection refused');
        socket.destroy();
        return;
      }
      const { ip } = verdict;
      if (!this.admissible(ip)) return this.refuse(socket);
      if (!secure) {
        // From here the session's own listeners take over (memory per idle session counts).
        onEarlyClose();
        socket.off('close', onEarlyClose);
        socket.off('error', onEarlyError);
        return this.accept(socket, ip);
      }
      const tlsSocket = new TLSSocket(socket, { isServer: true, secureContext: this.secureContext! });
      tlsSocket.on('error', (err) => {
        this.p.log.debug({ ...logFields(err), ip }, 'TLS handshake failed');
        tlsSocket.destroy();
      });
      tlsSocket.once('secure', () => {
        onEarlyClose();
        tlsSocket.removeAllListeners('error');
        this.accept(tlsSocket, ip);
      });
    });
  }

  private admissible(ip: string): boolean {
    const { config, sessions } = this.p;
    return !(this.p.bans.isBanned(ip) || sessions.size >= config.maxConnections || sessions.countOf(ip) >= config.maxConnectionsPerIp);
  }

  private refuse(socket: Socket): void {
    this.p.counters.refused += 1;
    socket.destroy();
  }

  async close(): Promise<void> {
    this.certWatcher?.close();
    this.certWatcher = null;
    const closing = [this.tcp, this.tls].filter((s): s is Server => s !== null).map((s) => new Promise<void>((r) => s.close(() => r())));
    for (const s of this.p.sessions.values()) s.socket.destroy();
    for (const s of this.pending) s.destroy();
    await Promise.all(closing);
    this.tcp = null;
    this.tls = null;
  }

  private accept(socket: Socket, ip: string): void {
    const { config, sessions, counters, clock } = this.p;
    // Checked again: TLS handshakes of one address may finish together.
    if (!this.admissible(ip)) return this.refuse(socket);
    socket.setNoDelay(true);
    socket.setKeepAlive(true, 60_000);
    const id = Buffer.from(this.randomBytes(16)).toString('hex');
    const nonce = this.nextNonce;
    this.nextNonce = (this.nextNonce + 1) >>> 0;
    const target = clampTarget(config.initialTarget, this.p.governor.current, config.vardiff.maxTarget);
    const session = new Session(id, nonce, ip, socket, clock.now(), clock.monotonic(), target);
    sessions.add(session);
    counters.connections += 1;
    const splitter = new LineSplitter(config.maxLineBytes);
    // The closures hold only the session and its splitter (memory per idle session counts).
    socket.on('data', (chunk: Buffer) => this.receive(session, splitter, chunk));
    socket.on('error', (err) => this.p.log.debug({ ...logFields(err), session: session.id }, 'socket error'));
    socket.on('close', () => this.forget(session));
    // The PROXY gate paused it to put back the bytes after the header.
    socket.resume();
    this.p.events.emit('connect', session.snapshot());
  }

  /** Frames a chunk into lines and hands each to the dispatcher. */
  private receive(session: Session, splitter: LineSplitter, chunk: Buffer): void {
    const { config, counters, clock } = this.p;
    const events = splitter.pushWithinCap(chunk);
    if (events === null) {
      this.p.log.debug({ ip: session.ip, session: session.id }, 'too many bytes on pipe');
      this.penalize(session, config.banPoints.garbage);
      this.drop(session);
      return;
    }
    for (const ev of events) {
      if (session.closed) return;
      session.lastActivity = clock.monotonic();
      if (!ev.ok) {
        counters.garbage += 1;
        this.send(session, errorLine(0, 'ParseError', 'invalid UTF-8'));
        this.penalize(session, config.banPoints.garbage);
        continue;
      }
      this.onLine(session, ev.line);
    }
  }

  private forget(session: Session): void {
    if (session.closed && !this.p.sessions.has(session.id)) return;
    session.closed = true;
    this.p.sessions.remove(session);
    this.p.events.emit('disconnect', session.id);
  }

  drop(session: Session): void {
    session.closed = true;
    session.socket.destroy();
    this.forget(session);
  }

  /** Adds ban points; over the threshold, every connection of that IP is closed. */
  penalize(session: Session, points: number): void {
    const { bans, clock } = this.p;
    if (!bans.add(session.ip, points)) return;
    this.p.counters.banned += 1;
    this.p.log.warn({ ip: session.ip }, 'ip banned');
    this.p.events.emit('ban', session.ip, bans.banned().find((b) => b.ip === session.ip)?.until ?? clock.now());
    for (const s of this.p.sessions.ofIp(session.ip)) this.drop(s);
  }

  /** Sends one line; false when the session is closed or was just dropped for not reading. */
  send(session: Session, line: string | Buffer): boolean {
    if (session.closed) return false;
    if (overWriteLimit(session, this.p.config)) {
      this.drop(session);
      return false;
    }
    writeCorked(session, line);
    return true;
  }

  /** Closes sessions past the handshake or idle timeout (monotonic time). */
  expireIdle(): void {
    const { config, clock, log } = this.p;
    const t = clock.monotonic();
    for (const s of [...this.p.sessions.values()]) {
      // A session waiting for its authorize (a password hash) is not idle: it gets its answer.
      if (!(s.subscribed && s.authorized) && !s.authorizing && t - s.openedAt >= config.handshakeTimeoutMs) {
        log.debug({ session: s.id }, 'handshake timeout');
        this.drop(s);
      } else if (t - s.lastActivity >= config.idleTimeoutMs) {
        log.debug({ session: s.id }, 'idle timeout');
        this.drop(s);
      }
    }
  }
}

function listenOn(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port, host, backlog: 4096 }, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}
