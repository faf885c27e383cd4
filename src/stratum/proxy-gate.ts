/**
 * Reads the PROXY protocol header at the start of a Stratum connection (when `proxyprotocol` is
 * optional or required) and says which address the connection belongs to: the one the trusted
 * proxy forwarded, or the socket's own. A header from an address outside `trustedproxies`, a
 * malformed header, or (required) no header refuses the connection.
 */
import { BlockList, isIP, type Socket } from 'node:net';
import { ProsperError } from '../errors.js';
import { parseProxyHeader } from './proxy-protocol.js';

export type ProxyMode = 'off' | 'optional' | 'required';

export interface ProxyPolicy {
  mode: ProxyMode;
  trusted: BlockList;
}

export type GateVerdict = { ip: string } | { refused: 'PROSPER_E_STRATUM_PROXY_UNTRUSTED' | 'PROSPER_E_STRATUM_PROXY_HEADER' | 'PROSPER_E_STRATUM_PROXY_MISSING'; reason: string };

/** "::ffff:1.2.3.4" and "1.2.3.4" are the same client. */
export function normalizeIp(ip: string): string {
  return ip.startsWith('::ffff:') && isIP(ip.slice(7)) === 4 ? ip.slice(7) : ip;
}

/** `trustedproxies` entries (IPs or CIDRs, IPv4 or IPv6) as a BlockList; a bad entry is a config error. */
export function trustList(entries: readonly string[]): BlockList {
  const list = new BlockList();
  for (const raw of entries) {
    const entry = raw.trim();
    if (entry === '') continue;
    const [addr, bits, extra] = entry.split('/');
    const family = isIP(addr ?? '');
    const prefix = bits === undefined ? (family === 4 ? 32 : 128) : Number(bits);
    if (family === 0 || extra !== undefined || (bits !== undefined && !/^[0-9]{1,3}$/.test(bits)) || prefix > (family === 4 ? 32 : 128)) {
      throw new ProsperError('PROSPER_E_CONFIG', `[stratum] trustedproxies: ${JSON.stringify(entry)} is not an IP address or CIDR block`);
    }
    list.addSubnet(addr!, prefix, family === 4 ? 'ipv4' : 'ipv6');
  }
  return list;
}

export function isTrusted(trusted: BlockList, ip: string): boolean {
  const family = isIP(ip);
  if (family === 0) return false;
  return trusted.check(ip, family === 4 ? 'ipv4' : 'ipv6');
}

/**
 * Waits for enough bytes to decide, then calls `done` once. On a verdict with an address the
 * bytes after the header are put back on the socket (paused), so the next reader sees the
 * stream as the client sent it. The caller destroys the socket on refusal or timeout.
 */
export function readProxyHeader(socket: Socket, policy: ProxyPolicy, done: (v: GateVerdict) => void): void {
  const peer = normalizeIp(socket.remoteAddress ?? '');
  if (policy.mode === 'off') return done({ ip: peer });
  const trusted = isTrusted(policy.trusted, peer);
  if (policy.mode === 'required' && !trusted) {
    return done({ refused: 'PROSPER_E_STRATUM_PROXY_UNTRUSTED', reason: `connection from ${peer}, not a trusted proxy, on a port that requires a PROXY header` });
  }
  let buf: Buffer = Buffer.alloc(0);
  const finish = (v: GateVerdict, rest: Buffer | null) => {
    socket.off('data', onData);
    socket.pause();
    if (rest && rest.length > 0) socket.unshift(rest);
    done(v);
  };
  const onData = (chunk: Buffer) => {
    buf = buf.length === 0 ? chunk : Buffer.concat([buf, chunk]);
    const r = parseProxyHeader(buf);
    if (r.kind === 'incomplete') return;
    if (r.kind === 'absent') {
      if (policy.mode === 'required') return finish({ refused: 'PROSPER_E_STRATUM_PROXY_MISSING', reason: `no PROXY header from ${peer}` }, null);
      return finish({ ip: peer }, buf);
    }
    if (!trusted) return finish({ refused: 'PROSPER_E_STRATUM_PROXY_UNTRUSTED', reason: `PROXY header from ${peer}, not in [stratum] trustedproxies` }, null);
    if (r.kind === 'invalid') return finish({ refused: 'PROSPER_E_STRATUM_PROXY_HEADER', reason: `malformed PROXY header from ${peer}: ${r.reason}` }, null);
    finish({ ip: r.source ? normalizeIp(r.source.address) : peer }, buf.subarray(r.consumed));
  };
  socket.on('data', onData);
}
