import { ProsperError } from '../errors.js';

/** Fee rates are kept as integers in 1e-8 units: "0.05" is 5 000 000. */
export const FEE_RATE_ONE = 100_000_000n;

/**
 * Parses `poolfeerate`. Accepts a decimal in [0, 1] with at most 8 decimals, and the
 * original's "-1" meaning no fee. Unlike the original, "0" is simply 0% and values outside
 * [0, 1] are refused rather than passed through.
 */
export function parseFeeRate(text: unknown, key = 'poolfeerate'): bigint {
  if (typeof text !== 'string') throw new ProsperError('PROSPER_E_ACCOUNTING_FEE', `${key} must be a string like "0.05"`);
  const t = text.trim();
  if (t === '-1') return 0n;
  const m = /^(\d+)(?:\.(\d{1,8}))?$/.exec(t);
  if (!m) throw new ProsperError('PROSPER_E_ACCOUNTING_FEE', `${key} must be a decimal in [0, 1] with at most 8 decimals, got ${JSON.stringify(text)}`);
  const value = BigInt(m[1]) * FEE_RATE_ONE + BigInt((m[2] ?? '').padEnd(8, '0') || '0');
  if (value > FEE_RATE_ONE) throw new ProsperError('PROSPER_E_ACCOUNTING_FEE', `${key} above 1: ${t}`);
  return value;
}

export function formatFeeRate(rateE8: bigint): string {
  const frac = (rateE8 % FEE_RATE_ONE).toString().padStart(8, '0').replace(/0+$/, '');
  return `${rateE8 / FEE_RATE_ONE}${frac ? '.' + frac : ''}`;
}
