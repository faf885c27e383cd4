import type { PriceSource, SourceDeps, SourceReading } from './types.js';

/** What differs between HTTP providers: how to ask, and how to read the answer. */
export interface HttpSourceSpec {
  name: string;
  assets: readonly string[];
  /** The full request URL and headers, from the endpoint and key. */
  request(deps: SourceDeps): { url: string; headers?: Record<string, string> };
  /** Strict parser; throws a coded error when the whole answer is unusable. */
  parse(body: string, now: number, staleMs: number): SourceReading;
}

/** A provider as a PriceSource: one GET with the shared timeout, then the strict parser. */
export function httpSource(spec: HttpSourceSpec, deps: SourceDeps): PriceSource {
  return {
    name: spec.name,
    url: deps.endpoint,
    assets: spec.assets,
    async read(signal?: AbortSignal): Promise<SourceReading> {
      const req = spec.request(deps);
      const body = await deps.http(req.url, { source: spec.name, headers: req.headers, timeoutMs: deps.timeoutMs, signal });
      return spec.parse(body, deps.now(), deps.staleMs);
    },
  };
}

/** Appends query parameters to an endpoint that may already carry some. */
export function withQuery(endpoint: string, params: Record<string, string>): string {
  const url = new URL(endpoint);
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  return url.toString();
}
