import { minimumFactoidFee, toHex, verifyFactoidTransaction, type FactoidTransaction } from '../factom/index.js';
import type { Ledger } from './ledger.js';

/**
 * factomd's later (asynchronous) factoid-transaction checks: signatures, fee and input balances;
 * when they hold, move factoshis and credit EC outputs at `ecRate`. Returns why it was refused.
 */
export function applyFactoidTransaction(ledger: Ledger, tx: FactoidTransaction, ecRate: bigint): string | undefined {
  if (!verifyFactoidTransaction(tx)) return 'bad signature';
  const sum = (xs: readonly { amount: bigint }[]): bigint => xs.reduce((s, x) => s + x.amount, 0n);
  const fee = sum(tx.inputs) - sum(tx.outputs) - sum(tx.ecOutputs);
  if (fee < minimumFactoidFee(tx, ecRate)) return 'fee too low';
  const need = new Map<string, bigint>();
  for (const i of tx.inputs) need.set(toHex(i.address), (need.get(toHex(i.address)) ?? 0n) + i.amount);
  for (const [a, n] of need) if (ledger.fctBalance(a) < n) return 'input balance too low';
  for (const [a, n] of need) ledger.creditFct(a, -n);
  for (const out of tx.outputs) ledger.creditFct(toHex(out.address), out.amount);
  for (const out of tx.ecOutputs) ledger.creditEc(toHex(out.address), out.amount / ecRate);
  return undefined;
}
