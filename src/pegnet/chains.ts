/**
 * PegNet chain ids per network (docs/pegnet.md section 1). A chain id is the Factom chain
 * id of the first entry's ExtIDs ["PegNet", network, tag]. pegnetd's "TestNet" uses ids that
 * derive from no known name, so they are listed as they are; private networks pass their own.
 */
import { ProsperError } from '../errors.js';
import { chainIdFromExtIds } from '../factom/index.js';

export interface PegnetChains {
  readonly network: string;
  readonly opr: string;
  readonly transactions: string;
  readonly spr: string;
}

/** chain id of ["PegNet", network, tag] as lowercase hex. */
export function pegnetChainId(network: string, tag: string): string {
  const enc = new TextEncoder();
  return chainIdFromExtIds([enc.encode('PegNet'), enc.encode(network), enc.encode(tag)]).toString('hex');
}

const PEGNETD_TESTNET: PegnetChains = Object.freeze({
  network: 'TestNet',
  opr: 'ad98d39f002d4cae9ed07a8f5689cb029a83ad3b4bd8d23c49345d4ca7ca4393',
  transactions: '2ac925fe946543a83d4c232d788dd589177611c0dbe970172c21b42039682a8a',
  spr: 'e3b1668158026b2450d123ba993aca5367a8b96c6018f63640101a28b8ab5bc7',
});

/**
 * Chain ids for a network name: "MainNet" (the default), pegnetd's "TestNet", or any other
 * name (e.g. the reference miner's "TestNet-pM7", a devnet's own name) derived from it.
 */
export function chainsForNetwork(network = 'MainNet'): PegnetChains {
  if (typeof network !== 'string' || network.length === 0) {
    throw new ProsperError('PROSPER_E_PEGNET_NETWORK', 'network name must be a non-empty string');
  }
  if (network === 'TestNet') return PEGNETD_TESTNET;
  return Object.freeze({
    network,
    opr: pegnetChainId(network, 'OraclePriceRecords'),
    transactions: pegnetChainId(network, 'Transactions'),
    spr: pegnetChainId(network, 'StakingPriceRecords'),
  });
}

export const MAINNET_OPR_CHAIN = 'a642a8674f46696cc47fdb6b65f9c87b2a19c5ea8123b3d2f0c13b6f33a9d5ef';
