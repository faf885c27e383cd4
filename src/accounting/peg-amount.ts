import { ProsperError } from '../errors.js';

const ONE_PEG = 100_000_000n;

/** 1e-8 units to "int.frac" with trailing zeros trimmed (the original's display). */
export function formatPeg(amount: bigint): string {
  const neg = amount < 0n;
  const a = neg ? -amount : amount;
  const frac = (a % ONE_PEG).toString().padStart(8, '0').replace(/0+$/, '');
  return `${neg ? '-' : ''}${a / ONE_PEG}${frac ? '.' + frac : ''}`;
}

/** "1.5" PEG to 150 000 000; at most 8 decimals, never negative. */
export function parsePeg(text: string): bigint {
  const m = /^(\d+)(?:\.(\d{1,8}))?$/.exec(text.trim());
  if (!m) throw new ProsperError('PROSPER_E_ACCOUNTING_AMOUNT', `not a PEG amount with at most 8 decimals: ${JSON.stringify(text)}`);
  return BigInt(m[1]) * ONE_PEG + BigInt((m[2] ?? '').padEnd(8, '0'));
}
