import { ProsperError } from '../errors.js';

/** The payout schemes a pool can run (`[accounting] scheme`); each settled block records the one that paid it. */
export const SCHEMES = ['prop', 'pplns', 'pps'] as const;
export type Scheme = (typeof SCHEMES)[number];

export function isScheme(text: unknown): text is Scheme {
  return typeof text === 'string' && (SCHEMES as readonly string[]).includes(text);
}

/** Reads a scheme name (config, CLI, stored rows); anything else is PROSPER_E_ACCOUNTING_SCHEME. */
export function parseScheme(text: unknown): Scheme {
  const t = typeof text === 'string' ? text.trim().toLowerCase() : text;
  if (!isScheme(t)) throw new ProsperError('PROSPER_E_ACCOUNTING_SCHEME', `payout scheme must be one of ${SCHEMES.join(', ')}, got ${JSON.stringify(text)}`);
  return t;
}
