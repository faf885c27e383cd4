import type { HttpSourceSpec } from './http-source.js';
import { isoToMs, parseJsonBody, ReadingBuilder, requireRecord } from './reading.js';
import type { SourceReading } from './types.js';

/** pegapi.factoshi.io (deprecated): `{price, updated_at}` for PEG. */
export const FACTOSHIIO_ENDPOINT = 'https://pegapi.factoshi.io/';
export const FACTOSHIIO_ASSETS: readonly string[] = ['PEG'];

/** `updated_at` as ISO text, unix seconds or unix ms. */
function updatedAt(v: unknown): number | undefined {
  if (typeof v === 'string' && !/^\d+$/.test(v)) return isoToMs(v);
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) return undefined;
  return n > 1e12 ? n : n * 1000;
}

export function parseFactoshiio(body: string, now: number, staleMs: number): SourceReading {
  const name = 'Factoshiio';
  const doc = requireRecord(name, parseJsonBody(name, body), 'the answer');
  const b = new ReadingBuilder(name, now, staleMs);
  if (doc.price !== undefined) b.price('PEG', doc.price, updatedAt(doc.updated_at));
  return b.finish(FACTOSHIIO_ASSETS);
}

export const factoshiioSpec: HttpSourceSpec = {
  name: 'Factoshiio',
  assets: FACTOSHIIO_ASSETS,
  request: (d) => ({ url: d.endpoint }),
  parse: parseFactoshiio,
};
