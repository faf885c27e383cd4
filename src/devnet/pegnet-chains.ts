import { buildEntry, type Entry } from '../factom/index.js';

/** First entries of the PegNet chains ["PegNet", network, <name>] the devnet creates at genesis. */
export function pegnetChainFirstEntries(network: string): Entry[] {
  return ['OraclePriceRecords', 'Transactions', 'StakingPriceRecords'].map((name) => buildEntry(['PegNet', network, name], ''));
}

export function pegnetChainId(network: string, name: 'OraclePriceRecords' | 'Transactions' | 'StakingPriceRecords'): Buffer {
  return buildEntry(['PegNet', network, name], '').chainId;
}
