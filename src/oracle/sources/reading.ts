import type { ProsperError } from '../../errors.js';
import { tradesInMarketHours } from '../assets.js';
import { oracleError, OracleErrorCode } from '../errors.js';
import { weekendCloseStart } from '../market-hours.js';
import type { SourceReading } from './types.js';

/** Clock skew we accept from a provider stamping quotes in the future. */
const FUTURE_SKEW_MS = 10 * 60_000;

/**
 * Collects one source's prices while checking each one strictly: a finite positive number, a
 * sane quote time, and not older than the staleness limit (fiat and metals may keep Friday's
 * quote over the weekend close).
 */
export class ReadingBuilder {
  private readonly reading: SourceReading;
  constructor(
    readonly source: string,
    private readonly now: number,
    private readonly staleMs: number,
  ) {
    this.reading = { source, takenAt: now, prices: new Map(), times: new Map(), errors: new Map() };
  }

  fail(asset: string, err: ProsperError): void {
    if (!this.reading.prices.has(asset)) this.reading.errors.set(asset, err);
  }

  malformed(asset: string, what: string): void {
    this.fail(asset, oracleError(OracleErrorCode.Malformed, `${this.source}: ${asset}: ${what}`));
  }

  /** Records a price; `timeMs` is the provider's quote time. */
  price(asset: string, value: unknown, timeMs: number | undefined): void {
    const v = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
    if (typeof v !== 'number' || !Number.isFinite(v)) return this.malformed(asset, `price ${JSON.stringify(value)} is not a number`);
    if (v === 0) return this.fail(asset, oracleError(OracleErrorCode.ZeroPrice, `${this.source}: ${asset}: price is zero`));
    if (v < 0) return this.malformed(asset, `price ${v} is negative`);
    if (v * 1e8 >= 2 ** 63) return this.malformed(asset, `price ${v} is too large`);
    if (timeMs === undefined || !Number.isFinite(timeMs) || timeMs <= 0) return this.malformed(asset, 'quote has no valid timestamp');
    if (timeMs > this.now + FUTURE_SKEW_MS) return this.malformed(asset, `quote time ${new Date(timeMs).toISOString()} is in the future`);
    if (!this.fresh(asset, timeMs)) {
      const ageMin = Math.round((this.now - timeMs) / 60_000);
      return this.fail(asset, oracleError(OracleErrorCode.Stale, `${this.source}: ${asset}: quote is ${ageMin} min old (limit ${Math.round(this.staleMs / 60_000)} min)`));
    }
    this.reading.errors.delete(asset);
    this.reading.prices.set(asset, v);
    this.reading.times.set(asset, timeMs);
  }

  /** Records the inverse of a USD->X rate, which is the USD price of one X. */
  inverse(asset: string, rate: unknown, timeMs: number | undefined): void {
    const r = typeof rate === 'string' && rate.trim() !== '' ? Number(rate) : rate;
    if (typeof r !== 'number' || !Number.isFinite(r)) return this.malformed(asset, `rate ${JSON.stringify(rate)} is not a number`);
    if (r === 0) return this.fail(asset, oracleError(OracleErrorCode.ZeroPrice, `${this.source}: ${asset}: rate is zero`));
    if (r < 0) return this.malformed(asset, `rate ${r} is negative`);
    this.price(asset, 1 / r, timeMs);
  }

  private fresh(asset: string, timeMs: number): boolean {
    if (this.now - timeMs <= this.staleMs) return true;
    if (!tradesInMarketHours(asset)) return false;
    const closed = weekendCloseStart(this.now);
    return closed !== undefined && timeMs >= closed - this.staleMs;
  }

  /** Marks every expected asset that got neither a price nor an error as missing. */
  finish(expected: readonly string[]): SourceReading {
    for (const asset of expected) {
      if (!this.reading.prices.has(asset) && !this.reading.errors.has(asset)) {
        this.reading.errors.set(asset, oracleError(OracleErrorCode.MissingAsset, `${this.source}: ${asset} missing from the answer`));
      }
    }
    return this.reading;
  }
}

/** Parses a JSON body or throws a coded malformed error. */
export function parseJsonBody(source: string, body: string): unknown {
  try {
    return JSON.parse(body);
  } catch (err) {
    throw oracleError(OracleErrorCode.Malformed, `${source}: answer is not JSON (${body.slice(0, 60).replace(/\s+/g, ' ')}…)`, err);
  }
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The object at `body[key]`, or a coded error naming what was expected. */
export function requireRecord(source: string, v: unknown, what: string): Record<string, unknown> {
  if (!isRecord(v)) throw oracleError(OracleErrorCode.Malformed, `${source}: expected ${what} to be an object`);
  return v;
}

/** Unix seconds (number or numeric string) to ms; undefined when it is not one. */
export function secondsToMs(v: unknown): number | undefined {
  const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
  return typeof n === 'number' && Number.isFinite(n) && n > 0 ? n * 1000 : undefined;
}

export function millis(v: unknown): number | undefined {
  const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
  return typeof n === 'number' && Number.isFinite(n) && n > 0 ? n : undefined;
}

/** ISO-8601 text to ms; undefined when it does not parse. */
export function isoToMs(v: unknown): number | undefined {
  if (typeof v !== 'string' || !/^\d{4}-\d\d-\d\dT/.test(v)) return undefined;
  const t = Date.parse(v);
  return Number.isFinite(t) ? t : undefined;
}
