import { buildEntry, type Entry } from '../factom/index.js';

/** First entries of the PegNet chains ["PegNet", network, <name>] the devnet creates at genesis. */
export function pegnetChainFirstEntries(network: string): Entry[] {
  return ['OraclePriceRecords', 'Transactions', 'StakingPriceRecords'].map((name) => buildEntry(['PegNet', network, name], ''));
}
