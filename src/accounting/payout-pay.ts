import { existsSync, readFileSync, renameSync } from 'node:fs';
import { ProsperError } from '../errors.js';
import { buildEntryCommit, decodeAddress, ecAddressFromPrivate, fctAddressFromPrivate, isValidEcAddress, isValidFctAddress } from '../factom/index.js';
import { parsePayoutFile, parseReceipt, serializeReceipt, type PayoutReceipt } from './payout-file.js';
import { writeNewFileDurably } from './payout-db.js';
import { buildPayoutEntry } from './pegnet-tx.js';

/** The two factomd calls a payout needs (FactomdClient provides both). */
export interface EntrySubmitter {
  commitEntry(commit: Uint8Array): Promise<{ txid: string }>;
  revealEntry(entry: Uint8Array): Promise<{ entryHash: string }>;
}

export interface PayoutKeys {
  /** Fs… secret of the paying FA address. */
  fs: string;
  /** Es… secret of the EC address paying for the entry. */
  es: string;
}

/** Reads Fs… and Es… secrets from a key file (whitespace separated, `#` comments). */
export function parseKeyFile(text: string): PayoutKeys {
  const words = text.split('\n').filter((l) => !l.trim().startsWith('#')).join(' ').split(/\s+/).filter(Boolean);
  const fs = words.find((w) => w.startsWith('Fs'));
  const es = words.find((w) => w.startsWith('Es'));
  if (!fs || !es) throw new ProsperError('PROSPER_E_ACCOUNTING_KEYS', 'key file must hold one Fs… and one Es… secret');
  return { fs, es };
}

export interface PayOptions {
  payoutPath: string;
  receiptPath: string;
  sourceAddress: string;
  ecAddress: string;
  keys: PayoutKeys;
  chainId: string;
  submitter: EntrySubmitter;
  now: () => number;
}

/**
 * Step 2 (`payout-cli pay`): builds and signs ONE PegNet transfer batch for the whole payout
 * file, writes the receipt (status "signed", with the entry hash) BEFORE sending anything, then
 * commits and reveals, then marks the receipt "submitted". An existing receipt, or the payout
 * file's `.sent` marker, means this file was already handled: refused, so it is never paid twice.
 */
