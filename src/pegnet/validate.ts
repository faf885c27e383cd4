/**
 * Entry validation per OPR version (the reference's ValidateV1..V5, checks in its order,
 * failing with its reason texts). An accepted entry becomes a GradingOpr; nothing is hashed
 * with LXRHash here.
 */
import { assetsForVersion, unitsToPrice } from './assets.js';
import type { OprVersion } from './activation.js';
import { factoidAddressProblem } from './fa-address.js';
import type { GradingOpr } from './grading-opr.js';
import { oprHash, winnersToHex } from './opr-hash.js';
import { decodeProtoContent, OprDecodeError } from './proto-content.js';
import { decodeV1Content, v1Prices } from './v1-content.js';
import { V1_ASSETS } from './assets.js';

export type RejectKind = 'validate' | 'decode';

export type ValidationResult =
  | { readonly ok: true; readonly opr: GradingOpr }
  | { readonly ok: false; readonly kind: RejectKind; readonly reason: string };

const reject = (reason: string, kind: RejectKind = 'validate'): ValidationResult => ({ ok: false, kind, reason });

/** The reference's verifyWinnerFormat: `length` items, all '' or all 16 hex chars (decided by the first). */
export function winnerFormatOk(winners: readonly string[] | null, length: number): boolean {
  if (!winners || winners.length !== length) return false;
  const notEmpty = winners.length > 0 && winners[0]!.length > 0;
  return winners.every((s) => (notEmpty ? s.length === 16 && /^[0-9a-fA-F]{16}$/.test(s) : s.length === 0));
}

function sameWinners(have: readonly string[], want: readonly string[]): boolean {
  return have.length === want.length && have.every((s, i) => s === want[i]);
}

const ID_RE = /^[a-zA-Z0-9,]+$/;

function readU64BE(b: Uint8Array): bigint {
  return Buffer.from(b).readBigUInt64BE(0);
}

function decodeError(err: unknown): ValidationResult {
  if (err instanceof OprDecodeError) return reject(err.message, 'decode');
  throw err;
}

function validateV1(entryHash: Uint8Array, extIds: readonly Uint8Array[], height: number, prevWinners: readonly string[], content: Uint8Array): ValidationResult {
  if (entryHash.length !== 32) return reject('invalid entry hash length');
  if (extIds.length !== 3) return reject('invalid extid count');
  if (extIds[2]!.length !== 1 || extIds[2]![0] !== 1) return reject('invalid version');
  if (extIds[1]!.length !== 8) return reject('self reported difficulty must be 8 bytes');
  let c;
  try {
    c = decodeV1Content(content);
  } catch (err) {
    return decodeError(err);
  }
  if (c.dbht !== height) return reject('invalid height');
  for (const code of V1_ASSETS) {
    const v = c.assets?.get(code);
    if (v === undefined) return reject('asset list is not correct');
    if (code !== 'PNT' && v === 0) return reject('all values other than PNT must be nonzero');
  }
  if (!winnerFormatOk(c.winners, 10)) return reject('invalid list of previous winners');
  if (!sameWinners(c.winners!, prevWinners)) return reject('incorrect set of previous winners');
  return {
    ok: true,
    opr: {
      entryHash, nonce: extIds[0]!, selfReportedDifficulty: readU64BE(extIds[1]!), oprHash: oprHash(content),
      opr: { version: 1, v1: c }, prices: v1Prices(c), address: c.coinbase, identity: c.minerid,
      grade: 0, position: 0, payout: 0n,
    },
  };
}

function validateProto(version: 2 | 3 | 4 | 5, entryHash: Uint8Array, extIds: readonly Uint8Array[], height: number, prevWinners: readonly string[], content: Uint8Array): ValidationResult {
  if (entryHash.length !== 32) return reject('invalid entry hash length');
  if (extIds.length !== 3) return reject('invalid extid count');
  if (extIds[1]!.length !== 8) return reject('self reported difficulty must be 8 bytes');
  if (extIds[2]!.length !== 1 || extIds[2]![0] !== version) return reject('invalid version');
  let c;
  try {
    c = decodeProtoContent(content);
  } catch (err) {
    return decodeError(err);
  }
  if (c.height !== height) return reject('invalid height');
  if (c.assets.length !== assetsForVersion(version).length) return reject('invalid assets');
  // V2 lets PEG (index 0) be 0; V3+ need every price.
  if (c.assets.some((v, i) => v === 0n && (version > 2 || i > 0))) return reject('assets must be greater than 0');
  if (version === 2 && c.winners.length !== 10 && c.winners.length !== 25) return reject('must have exactly 10 or 25 previous winning shorthashes');
  if (version === 3 && c.winners.length !== 25) return reject('must have exactly 25 previous winning shorthashes');
  const addrProblem = factoidAddressProblem(c.address);
  if (addrProblem) return reject(`factoidaddress is invalid : ${addrProblem}`);
  if (!ID_RE.test(c.id)) return reject('only alphanumeric characters and commas are allowed in the identity');
  const winners = winnersToHex(c.winners);
  const formatOk = version === 2 ? winnerFormatOk(winners, 10) || winnerFormatOk(winners, 25) : winnerFormatOk(winners, 25);
  if (!formatOk) return reject('incorrect amount of previous winners');
  if (!sameWinners(winners, prevWinners)) return reject('incorrect set of previous winners');
  return {
    ok: true,
    opr: {
      entryHash, nonce: extIds[0]!, selfReportedDifficulty: readU64BE(extIds[1]!), oprHash: oprHash(content),
      opr: { version, proto: c }, prices: c.assets.map(unitsToPrice), address: c.address, identity: c.id,
      grade: 0, position: 0, payout: 0n,
    },
  };
}

/** Validates one entry of an OPR-chain entry block for a block of `version` at `height`. */
export function validateOprEntry(
  version: OprVersion,
  height: number,
  prevWinners: readonly string[],
  entryHash: Uint8Array,
  extIds: readonly Uint8Array[],
  content: Uint8Array,
): ValidationResult {
  return version === 1
    ? validateV1(entryHash, extIds, height, prevWinners, content)
    : validateProto(version, entryHash, extIds, height, prevWinners, content);
}
