/**
 * Builds the pool's own OPR for a job (V2..V5 protobuf) from prices already in 1e-8 USD
 * units (the oracle truncates and converts them as the reference miner did; PEG is forced to
 * 0 in V2), then checks it with the grader's own validation so a job never carries an OPR the
 * network would refuse.
 */
import { ProsperError } from '../errors.js';
import type { OprVersion } from './activation.js';
import { assetsForVersion } from './assets.js';
import { oprHash, winnersToBytes } from './opr-hash.js';
import { encodeProtoContent } from './proto-content.js';
import { validateOprEntry } from './validate.js';

export interface OwnOprInput {
  readonly version: Exclude<OprVersion, 1>;
  readonly height: number;
  /** Coinbase FA address. */
  readonly address: string;
  readonly identity: string;
  /** The previous block's winners (short hashes), as the grader will expect them. */
  readonly previousWinners: readonly string[];
  /** Price per asset code in 1e-8 USD; every asset of the version must be present. */
  readonly prices: ReadonlyMap<string, bigint>;
}

export interface OwnOpr {
  readonly content: Uint8Array;
  readonly oprHash: Uint8Array;
  readonly assets: readonly bigint[];
}

export function buildOwnOpr(input: OwnOprInput): OwnOpr {
  const names = assetsForVersion(input.version);
  const assets = names.map((name, i) => {
    if (input.version === 2 && i === 0) return 0n;
    const p = input.prices.get(name);
    if (p === undefined) throw new ProsperError('PROSPER_E_PEGNET_PRICE', `no price for ${name}`);
    if (p < 0n || p >= 1n << 64n) throw new ProsperError('PROSPER_E_PEGNET_PRICE', `price of ${name} is not a uint64: ${p}`);
    return p;
  });
  const content = encodeProtoContent({
    address: input.address,
    id: input.identity,
    height: input.height,
    winners: winnersToBytes(input.previousWinners),
    assets,
  });
  const check = validateOprEntry(input.version, input.height, input.previousWinners, new Uint8Array(32),
    [new Uint8Array(0), new Uint8Array(8), Uint8Array.of(input.version)], content);
  if (!check.ok) throw new ProsperError('PROSPER_E_PEGNET_OWN_OPR', `the pool's OPR would be refused: ${check.reason}`);
  return { content, oprHash: oprHash(content), assets };
}
