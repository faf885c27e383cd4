/**
 * Credit roots in the JSON-RPC API (POST /api/v1): the same objects as the REST routes, big
 * numbers as decimal strings there too (the roots' contract, not the legacy integers).
 */
import type { WebContext } from './context.js';
import { toRestJson } from './json.js';
import { creditKeyParam, creditPort, inclusionProof, publishedRoot } from './routes-credit.js';
import { intParam, jobIdParam, MAX_LIMIT, DEFAULT_LIMIT, MAX_OFFSET } from './validate.js';

/** Bigints become decimal strings, exactly as the REST API writes them. */
const asRest = (value: unknown): unknown => JSON.parse(toRestJson(value));

export function creditRpcMethods(ctx: WebContext): Record<string, (params: Record<string, unknown>) => Promise<unknown>> {
  const credit = () => creditPort(ctx);
  return {
    'api.PoolIdentity': async () => ({ publicKey: credit().publicKey() }),
    'api.CreditRoot': async (p) => asRest(await publishedRoot(credit(), jobIdParam(p.jobid, 'jobid'))),
    'api.CreditRoots': async (p) => {
      const page = await credit().roots(intParam(p.limit, 'limit', DEFAULT_LIMIT, MAX_LIMIT), intParam(p.offset, 'offset', 0, MAX_OFFSET));
      return asRest({ data: page.data, info: { records: page.data.length, totalrecords: page.total } });
    },
    'api.CreditProof': async (p) => {
      const jobId = jobIdParam(p.jobid, 'jobid');
      return asRest(await inclusionProof(credit(), jobId, creditKeyParam(typeof p.creditkey === 'string' ? p.creditkey : '')));
    },
  };
}
