import type { MiningJob } from '../domain/index.js';
import { ProsperError } from '../errors.js';
import type { Logger } from '../log.js';
import {
  assetsForVersion, buildOwnOpr, encodeV1Content, oprHash, oprVersionAt, unitsToPrice, winnerCount,
  type ActivationHeights, type OprVersion,
} from '../pegnet/index.js';

/** What miners work on: one OPR for the next height, and the hash they grind with nonces. */
export interface PoolJob extends Readonly<Pick<MiningJob, 'jobId' | 'oprHash'>> {
  readonly version: OprVersion;
  /** The entry content: V1 JSON or V2+ protobuf; `oprHash` is its sha256. */
  readonly content: Uint8Array;
  /** Prices in 1e-8 USD in the version's asset order. */
  readonly prices: ReadonlyMap<string, bigint>;
  /** The previous block's winners (short hashes, hex). */
  readonly previousWinners: readonly string[];
  readonly createdAt: number;
}

export interface PriceSource {
  getPrices(version: OprVersion, signal?: AbortSignal): Promise<Map<string, bigint>>;
}

export interface JobBuilderOptions {
  prices: PriceSource;
  /** `[pool] opridentity` */
  identity: string;
  /** `[pool] oprcoinbase` */
  coinbase: string;
  activations: ActivationHeights;
  logger: Logger;
  now?: () => number;
}

/**
 * Builds the pool's OPR for the height after a synced block: prices from the oracle in the
 * version's asset order (PNT/PEG 0 in V1 and V2, as the reference wrote them), the previous
 * block's winners, the pool's coinbase and identity.
 */
export class JobBuilder {
  constructor(private readonly o: JobBuilderOptions) {}

  async build(syncedHeight: number, previousWinners: readonly string[], signal?: AbortSignal): Promise<PoolJob> {
    const jobId = syncedHeight + 1;
    const version = oprVersionAt(jobId, this.o.activations);
    const want = winnerCount(version);
    // The first OPR after a V1 block carries that block's 10 winners.
    if (previousWinners.length !== want && !(version === 2 && previousWinners.length === 10)) {
      throw new ProsperError('PROSPER_E_JOB_WINNERS', `job ${jobId} (V${version}) needs ${want} previous winners, have ${previousWinners.length}`);
    }
    const prices = await this.o.prices.getPrices(version, signal);
    const assets = assetsForVersion(version);
    const ordered = assets.map((asset) => {
      // PegNet's own token has no market price before V3: the reference wrote 0 (V1 PNT, V2 PEG).
      if ((version === 1 && asset === 'PNT') || (version === 2 && asset === 'PEG')) return 0n;
      const p = prices.get(asset);
      if (p === undefined || (p === 0n && asset !== 'PEG')) {
        throw new ProsperError('PROSPER_E_JOB_PRICE', `no price for ${asset} (V${version})`);
      }
      return p;
    });
    let content: Uint8Array;
    if (version === 1) {
      content = encodeV1Content({
        coinbase: this.o.coinbase,
        dbht: jobId,
        winners: [...previousWinners],
        minerid: this.o.identity,
        assets: new Map(assets.map((a, i) => [a, unitsToPrice(ordered[i]!)])),
      });
    } else {
      // The grader's own checks run on it: a job never carries an OPR the network would refuse.
      content = buildOwnOpr({
        version,
        height: jobId,
        address: this.o.coinbase,
        identity: this.o.identity,
        previousWinners,
        prices: new Map(assets.map((a, i) => [a, ordered[i]!])),
      }).content;
    }
    const job: PoolJob = {
      jobId,
      version,
      content,
      oprHash: oprHash(content),
      prices: new Map(assets.map((a, i) => [a, ordered[i]!])),
      previousWinners: [...previousWinners],
      createdAt: (this.o.now ?? Date.now)(),
    };
    this.o.logger.info({ jobId, version, oprHash: Buffer.from(job.oprHash).toString('hex') }, 'new job');
    return job;
  }
}
