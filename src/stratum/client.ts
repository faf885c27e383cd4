/**
 * A reusable Stratum client for PegNet's dialect: the miner, the load generator and tests use
 * it. Requests resolve with the server's reply; server requests become events.
 */
import { EventEmitter } from 'node:events';
import { isIP, connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';
import type { JobId } from '../domain/index.js';
import { ProsperError } from '../errors.js';
import { systemClock, type Clock, type TimerHandle } from '../util/clock.js';
import { LineSplitter } from './line-splitter.js';
import { parseMessage, requestLine, resultLine, type RpcError } from './protocol.js';

export interface StratumClientOptions {
  host: string;
  port: number;
  /**
   * TLS: true verifies against the system CAs; `ca` replaces them; `fingerprint256` pins the
   * server certificate's SHA-256 instead (a self-signed pool), refusing any other certificate.
   */
  tls?: boolean | StratumTlsOptions;
  /** Answer to client.get_version. */
  version?: string;
  maxLineBytes?: number;
  requestTimeoutMs?: number;
  connectTimeoutMs?: number;
  /** Runs the connect and request timeouts (default: the system clock; tests pass a ManualClock). */
  clock?: Clock;
}

export interface StratumTlsOptions {
  rejectUnauthorized?: boolean;
  ca?: string | Buffer;
  /** SHA-256 of the certificate, hex with or without colons (parseFingerprint). */
  fingerprint256?: string;
}

/** A SHA-256 fingerprint as 64 lower-case hex digits; colons and case do not matter. */
export function parseFingerprint(text: string): string {
  const hex = text.trim().replace(/:/g, '').toLowerCase();
  if (!/^[0-9a-f]{64}$/.test(hex)) throw new ProsperError('PROSPER_E_MINER_CONFIG', `--tls-fingerprint must be a SHA-256 fingerprint (64 hex digits, colons allowed), got '${text}'`);
  return hex;
}

export interface RpcReply {
  result: unknown;
  error: RpcError | null;
}

export interface SubscribeInfo {
  sessionId: string;
  /** The per-connection nonce (the set_nonce entry, decimal). */
  nonce: number;
}

interface Pending {
  method: string;
  resolve: (r: RpcReply) => void;
  reject: (e: Error) => void;
  timer: TimerHandle;
}

export class StratumClient extends EventEmitter {
  private socket: Socket | null = null;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  readonly options: Required<Omit<StratumClientOptions, 'tls' | 'clock'>> & { tls: StratumClientOptions['tls'] };
  private readonly clock: Clock;

  constructor(options: StratumClientOptions) {
    super();
    const { clock = systemClock, ...rest } = options;
    this.clock = clock;
    this.options = { version: 'prosper/unknown', maxLineBytes: 64 * 1024, requestTimeoutMs: 30_000, connectTimeoutMs: 10_000, tls: false, ...rest };
  }

  get connected(): boolean {
    return this.socket !== null && !this.socket.destroyed;
  }

  connect(): Promise<void> {
    const { host, port, tls, connectTimeoutMs } = this.options;
    return new Promise((resolve, reject) => {
      const t = typeof tls === 'object' ? tls : {};
      const pin = t.fingerprint256 === undefined ? null : parseFingerprint(t.fingerprint256);
      // A pinned certificate is checked below instead of against CAs (it is usually self-signed).
      const sock: Socket = tls
        ? tlsConnect({ host, port, ...(isIP(host) ? {} : { servername: host }), ...(t.ca ? { ca: t.ca } : {}), rejectUnauthorized: pin === null && t.rejectUnauthorized !== false })
        : netConnect({ host, port });
      const timer = this.clock.setTimeout(() => {
        sock.destroy();
        reject(new ProsperError('PROSPER_E_STRATUM_CONNECT', `connect to ${host}:${port} timed out`));
      }, connectTimeoutMs);
      const onError = (err: Error) => {
        this.clock.clearTimeout(timer);
        reject(new ProsperError('PROSPER_E_STRATUM_CONNECT', `cannot connect to ${host}:${port}: ${err.message}`, { cause: err }));
      };
      sock.once('error', onError);
      sock.once(tls ? 'secureConnect' : 'connect', () => {
        this.clock.clearTimeout(timer);
        sock.off('error', onError);
        if (pin !== null) {
          const got = (sock as TLSSocket).getPeerCertificate().fingerprint256?.replace(/:/g, '').toLowerCase() ?? '';
          if (got !== pin) {
            sock.destroy();
            return reject(new ProsperError('PROSPER_E_STRATUM_TLS_FINGERPRINT', `the pool at ${host}:${port} shows a certificate with SHA-256 ${got || '(none)'}, not the pinned ${pin}; refusing to connect`));
          }
        }
        sock.setNoDelay(true);
        this.attach(sock);
        resolve();
      });
    });
  }

  private attach(sock: Socket): void {
    this.socket = sock;
    const splitter = new LineSplitter(this.options.maxLineBytes);
    sock.on('data', (chunk: Buffer) => {
      const events = splitter.pushWithinCap(chunk);
      if (events === null) {
        this.emit('protocol-error', 'line too long');
        sock.destroy();
        return;
      }
      for (const ev of events) {
        if (ev.ok) this.handleLine(ev.line);
        else this.emit('protocol-error', 'invalid utf-8');
      }
    });
    sock.on('error', (err) => this.emit('socket-error', err));
    sock.on('close', () => {
      if (this.socket === sock) this.socket = null;
      for (const [id, p] of this.pending) {
        this.clock.clearTimeout(p.timer);
        p.reject(new ProsperError('PROSPER_E_STRATUM_CLOSED', 'connection closed'));
        this.pending.delete(id);
      }
      this.emit('close');
    });
  }

  private handleLine(line: string): void {
    const msg = parseMessage(line);
    if (msg.kind === 'garbage') {
      this.emit('protocol-error', msg.reason);
      return;
    }
    if (msg.kind === 'response') {
      const p = this.pending.get(msg.id);
      if (!p) return;
      this.pending.delete(msg.id);
      this.clock.clearTimeout(p.timer);
      // The nonce must reach the miner before the notify that follows in the same chunk.
      if (p.method === 'mining.subscribe') {
        const nonce = subscribeNonce(msg.result);
        if (nonce !== null) this.emit('set_nonce', nonce);
      }
      p.resolve({ result: msg.result, error: msg.error });
      return;
    }
    if (msg.kind === 'bad-params') return;
    const { id, method, params } = msg;
    this.emit('request', method, params, id);
    switch (method) {
      case 'client.get_version':
        this.write(resultLine(id, this.options.version));
        break;
      case 'mining.notify':
        if (params.length >= 2 && /^\d+$/.test(params[0]!) && /^[0-9a-fA-F]{64}$/.test(params[1]!)) {
          this.emit('notify', { jobId: Number(params[0]), oprHash: params[1]!.toLowerCase(), clean: params[2] ?? '' });
        }
        break;
      case 'mining.set_target': {
        const hex = (params[0] ?? '').replace(/^0x/, '');
        if (/^[0-9a-fA-F]{1,16}$/.test(hex)) this.emit('set_target', BigInt('0x' + hex));
        break;
      }
      case 'mining.set_nonce':
        if (/^\d+$/.test(params[0] ?? '') && Number(params[0]) <= 0xffffffff) this.emit('set_nonce', Number(params[0]));
        break;
      case 'mining.stop_mining':
        this.emit('stop_mining');
        break;
      case 'client.reconnect':
        // No host (or port): come back to the same address (what a restarting pool sends).
        this.emit('reconnect', { host: params[0] ?? '', port: /^\d+$/.test(params[1] ?? '') ? Number(params[1]) : 0, waitSeconds: /^\d+$/.test(params[2] ?? '') ? Number(params[2]) : 0 });
        break;
      case 'client.show_message':
        if (params.length >= 1) this.emit('show_message', params[0]!);
        break;
      default:
        this.emit('unknown_method', method);
    }
  }

  write(line: string): boolean {
    if (!this.socket || this.socket.destroyed) return false;
    return this.socket.write(line);
  }

  /** Sends a request and waits for its reply (by id). */
  request(method: string, params: string[] | null): Promise<RpcReply> {
    const id = this.nextId;
    this.nextId = this.nextId >= 0x7fffffff ? 1 : this.nextId + 1;
    return new Promise((resolve, reject) => {
      if (!this.connected) {
        reject(new ProsperError('PROSPER_E_STRATUM_CLOSED', 'not connected'));
        return;
      }
      const timer = this.clock.setTimeout(() => {
        this.pending.delete(id);
        reject(new ProsperError('PROSPER_E_STRATUM_TIMEOUT', `${method} got no reply`));
      }, this.options.requestTimeoutMs);
      this.pending.set(id, { method, resolve, reject, timer });
      this.write(requestLine(id, method, params));
    });
  }

  async subscribe(agent: string): Promise<SubscribeInfo> {
    const reply = await this.request('mining.subscribe', [agent]);
    if (reply.error || !Array.isArray(reply.result)) throw new ProsperError('PROSPER_E_STRATUM_SUBSCRIBE', `subscribe failed: ${reply.error?.message ?? 'bad result'}`);
    let sessionId = '';
    for (const entry of reply.result as { type?: unknown; id?: unknown }[]) {
      if (entry?.type === 'mining.notify' && typeof entry.id === 'string') sessionId = entry.id;
    }
    const nonce = subscribeNonce(reply.result);
    if (nonce === null) throw new ProsperError('PROSPER_E_STRATUM_SUBSCRIBE', 'subscribe result has no nonce');
    return { sessionId, nonce };
  }

  /** `["user,minerid", password, invite, payout]` as the original miner sends it. */
  async authorize(username: string, minerId: string, password = '', inviteCode = '', payoutAddress = ''): Promise<RpcReply & { ok: boolean }> {
    const reply = await this.request('mining.authorize', [`${username},${minerId}`, password, inviteCode, payoutAddress]);
    return { ...reply, ok: reply.result === true };
  }

  async submit(username: string, jobId: JobId, nonceHex: string, oprHashHex: string, targetHex: string): Promise<RpcReply & { ok: boolean }> {
    const reply = await this.request('mining.submit', [username, String(jobId), nonceHex, oprHashHex, targetHex]);
    return { ...reply, ok: reply.result === true };
  }

  getOprHash(jobId: JobId): Promise<RpcReply> {
    return this.request('mining.get_oprhash', [String(jobId)]);
  }

  suggestTarget(targetHex: string): Promise<RpcReply> {
    return this.request('mining.suggest_target', [targetHex]);
  }

  close(): void {
    this.socket?.destroy();
    this.socket = null;
  }
}

/** The decimal nonce of the subscribe result's mining.set_nonce entry, as the original miner read it. */
function subscribeNonce(result: unknown): number | null {
  if (!Array.isArray(result)) return null;
  for (const entry of result as { type?: unknown; id?: unknown }[]) {
    if (entry?.type === 'mining.set_nonce' && typeof entry.id === 'string' && /^\d{1,10}$/.test(entry.id) && Number(entry.id) <= 0xffffffff) return Number(entry.id);
  }
  return null;
}
