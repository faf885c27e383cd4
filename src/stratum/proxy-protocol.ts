/**
 * A pure parser of the PROXY protocol header (versions 1 and 2) that a load balancer such as
 * HAProxy puts in front of a connection to pass on the client's real address. It looks only at
 * the bytes received so far and says: need more, no header, a header (and how many bytes it
 * took), or a malformed one. docs/stratum.md ("PROXY protocol") describes the format.
 *
 * Written here rather than taken from npm: the format is small; proxy-protocol-js (no
 * dependencies) parses only a complete header and answers a short buffer with the same error as
 * a malformed one, so it cannot tell "wait for the next TCP chunk" from "refuse", and
 * @balena/proxy-protocol-parser brings two dependencies.
 */
import { isIPv4, isIPv6 } from 'node:net';

/** The client's address as the proxy saw it; null when the header says to use the connection's own. */
export interface ProxySource {
  address: string;
  port: number;
}

export type ProxyParse =
  | { kind: 'incomplete' }
  | { kind: 'absent' }
  | { kind: 'header'; version: 1 | 2; consumed: number; source: ProxySource | null }
  | { kind: 'invalid'; reason: string };

/** "PROXY " opens a version 1 header, a line of at most 107 bytes with its CRLF. */
const V1_PREFIX = Buffer.from('PROXY ', 'latin1');
const V1_MAX_BYTES = 107;
/** The 12-byte signature of version 2, chosen so that it is never the start of a valid text protocol. */
export const V2_SIGNATURE = Buffer.from([0x0d, 0x0a, 0x0d, 0x0a, 0x00, 0x0d, 0x0a, 0x51, 0x55, 0x49, 0x54, 0x0a]);
const V2_FIXED_BYTES = 16;
/** Address and TLV bytes we accept after the fixed part (TLVs of cloud balancers fit easily). */
export const V2_MAX_PAYLOAD_BYTES = 2048;

/** True when `buf` so far agrees with the start of `prefix` (or holds all of it). */
function agreesWith(buf: Buffer, prefix: Buffer): boolean {
  const n = Math.min(buf.length, prefix.length);
  return buf.subarray(0, n).equals(prefix.subarray(0, n));
}

export function parseProxyHeader(buf: Buffer): ProxyParse {
  if (buf.length === 0) return { kind: 'incomplete' };
  if (agreesWith(buf, V1_PREFIX)) return buf.length < V1_PREFIX.length ? { kind: 'incomplete' } : parseV1(buf);
  if (agreesWith(buf, V2_SIGNATURE)) return buf.length < V2_FIXED_BYTES ? { kind: 'incomplete' } : parseV2(buf);
  return { kind: 'absent' };
}

const PORT = /^(0|[1-9][0-9]{0,4})$/;

function parsePort(s: string | undefined): number | null {
  if (s === undefined || !PORT.test(s)) return null;
  const n = Number(s);
  return n <= 65535 ? n : null;
}