export async function payFromFile(opts: PayOptions): Promise<PayoutReceipt> {
  if (!isValidFctAddress(opts.sourceAddress)) throw new ProsperError('PROSPER_E_ACCOUNTING_KEYS', 'source is not a valid FA address');
  if (!isValidEcAddress(opts.ecAddress)) throw new ProsperError('PROSPER_E_ACCOUNTING_KEYS', 'EC address is not valid');
  if (existsSync(opts.receiptPath)) throw new ProsperError('PROSPER_E_ACCOUNTING_PAYOUT_FILE', `${opts.receiptPath} already exists: this payout was already signed`);
  let fsAddr: string;
  let ecAddr: string;
  try {
    fsAddr = fctAddressFromPrivate(opts.keys.fs);
    ecAddr = ecAddressFromPrivate(opts.keys.es);
  } catch (err) {
    throw new ProsperError('PROSPER_E_ACCOUNTING_KEYS', 'a secret key is malformed', { cause: err });
  }
  if (fsAddr !== opts.sourceAddress) throw new ProsperError('PROSPER_E_ACCOUNTING_KEYS', 'the Fs secret does not belong to the source address');
  if (ecAddr !== opts.ecAddress) throw new ProsperError('PROSPER_E_ACCOUNTING_KEYS', 'the Es secret does not belong to the EC address');

  const file = parsePayoutFile(readFileSync(opts.payoutPath, 'utf8'));
  const nowMs = opts.now();
  const timestampSalt = String(Math.floor(nowMs / 1000));
  const built = buildPayoutEntry({
    input: opts.sourceAddress,
    transfers: file.items.map((i) => ({ address: i.address, amount: i.amount })),
    chainId: opts.chainId,
    fsSecret: opts.keys.fs,
    timestampSalt,
  });
  const receipt: PayoutReceipt = {
    ...file, kind: 'prosper-payout-receipt', status: 'signed', sourceAddress: opts.sourceAddress, chainId: opts.chainId,
    timestampSalt, entryHash: built.entryHash, commitTxId: null,
  };
  // The payout file's own marker, created exclusively before anything is sent: a second `pay`
  // of the same file (even with another receipt path) is refused instead of paying twice.
  const marker = `${opts.payoutPath}.sent`;
  try {
    writeNewFileDurably(marker, `${opts.receiptPath}\n${built.entryHash}\n`);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    const prior = readFileSync(marker, 'utf8').split('\n')[0];
    throw new ProsperError('PROSPER_E_ACCOUNTING_PAYOUT_FILE', `${opts.payoutPath} was already paid (receipt ${prior}); remove ${marker} only if that payment never happened`);
  }
  writeNewFileDurably(opts.receiptPath, serializeReceipt(receipt));

  const commit = buildEntryCommit(Buffer.from(built.entryHash, 'hex'), built.ecCost, decodeAddress('Es', opts.keys.es), nowMs);
  const committed = await opts.submitter.commitEntry(commit);
  const revealed = await opts.submitter.revealEntry(built.bytes);
  if (revealed.entryHash !== built.entryHash) {
    throw new ProsperError('PROSPER_E_ACCOUNTING_TX', `factomd revealed ${revealed.entryHash}, expected ${built.entryHash}`);
  }
  const done: PayoutReceipt = { ...receipt, status: 'submitted', commitTxId: committed.txid };
  const tmp = `${opts.receiptPath}.tmp`;
  writeNewFileDurably(tmp, serializeReceipt(done));
  renameSync(tmp, opts.receiptPath);
  return done;
}

/**
 * For a receipt left "signed" (the send was interrupted): rebuilds the very same entry from the
 * receipt (same content, salt and deterministic ed25519 signature, hence the same entry hash),
 * and commits and reveals it again. PegNet applies one entry hash at most once, so this cannot
 * pay twice. The timestamp salt is only valid within 12 h of the block that includes it.
 */
export async function resubmitReceipt(opts: { receiptPath: string; keys: PayoutKeys; submitter: EntrySubmitter; now: () => number }): Promise<PayoutReceipt> {
  const receipt = parseReceipt(readFileSync(opts.receiptPath, 'utf8'));
  if (receipt.status === 'submitted') throw new ProsperError('PROSPER_E_ACCOUNTING_PAYOUT_FILE', 'this receipt was already submitted');
  const built = buildPayoutEntry({
    input: receipt.sourceAddress,
    transfers: receipt.items.map((i) => ({ address: i.address, amount: i.amount })),
    chainId: receipt.chainId,
    fsSecret: opts.keys.fs,
    timestampSalt: receipt.timestampSalt,
  });
  if (built.entryHash !== receipt.entryHash) throw new ProsperError('PROSPER_E_ACCOUNTING_TX', 'the receipt does not rebuild to its entry hash; refusing to send anything else');
  const commit = buildEntryCommit(Buffer.from(built.entryHash, 'hex'), built.ecCost, decodeAddress('Es', opts.keys.es), opts.now());
  let txid: string | null = null;
  let commitErr: unknown;
  try {
    txid = (await opts.submitter.commitEntry(commit)).txid;
  } catch (err) {
    // factomd refuses a second commit of an entry it already has paid for; the reveal decides.
    commitErr = err;
  }
  try {
    await opts.submitter.revealEntry(built.bytes);
  } catch (err) {
    throw commitErr ?? err;
  }
  const done: PayoutReceipt = { ...receipt, status: 'submitted', commitTxId: txid ?? receipt.commitTxId };
  const tmp = `${opts.receiptPath}.tmp`;
  writeNewFileDurably(tmp, serializeReceipt(done));
  renameSync(tmp, opts.receiptPath);
  return done;
}
