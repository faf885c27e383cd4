import { addressKind, decodeAddress, ecPublicKeyFromPrivate, publicKeyFromSeed, rcdHash, toHex } from '../factom/index.js';

/** EC balances by public key hex and factoshi balances by RCD hash hex. */
export class Ledger {
  readonly ec = new Map<string, bigint>();
  readonly fct = new Map<string, bigint>();

  ecBalance(pubHex: string): bigint {
    return this.ec.get(pubHex) ?? 0n;
  }

  fctBalance(rcdHex: string): bigint {
    return this.fct.get(rcdHex) ?? 0n;
  }

  creditEc(pubHex: string, credits: bigint): void {
    this.ec.set(pubHex, this.ecBalance(pubHex) + credits);
  }

  /** Deduct if the balance covers it; false (nothing changed) otherwise. */
  debitEc(pubHex: string, credits: bigint): boolean {
    const b = this.ecBalance(pubHex);
    if (b < credits) return false;
    this.ec.set(pubHex, b - credits);
    return true;
  }

  creditFct(rcdHex: string, amount: bigint): void {
    this.fct.set(rcdHex, this.fctBalance(rcdHex) + amount);
  }

  toJson(): { ec: Record<string, string>; fct: Record<string, string> } {
    const ec: Record<string, string> = {};
    const fct: Record<string, string> = {};
    for (const [k, v] of this.ec) ec[k] = v.toString();
    for (const [k, v] of this.fct) fct[k] = v.toString();
    return { ec, fct };
  }

  load(s: { ec: Record<string, string>; fct: Record<string, string> }): void {
    this.ec.clear();
    this.fct.clear();
    for (const [k, v] of Object.entries(s.ec)) this.ec.set(k, BigInt(v));
    for (const [k, v] of Object.entries(s.fct)) this.fct.set(k, BigInt(v));
  }
}

const HEX64 = /^[0-9a-fA-F]{64}$/;

/** EC… address, Es… secret or 64-hex key → public key hex; undefined if none of those. */
export function ecKeyHex(address: string): string | undefined {
  if (HEX64.test(address)) return address.toLowerCase();
  const kind = addressKind(address);
  if (kind === 'EC') return toHex(decodeAddress('EC', address));
  if (kind === 'Es') return toHex(ecPublicKeyFromPrivate(address));
  return undefined;
}

/** FA… address, Fs… secret or 64-hex RCD hash → RCD hash hex; undefined otherwise. */
export function fctKeyHex(address: string): string | undefined {
  if (HEX64.test(address)) return address.toLowerCase();
  const kind = addressKind(address);
  if (kind === 'FA') return toHex(decodeAddress('FA', address));
  if (kind === 'Fs') return toHex(rcdHash(publicKeyFromSeed(decodeAddress('Fs', address))));
  return undefined;
}
