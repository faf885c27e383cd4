import { randomUUID } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, writeSync } from 'node:fs';
import { ProsperError } from '../errors.js';
import type { RecordOutcome, Store } from '../store/index.js';
import { parseReceipt, payoutFileFromBatch, serializePayoutFile, type PaidRoot, type PayoutFile } from './payout-file.js';

/** Creates `path` (must not exist) with `text`, fsynced: a file that is there is complete. */
export function writeNewFileDurably(path: string, text: string): void {
  const fd = openSync(path, 'wx', 0o600);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Step 1 (`prosper-pool db payout FILE`): locks every due balance into a pending batch in the
 * database FIRST, then writes the file. If the file cannot be written the batch is cancelled,
 * so nothing stays locked for a file nobody has. Returns null when nobody is due.
 */
export async function writePayoutFile(
  store: Pick<Store, 'createPayoutBatch' | 'cancelPayoutBatch'>,
  path: string,
  opts: { minimum: bigint; now: () => number; newId?: () => string; paidRoots?: (batchId: string) => Promise<PaidRoot[]> },
): Promise<PayoutFile | null> {
  if (existsSync(path)) throw new ProsperError('PROSPER_E_ACCOUNTING_PAYOUT_FILE', `${path} already exists`);
  const id = (opts.newId ?? randomUUID)();
  const batch = await store.createPayoutBatch(id, opts.minimum, new Date(opts.now()));
  if (!batch) return null;
  let file: PayoutFile;
  try {
    file = payoutFileFromBatch(batch, await opts.paidRoots?.(id));
    writeNewFileDurably(path, serializePayoutFile(file));
  } catch (err) {
    await store.cancelPayoutBatch(id, new Date(opts.now()));
    throw new ProsperError('PROSPER_E_ACCOUNTING_PAYOUT_FILE', `cannot write ${path}; batch ${id} cancelled`, { cause: err });
  }
  return file;
}

/**
 * Step 3 (`prosper-pool db record RECEIPT`): the receipt must describe exactly the pending
 * batch (same users, addresses, amounts); then the batch is marked paid with the entry hash.
 * Recording the same receipt again changes nothing.
 */
export async function recordReceiptFile(
  store: Pick<Store, 'getPayoutBatch' | 'recordPayout'>,
  path: string,
  now: () => number,
  opts: { acceptSigned?: boolean } = {},
): Promise<{ outcome: RecordOutcome; batchId: string; entryHash: string; total: bigint }> {
  const receipt = parseReceipt(readFileSync(path, 'utf8'));
  // A "signed" receipt means the send may or may not have happened: only the operator, after
  // finding the entry on chain (pegnetd get tx <hash>), may record it.
  if (receipt.status !== 'submitted' && !opts.acceptSigned) {
    throw new ProsperError('PROSPER_E_ACCOUNTING_PAYOUT_FILE', 'receipt was signed but never confirmed submitted; check the entry on chain before recording');
  }
  const batch = await store.getPayoutBatch(receipt.batchId);
  if (!batch) throw new ProsperError('PROSPER_E_STORE_PAYOUT_UNKNOWN', `no payout batch ${receipt.batchId}`);
  const key = (i: { userId: bigint; address: string; amount: bigint }) => `${i.userId}/${i.address}/${i.amount}`;
  const want = batch.items.map(key).sort().join('\n');
  const got = receipt.items.map(key).sort().join('\n');
  if (want !== got) throw new ProsperError('PROSPER_E_ACCOUNTING_PAYOUT_MISMATCH', `receipt items differ from batch ${batch.id}`);
  const outcome = await store.recordPayout(batch.id, receipt.entryHash, new Date(now()));
  return { outcome, batchId: batch.id, entryHash: receipt.entryHash, total: receipt.total };
}
