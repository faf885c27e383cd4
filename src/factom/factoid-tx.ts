import { sha256, readUint48, writeUint48 } from './bytes.js';
import { decodeError, encodeError } from './errors.js';
import { ed25519Sign, ed25519Verify, publicKeyFromSeed } from './keys.js';
import { rcdHash } from './addresses.js';

/** One input or output of a factoid transaction: an amount in factoshis and a 32-byte address body. */
export interface FactoidIo {
  readonly amount: bigint;
  /** RCD hash (inputs, FCT outputs) or EC public key (EC outputs). */
  readonly address: Buffer;
}

export interface FactoidTransaction {
  readonly version: bigint;
  readonly timestampMs: number;
  readonly inputs: readonly FactoidIo[];
  readonly outputs: readonly FactoidIo[];
  readonly ecOutputs: readonly FactoidIo[];
  /** RCD1 public keys, one per input. */
  readonly rcdPublicKeys: readonly Buffer[];
  readonly signatures: readonly Buffer[];
  /** The signed ledger part; txid = sha256(ledger). */
  readonly ledger: Buffer;
  readonly txid: Buffer;
  readonly bytes: Buffer;
}

/** Factom varInt_F: big-endian base-128, high bit set on every byte but the last. */
export function encodeVarIntF(value: bigint): Buffer {
  if (value < 0n || value >= 1n << 64n) throw encodeError('varint out of uint64 range');
  const groups: number[] = [Number(value & 0x7fn)];
  let v = value >> 7n;
  while (v > 0n) {
    groups.unshift(Number(v & 0x7fn) | 0x80);
    v >>= 7n;
  }
  return Buffer.from(groups);
}

export function decodeVarIntF(buf: Buffer, offset: number): { value: bigint; next: number } {
  let v = 0n;
  for (let i = offset; i < buf.length && i < offset + 10; i++) {
    v = (v << 7n) | BigInt(buf[i] & 0x7f);
    if ((buf[i] & 0x80) === 0) {
      if (v >= 1n << 64n) throw decodeError('varint exceeds uint64');
      return { value: v, next: i + 1 };
    }
  }
  throw decodeError('truncated varint');
}

/** Parse a signed factoid transaction (RCD1 only); exact length required. */
export function parseFactoidTransaction(data: Uint8Array): FactoidTransaction {
  const buf = Buffer.from(data);
  let o = 0;
  const need = (n: number): void => {
    if (o + n > buf.length) throw decodeError('factoid transaction truncated');
  };
  const version = decodeVarIntF(buf, o);
  o = version.next;
  need(9);
  const timestampMs = readUint48(buf, o);
  const nIn = buf[o + 6];
  const nOut = buf[o + 7];
  const nEc = buf[o + 8];
  o += 9;
  const readIos = (n: number): FactoidIo[] => {
    const out: FactoidIo[] = [];
    for (let i = 0; i < n; i++) {
      const a = decodeVarIntF(buf, o);
      o = a.next;
      need(32);
      out.push({ amount: a.value, address: Buffer.from(buf.subarray(o, o + 32)) });
      o += 32;
    }
    return out;
  };
  const inputs = readIos(nIn);
  const outputs = readIos(nOut);
  const ecOutputs = readIos(nEc);
  const ledger = Buffer.from(buf.subarray(0, o));
  const rcdPublicKeys: Buffer[] = [];
  const signatures: Buffer[] = [];
  for (let i = 0; i < nIn; i++) {
    need(33 + 64);
    if (buf[o] !== 0x01) throw decodeError('only RCD type 1 is supported');
    rcdPublicKeys.push(Buffer.from(buf.subarray(o + 1, o + 33)));
    signatures.push(Buffer.from(buf.subarray(o + 33, o + 97)));
    o += 97;
  }
  if (o !== buf.length) throw decodeError('trailing bytes after factoid transaction');
  return { version: version.value, timestampMs, inputs, outputs, ecOutputs, rcdPublicKeys, signatures, ledger, txid: sha256(ledger), bytes: buf };
}

/** Every input's RCD hashes to the input address and its signature over the ledger verifies. */
export function verifyFactoidTransaction(tx: FactoidTransaction): boolean {
  return tx.inputs.every(
    (inp, i) => rcdHash(tx.rcdPublicKeys[i]).equals(inp.address) && ed25519Verify(tx.rcdPublicKeys[i], tx.ledger, tx.signatures[i]),
  );
}

/** Minimum fee in factoshis: rate × (ceil(len/1024) + 10 × (#outputs + #ecOutputs) + #signatures). */
export function minimumFactoidFee(tx: FactoidTransaction, ecRate: bigint): bigint {
  const units = BigInt(Math.ceil(tx.bytes.length / 1024) + 10 * (tx.outputs.length + tx.ecOutputs.length) + tx.signatures.length);
  return ecRate * units;
}

export interface FactoidTxInputSpec {
  /** 32-byte ed25519 seed (the Fs body) that owns the input address. */
  readonly seed: Uint8Array;
  readonly amount: bigint;
}

export interface FactoidTxSpec {
  readonly timestampMs: number;
  readonly inputs: readonly FactoidTxInputSpec[];
  /** FCT outputs to RCD hashes (FA bodies). */
  readonly outputs?: readonly FactoidIo[];
  /** EC purchases: factoshis to EC public keys. */
  readonly ecOutputs?: readonly FactoidIo[];
}

/** Build and sign (RCD1) a factoid transaction; fee = inputs − outputs is the caller's choice. */
export function buildFactoidTransaction(spec: FactoidTxSpec): Buffer {
  const outputs = spec.outputs ?? [];
  const ecOutputs = spec.ecOutputs ?? [];
  if (spec.inputs.length > 255 || outputs.length > 255 || ecOutputs.length > 255) throw encodeError('at most 255 inputs/outputs each');
  const head = Buffer.alloc(9);
  writeUint48(head, spec.timestampMs, 0);
  head[6] = spec.inputs.length;
  head[7] = outputs.length;
  head[8] = ecOutputs.length;
  const pubs = spec.inputs.map((i) => publicKeyFromSeed(i.seed));
  const io = (amount: bigint, address: Uint8Array): Buffer => {
    if (address.length !== 32) throw encodeError('address must be 32 bytes');
    return Buffer.concat([encodeVarIntF(amount), address]);
  };
  const ledger = Buffer.concat([
    encodeVarIntF(2n),
    head,
    ...spec.inputs.map((i, k) => io(i.amount, rcdHash(pubs[k]))),
    ...outputs.map((o) => io(o.amount, o.address)),
    ...ecOutputs.map((o) => io(o.amount, o.address)),
  ]);
  const sigs = spec.inputs.map((i, k) => Buffer.concat([Buffer.from([0x01]), pubs[k], ed25519Sign(i.seed, ledger)]));
  return Buffer.concat([ledger, ...sigs]);
}
