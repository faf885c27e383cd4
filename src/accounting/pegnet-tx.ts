import { ProsperError } from '../errors.js';
import {
  buildEntry, decodeAddress, ed25519Sign, entryCost, entryHash, fctAddressFromPublicKey, fromHex32, isValidFctAddress, marshalEntry,
  publicKeyFromSeed, rcd1, sha512, type Entry,
} from '../factom/index.js';

/** The PegNet Transactions chain on MainNet. */
export const PEGNET_TX_CHAIN_MAINNET = 'cffce0f409ebba4ed236d49d89c70e4bd1f1367d86402a3363366683265a242d';
const INT64_MAX = (1n << 63n) - 1n;
/** The FA address of the all-zero key: PegNet's "coinbase", never a valid input. */
const COINBASE_FA = fctAddressFromPublicKey(publicKeyFromSeed(Buffer.alloc(32)));

export interface Transfer {
  address: string;
  amount: bigint;
}

function txError(message: string): ProsperError {
  return new ProsperError('PROSPER_E_ACCOUNTING_TX', message);
}

/**
 * Content of a PegNet transfer batch paying every transfer from one input address, in the
 * recommended shape: ONE transaction with input = total and many transfers. Serialized by hand
 * so amounts (bigint) are exact and key order is the canonical one.
 */
export function transferBatchContent(input: string, transfers: readonly Transfer[]): string {
  if (!isValidFctAddress(input)) throw txError(`input is not a valid FA address: ${input}`);
  if (input === COINBASE_FA) throw txError('the coinbase address cannot be a transaction input');
  if (transfers.length === 0) throw txError('a transaction needs at least one transfer');
  let total = 0n;
  const parts = transfers.map((t) => {
    if (!isValidFctAddress(t.address)) throw txError(`payee is not a valid FA address: ${t.address}`);
    if (t.amount <= 0n || t.amount > INT64_MAX) throw txError(`transfer amount out of range: ${t.amount}`);
    total += t.amount;
    return `{"address":"${t.address}","amount":${t.amount}}`;
  });
  if (total > INT64_MAX) throw txError('total exceeds int64');
  return `{"version":1,"transactions":[{"input":{"address":"${input}","amount":${total},"type":"PEG"},"transfers":[${parts.join(',')}]}]}`;
}

export interface SignedBatch {
  /** [timestampSalt, RCD, signature] (FAT-103, one input). */
  extIds: Buffer[];
  digest: Buffer;
  signature: Buffer;
}

/** FAT-103 signing: ed25519 over sha512("0" ‖ salt ‖ chainId ‖ content) by the input's key. */
export function signTransferBatch(opts: { content: string; chainId: string; fsSecret: string; timestampSalt: string }): SignedBatch {
  if (!/^\d{1,20}$/.test(opts.timestampSalt)) throw txError('timestamp salt must be decimal unix seconds');
  const seed = decodeAddress('Fs', opts.fsSecret);
  const pub = publicKeyFromSeed(seed);
  const input = /"input":\{"address":"(FA[1-9A-HJ-NP-Za-km-z]+)"/.exec(opts.content)?.[1];
  if (input !== fctAddressFromPublicKey(pub)) throw txError('the signing key does not own the input address');
  const salt = Buffer.from(opts.timestampSalt, 'ascii');
  const digest = sha512(Buffer.from('0', 'ascii'), salt, fromHex32(opts.chainId, 'chain id'), Buffer.from(opts.content, 'utf8'));
  const signature = ed25519Sign(seed, digest);
  return { extIds: [salt, rcd1(pub), signature], digest, signature };
}

export interface PayoutEntry {
  entry: Entry;
  bytes: Buffer;
  entryHash: string;
  ecCost: number;
  content: string;
}

/** Builds and signs the payout entry; refuses (with a coded error) one larger than 10 KiB. */
export function buildPayoutEntry(opts: { input: string; transfers: readonly Transfer[]; chainId: string; fsSecret: string; timestampSalt: string }): PayoutEntry {
  const content = transferBatchContent(opts.input, opts.transfers);
  const signed = signTransferBatch({ content, chainId: opts.chainId, fsSecret: opts.fsSecret, timestampSalt: opts.timestampSalt });
  const entry = buildEntry(signed.extIds, content, fromHex32(opts.chainId, 'chain id'));
  let bytes: Buffer;
  try {
    bytes = marshalEntry(entry);
  } catch (err) {
    throw new ProsperError('PROSPER_E_ACCOUNTING_TX_TOO_BIG', `payout entry too large (${opts.transfers.length} payees); split the payout file`, { cause: err });
  }
  return { entry, bytes, entryHash: entryHash(entry).toString('hex'), ecCost: entryCost(bytes.length), content };
}
