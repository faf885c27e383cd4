import type { JobId } from '../domain/index.js';
import { ProsperError } from '../errors.js';
import { isValidFctAddress } from '../factom/index.js';
import type { PayoutBatch } from '../store/index.js';

/**
 * The files passed between the three payout steps. Amounts are decimal strings of 1e-8 PEG so
 * JSON never rounds them. The batch id ties every file to the pending batch in the database.
 */
export interface PayoutFileItem {
  userId: bigint;
  email: string;
  address: string;
  amount: bigint;
}

/** A signed credit root whose job's owed amounts the batch pays (docs/verifiable-accounting.md). */
export interface PaidRoot {
  jobId: JobId;
  root: string;
}

export interface PayoutFile {
  kind: 'prosper-payout';
  batchId: string;
  createdAt: string;
  items: PayoutFileItem[];
  total: bigint;
  /** The credit roots it pays (absent in files from before verifiable accounting). */
  roots?: PaidRoot[];
}

export interface PayoutReceipt extends Omit<PayoutFile, 'kind'> {
  kind: 'prosper-payout-receipt';
  /** 'signed': written before anything was sent; 'submitted': factomd took commit and reveal. */
  status: 'signed' | 'submitted';
  sourceAddress: string;
  chainId: string;
  timestampSalt: string;
  entryHash: string;
  commitTxId: string | null;
}

function fileError(message: string): ProsperError {
  return new ProsperError('PROSPER_E_ACCOUNTING_PAYOUT_FILE', message);
}

export function payoutFileFromBatch(batch: PayoutBatch, roots?: PaidRoot[]): PayoutFile {
  return {
    ...(roots ? { roots } : {}),
    kind: 'prosper-payout',
    batchId: batch.id,
    createdAt: batch.createdAt.toISOString(),
    items: batch.items.map((i) => ({ userId: i.userId, email: i.email, address: i.address, amount: i.amount })),
    total: batch.items.reduce((s, i) => s + i.amount, 0n),
  };
}

function itemsJson(items: readonly PayoutFileItem[]) {
  return items.map((i) => ({ userId: i.userId.toString(), email: i.email, address: i.address, amount: i.amount.toString() }));
}

export function serializePayoutFile(f: PayoutFile): string {
  const roots = f.roots ? { roots: f.roots.map((r) => ({ jobId: r.jobId.toString(), root: r.root })) } : {};
  return JSON.stringify({ version: 1, kind: f.kind, batchId: f.batchId, createdAt: f.createdAt, total: f.total.toString(), ...roots, items: itemsJson(f.items) }, null, 2) + '\n';
}

export function serializeReceipt(r: PayoutReceipt): string {
  return JSON.stringify({
    version: 1, kind: r.kind, status: r.status, batchId: r.batchId, createdAt: r.createdAt, total: r.total.toString(),
    sourceAddress: r.sourceAddress, chainId: r.chainId, timestampSalt: r.timestampSalt, entryHash: r.entryHash, commitTxId: r.commitTxId,
    items: itemsJson(r.items),
  }, null, 2) + '\n';
}

function field(o: Record<string, unknown>, key: string, test: (v: unknown) => boolean, what: string): unknown {
  if (!test(o[key])) throw fileError(`${key}: expected ${what}`);
  return o[key];
}
const isStr = (v: unknown) => typeof v === 'string';
const isUint = (v: unknown) => typeof v === 'string' && /^\d{1,20}$/.test(v);
/** A job id is written as a decimal string too; it must be a height a JobId holds exactly. */
const isJobId = (v: unknown) => isUint(v) && Number.isSafeInteger(Number(v));

function parseCommon(text: string, kind: string) {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new ProsperError('PROSPER_E_ACCOUNTING_PAYOUT_FILE', 'not JSON', { cause: err });
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw fileError('expected a JSON object (an old-style array file is not accepted)');
  const o = raw as Record<string, unknown>;
  if (o.version !== 1 || o.kind !== kind) throw fileError(`expected a version 1 ${kind} file`);
  const batchId = field(o, 'batchId', (v) => typeof v === 'string' && /^[A-Za-z0-9_-]{1,100}$/.test(v), 'a batch id') as string;
  const createdAt = field(o, 'createdAt', isStr, 'a timestamp') as string;
  if (!Array.isArray(o.items) || o.items.length === 0) throw fileError('items: expected a non-empty array');
  const seen = new Set<string>();
  const items = o.items.map((x, n) => {
    if (typeof x !== 'object' || x === null) throw fileError(`items[${n}]: expected an object`);
    const i = x as Record<string, unknown>;
    const userId = BigInt(field(i, 'userId', isUint, 'a user id string') as string);
    const address = field(i, 'address', isValidFctAddress, 'an FA address') as string;
    const amount = BigInt(field(i, 'amount', isUint, 'an amount string in 1e-8 PEG') as string);
    if (amount <= 0n) throw fileError(`items[${n}]: amount must be positive`);
    if (seen.has(userId.toString())) throw fileError(`items[${n}]: user ${userId} appears twice`);
    seen.add(userId.toString());
    return { userId, email: String(i.email ?? ''), address, amount };
  });
  const total = BigInt(field(o, 'total', isUint, 'a total string') as string);
  if (total !== items.reduce((s, i) => s + i.amount, 0n)) throw fileError('total does not match the items');
  return { o, batchId, createdAt, items, total };
}

function parseRoots(v: unknown): PaidRoot[] | undefined {
  if (v === undefined) return undefined;
  if (!Array.isArray(v)) throw fileError('roots: expected an array');
  return v.map((x, n) => {
    const r = (typeof x === 'object' && x !== null ? x : {}) as Record<string, unknown>;
    if (!isJobId(r.jobId) || typeof r.root !== 'string' || !/^[0-9a-f]{64}$/.test(r.root)) throw fileError(`roots[${n}]: expected { jobId, root }`);
    return { jobId: Number(r.jobId), root: r.root };
  });
}

export function parsePayoutFile(text: string): PayoutFile {
  const { o, batchId, createdAt, items, total } = parseCommon(text, 'prosper-payout');
  const roots = parseRoots(o.roots);
  return { kind: 'prosper-payout', batchId, createdAt, items, total, ...(roots ? { roots } : {}) };
}

export function parseReceipt(text: string): PayoutReceipt {
  const { o, batchId, createdAt, items, total } = parseCommon(text, 'prosper-payout-receipt');
  const status = field(o, 'status', (v) => v === 'signed' || v === 'submitted', '"signed" or "submitted"') as 'signed' | 'submitted';
  const entryHash = field(o, 'entryHash', (v) => typeof v === 'string' && /^[0-9a-f]{64}$/.test(v), 'a 64-hex entry hash') as string;
  return {
    kind: 'prosper-payout-receipt', batchId, createdAt, items, total, status, entryHash,
    sourceAddress: field(o, 'sourceAddress', isValidFctAddress, 'an FA address') as string,
    chainId: field(o, 'chainId', (v) => typeof v === 'string' && /^[0-9a-f]{64}$/.test(v), 'a chain id') as string,
    timestampSalt: field(o, 'timestampSalt', (v) => typeof v === 'string' && /^\d+$/.test(v), 'decimal seconds') as string,
    commitTxId: o.commitTxId == null ? null : (field(o, 'commitTxId', (v) => typeof v === 'string' && /^[0-9a-f]{64}$/.test(v), 'a txid') as string),
  };
}
