import { oracleError, OracleErrorCode } from '../errors.js';
import type { HttpSourceSpec } from './http-source.js';
import { ReadingBuilder } from './reading.js';
import type { SourceReading } from './types.js';

/**
 * Kitco's market page, scraped: inside `<table class="world_spot_price">`, the elements with ids
 * `wsp-AU-bid` / `wsp-AU-date` (AG, PT, PD alike) hold the bid and an MM/DD/YYYY date. Quotes are
 * only dated to the day, so the registry gives Kitco a multi-day staleness limit.
 */
export const KITCO_ENDPOINT = 'https://www.kitco.com/market/';
export const KITCO_ASSETS: readonly string[] = ['XAU', 'XAG', 'XPD', 'XPT'];
const CODES: Readonly<Record<string, string>> = { XAU: 'AU', XAG: 'AG', XPD: 'PD', XPT: 'PT' };

function cell(table: string, id: string): string | undefined {
  const m = new RegExp(`id=["']${id}["'][^>]*>([^<]*)<`).exec(table);
  return m ? m[1].trim() : undefined;
}

function kitcoDate(text: string | undefined): number | undefined {
  const m = text === undefined ? null : /^(\d\d)\/(\d\d)\/(\d{4})$/.exec(text);
  if (!m) return undefined;
  const t = Date.UTC(Number(m[3]), Number(m[1]) - 1, Number(m[2]));
  return Number.isFinite(t) ? t : undefined;
}

export function parseKitco(body: string, now: number, staleMs: number): SourceReading {
  const name = 'Kitco';
  const start = body.indexOf('<table class="world_spot_price">');
  if (start < 0) throw oracleError(OracleErrorCode.Malformed, `${name}: world_spot_price table not found in the page`);
  const end = body.indexOf('</table>', start);
  const table = body.slice(start, end < 0 ? undefined : end);
  const b = new ReadingBuilder(name, now, staleMs);
  for (const asset of KITCO_ASSETS) {
    const bid = cell(table, `wsp-${CODES[asset]}-bid`);
    if (bid === undefined) continue;
    const date = cell(table, `wsp-${CODES[asset]}-date`);
    const time = kitcoDate(date);
    if (time === undefined) { b.malformed(asset, `date ${JSON.stringify(date)} is not MM/DD/YYYY`); continue; }
    const clean = bid.replace(/,/g, '');
    if (!/^\d+(\.\d+)?$/.test(clean)) { b.malformed(asset, `bid ${JSON.stringify(bid)} is not a number`); continue; }
    b.price(asset, Number(clean), time);
  }
  return b.finish(KITCO_ASSETS);
}

export const kitcoSpec: HttpSourceSpec = {
  name: 'Kitco',
  assets: KITCO_ASSETS,
  request: (d) => ({ url: d.endpoint }),
  parse: parseKitco,
};
