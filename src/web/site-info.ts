import type { PoolConfig } from '../config/index.js';
import type { SiteInfo } from './ports-site.js';

/** Each payout scheme in words for the start page (README, Payout schemes, has the detail). */
const SCHEME_TEXT: Record<string, string> = {
  prop: "PROP: each won block's reward, less the fee, is split among the miners by the credit of their shares for that block",
  pplns: "PPLNS: each won block's reward, less the fee, is split by the credit of the last N shares (N a multiple of the pool's average credit per block)",
  pps: "PPS: every accepted share is paid at the pool's rate, less the PPS fee, whether or not a block is won",
};

/** The pool's terms for the site, from its config (the pool and `prosper-pool web` alike). */
export function siteInfoFromConfig(c: PoolConfig): SiteInfo {
  const scheme = String(c.accounting.scheme);
  return {
    feeRate: scheme === 'pps' ? String(c.accounting.ppsfee) : String(c.pool.poolfeerate),
    scheme, schemeText: SCHEME_TEXT[scheme] ?? scheme, minPayout: String(c.accounting.minpayout), stratumPort: c.stratum.stratumport,
    tlsPort: c.stratum.tlscert && c.stratum.tlskey ? c.stratum.tlsport : 0,
  };
}
