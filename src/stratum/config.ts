/** Server limits and policies, with production defaults. */
import { PDIFF } from '../lxr/difficulty.js';
import type { BanConfig } from './bans.js';
import type { ProxyMode } from './proxy-gate.js';
import { DEFAULT_VARDIFF, type VardiffConfig } from './vardiff.js';

export interface BanPoints {
  garbage: number;
  invalidParams: number;
  unknownMethod: number;
  invalidShare: number;
  duplicate: number;
  badNonce: number;
  lowTarget: number;
  unauthorizedSubmit: number;
  /** A wrong password in mining.authorize, or one refused past the failed-login limit. */
  badPassword: number;
}

export interface StratumServerConfig {
  host: string;
  /** 0 picks a free port (tests). The original's default is 1234. */
  port: number;
  /**
   * Optional TLS listener on a second port. With certFile/keyFile the files are watched and a
   * renewed pair is used for new connections (key/cert are then what was read at start).
   */
  tls?: { port: number; key: string | Buffer; cert: string | Buffer; certFile?: string; keyFile?: string; watchIntervalMs?: number };
  /** PROXY protocol header (v1 or v2) on both ports: off, optional or required. */
  proxyProtocol: ProxyMode;
  /** Addresses and CIDR blocks allowed to send a PROXY header. */
  trustedProxies: string[];
  /** The original read lines into a 4096-byte buffer and dropped longer ones. */
  maxLineBytes: number;
  /** Requests awaiting an answer per session before reading pauses. */
  maxPendingRequests: number;
  /** No line from the client for this long closes it. */
  idleTimeoutMs: number;
  /** subscribe + authorize must be done within this. */
  handshakeTimeoutMs: number;
  maxConnections: number;
  maxConnectionsPerIp: number;
  /** Notify skips a session whose unsent output exceeds this. */
  skipWriteBufferBytes: number;
  /** A session whose unsent output exceeds this is dropped. */
  dropWriteBufferBytes: number;
  /** How long shares for the previous job are still accepted after a new one. */
  staleGraceMs: number;
  welcomeMessage: string;
  /** First target of a session (the original's PDiff). */
  initialTarget: bigint;
  vardiff: VardiffConfig;
  bans: BanConfig;
  banPoints: BanPoints;
  /** Timeouts, expiry and back-pressure relief run this often. */
  sweepIntervalMs: number;
  maxNonceBytes: number;
  /** Whether the server opens/closes jobs on its validator (false when the engine does). */
  manageValidatorJobs: boolean;
}

export const DEFAULT_STRATUM_CONFIG: StratumServerConfig = {
  host: '0.0.0.0',
  port: 1234,
  proxyProtocol: 'off',
  trustedProxies: [],
  maxLineBytes: 4096,
  maxPendingRequests: 64,
  idleTimeoutMs: 15 * 60_000,
  handshakeTimeoutMs: 30_000,
  maxConnections: 20_000,
  maxConnectionsPerIp: 256,
  skipWriteBufferBytes: 16 * 1024,
  dropWriteBufferBytes: 256 * 1024,
  staleGraceMs: 30_000,
  welcomeMessage: 'Welcome to Prosper',
  initialTarget: PDIFF,
  vardiff: DEFAULT_VARDIFF,
  bans: { threshold: 100, banMs: 10 * 60_000, decayPerSecond: 1 },
  banPoints: { garbage: 20, invalidParams: 5, unknownMethod: 2, invalidShare: 25, duplicate: 5, badNonce: 25, lowTarget: 10, unauthorizedSubmit: 10, badPassword: 10 },
  sweepIntervalMs: 1000,
  maxNonceBytes: 64,
  manageValidatorJobs: true,
};

export type StratumConfigInput = Partial<Omit<StratumServerConfig, 'vardiff' | 'bans' | 'banPoints'>> & {
  vardiff?: Partial<VardiffConfig>;
  bans?: Partial<BanConfig>;
  banPoints?: Partial<BanPoints>;
};

export function resolveStratumConfig(input: StratumConfigInput = {}): StratumServerConfig {
  const d = DEFAULT_STRATUM_CONFIG;
  return {
    ...d,
    ...input,
    vardiff: { ...d.vardiff, ...input.vardiff },
    bans: { ...d.bans, ...input.bans },
    banPoints: { ...d.banPoints, ...input.banPoints },
  };
}