function parseV1(buf: Buffer): ProxyParse {
  const end = buf.subarray(0, V1_MAX_BYTES).indexOf('\r\n', 0, 'latin1');
  if (end < 0) {
    if (buf.length >= V1_MAX_BYTES) return { kind: 'invalid', reason: 'v1 header longer than 107 bytes' };
    // A lone LF cannot end the line: the spec asks for CRLF.
    if (buf.indexOf(0x0a) >= 0) return { kind: 'invalid', reason: 'v1 header not ended by CRLF' };
    return { kind: 'incomplete' };
  }
  const consumed = end + 2;
  const line = buf.subarray(V1_PREFIX.length, end).toString('latin1');
  if (/[^\x21-\x7e ]/.test(line)) return { kind: 'invalid', reason: 'v1 header has control or non-ASCII bytes' };
  const parts = line.split(' ');
  const family = parts[0];
  // UNKNOWN: the proxy could not tell; the rest of the line is ignored and the connection's own address used.
  if (family === 'UNKNOWN') return { kind: 'header', version: 1, consumed, source: null };
  if (family !== 'TCP4' && family !== 'TCP6') return { kind: 'invalid', reason: `v1 unknown protocol family ${JSON.stringify(family)}` };
  if (parts.length !== 5) return { kind: 'invalid', reason: 'v1 header needs exactly four fields after the family' };
  const [, src, dst, sport, dport] = parts as [string, string, string, string, string];
  const isFamily = family === 'TCP4' ? isIPv4 : isIPv6;
  if (!isFamily(src) || !isFamily(dst)) return { kind: 'invalid', reason: `v1 addresses are not ${family} addresses` };
  const port = parsePort(sport);
  if (port === null || parsePort(dport) === null) return { kind: 'invalid', reason: 'v1 ports must be decimal 0..65535' };
  return { kind: 'header', version: 1, consumed, source: { address: src, port } };
}

function parseV2(buf: Buffer): ProxyParse {
  const verCmd = buf[12]!;
  if (verCmd >> 4 !== 2) return { kind: 'invalid', reason: `v2 version nibble ${verCmd >> 4}, not 2` };
  const command = verCmd & 0x0f;
  if (command > 1) return { kind: 'invalid', reason: `v2 unknown command ${command}` };
  const famProto = buf[13]!;
  const length = buf.readUInt16BE(14);
  if (length > V2_MAX_PAYLOAD_BYTES) return { kind: 'invalid', reason: `v2 header of ${length} bytes is over ${V2_MAX_PAYLOAD_BYTES}` };
  const consumed = V2_FIXED_BYTES + length;
  if (buf.length < consumed) return { kind: 'incomplete' };
  // LOCAL: the proxy speaks for itself (health checks): use the connection's own address.
  if (command === 0) return { kind: 'header', version: 2, consumed, source: null };
  const family = famProto >> 4;
  const transport = famProto & 0x0f;
  if (family > 3 || transport > 2) return { kind: 'invalid', reason: `v2 unknown family/transport byte 0x${famProto.toString(16)}` };
  // UNSPEC family or transport, or a UNIX socket: nothing usable as an IP; keep the connection's own.
  if (family === 0 || family === 3 || transport === 0) return { kind: 'header', version: 2, consumed, source: null };
  if (transport !== 1) return { kind: 'invalid', reason: 'v2 header for a datagram transport on a stream port' };
  const body = buf.subarray(V2_FIXED_BYTES, consumed);
  if (family === 1) {
    if (body.length < 12) return { kind: 'invalid', reason: 'v2 INET header shorter than its addresses' };
    return { kind: 'header', version: 2, consumed, source: { address: [...body.subarray(0, 4)].join('.'), port: body.readUInt16BE(8) } };
  }
  if (body.length < 36) return { kind: 'invalid', reason: 'v2 INET6 header shorter than its addresses' };
  return { kind: 'header', version: 2, consumed, source: { address: ipv6Text(body.subarray(0, 16)), port: body.readUInt16BE(32) } };
}

/** 16 bytes as IPv6 text; an IPv4-mapped address becomes plain IPv4 (one client, one key). */
function ipv6Text(b: Buffer): string {
  if (b.subarray(0, 10).every((x) => x === 0) && b[10] === 0xff && b[11] === 0xff) return [...b.subarray(12)].join('.');
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(b.readUInt16BE(i).toString(16));
  // Compress the longest run of zero groups, as the canonical form does.
  let best = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    let j = i;
    while (j < 8 && groups[j] === '0') j += 1;
    if (j - i > bestLen && j - i > 1) [best, bestLen] = [i, j - i];
    i = j === i ? i + 1 : j;
  }
  if (best < 0) return groups.join(':');
  return `${groups.slice(0, best).join(':')}::${groups.slice(best + bestLen).join(':')}`;
}
