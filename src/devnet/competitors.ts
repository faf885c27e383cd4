/**
 * Simulated competitor miners: every block they write N valid OPR entries (V2..V5 protobuf
 * content, real LXRHash work) to the OPR chain, carrying the previous block's winners as
 * graded by the same grader the pool uses, so the pool always has a full 25-winner network.
 */
import { buildEntry, encodeAddress, entryHash, publicKeyFromSeed, rcdHash, sha256, type Entry } from '../factom/index.js';
import { powInput, targetOfHash, type LxrHasher } from '../lxr/index.js';
import {
  assetsForVersion,
  encodeProtoContent,
  firstSyncHeight,
  gradeBlock,
  inThreadDifficultyComputer,
  oprHash,
  oprVersionAt,
  winnerCount,
  winnersToBytes,
  type ActivationHeights,
  type OprVersion,
} from '../pegnet/index.js';
import type { Logger } from '../log.js';
import { silentLogger } from '../log.js';
import type { BlockContext, BlockContributor } from './config.js';
import { logFields } from '../errors.js';

export interface CompetitorOptions {
  /** LXRHash over the table size the network uses (10-bit in tests, 30-bit for real). */
  readonly hasher: LxrHasher;
  /** OPR chain id (hex). */
  readonly oprChainId: string;
  readonly activations: ActivationHeights;
  /** OPR entries written per block; default 50 (the grader's cutoff, enough for 25 winners). */
  readonly count?: number;
  /** Nonces each competitor tries per block (the best is submitted); default 8. */
  readonly noncesPerOpr?: number;
  /** Uniform [0,1) (injected); drives nonces and price jitter. */
  readonly random: () => number;
  /**
   * The price (1e-8 USD units) a competitor quotes for `asset` (the `index`-th of its version's
   * list) before jitter. Default: fixed synthetic prices. The embedded pool passes the devnet
   * price feed its own oracle reads, so its OPRs agree with the network and can win.
   */
  readonly price?: (asset: string, index: number) => number;
  readonly logger?: Logger;
}

/** A plausible positive price (1e-8 USD units) per asset: USD is 1.0, the rest spread out. */
function basePrice(asset: string, index: number): number {
  if (asset === 'USD') return 1e8;
  return 1e6 * (1 + ((index * 7919) % 997));
}

/** First 8 bytes big-endian: the self-reported difficulty ExtID. */
function u64be(v: bigint): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigUInt64BE(v);
  return b;
}

export class CompetitorMiners implements BlockContributor {
  readonly name = 'competitor-miners';
  private readonly o: Required<Omit<CompetitorOptions, 'logger'>> & { logger: Logger };
  /** Winners' short hashes after grading each height (what OPRs of height+1 carry). */
  private readonly winnersAfter = new Map<number, readonly string[]>();
  private chain: Promise<void> = Promise.resolve();
  private readonly addresses: string[];

  constructor(opts: CompetitorOptions) {
    this.o = { count: 50, noncesPerOpr: 8, price: basePrice, logger: silentLogger(), ...opts };
    this.addresses = Array.from({ length: this.o.count }, (_v, i) =>
      encodeAddress('FA', rcdHash(publicKeyFromSeed(sha256(Buffer.from(`prosper devnet competitor ${i}`))))),
    );
  }

  onBlock(ctx: BlockContext): Promise<void> {
    // One block at a time, in order, even if a block's work outlasts the block.
    this.chain = this.chain.then(() => this.mine(ctx)).catch((err: unknown) => {
      this.o.logger.warn({ height: ctx.height, ...logFields(err) }, 'competitor miners failed');
    });
    return this.chain;
  }

  /** Resolves when the work queued so far is done (tests, shutdown). */
  idle(): Promise<void> {
    return this.chain;
  }

  /** The previous winners an OPR for `height` must carry (grading earlier blocks as needed). */
  async previousWinners(ctx: BlockContext, height: number): Promise<readonly string[]> {
    const first = firstSyncHeight(this.o.activations);
    let known = height - 1;
    while (known >= first && !this.winnersAfter.has(known)) known--;
    let prev: readonly string[] = known >= first ? (this.winnersAfter.get(known) ?? []) : [];
    for (let h = Math.max(known + 1, first); h < height; h++) {
      const entries = ctx.entriesAt(this.o.oprChainId, h);
      if (entries === undefined) break;
      if (entries.length > 0) {
        const version = oprVersionAt(h, this.o.activations);
        const graded = await gradeBlock({
          version,
          height: h,
          previousWinners: prev,
          entries: entries.map((e) => ({ entryHash: entryHash(e), extIds: e.extIds, content: e.content })),
          computer: inThreadDifficultyComputer(this.o.hasher),
        });
        prev = graded.winnersShortHashes;
      }
      this.winnersAfter.set(h, prev);
    }
    return prev;
  }

  private async mine(ctx: BlockContext): Promise<void> {
    const height = ctx.height;
    if (height < firstSyncHeight(this.o.activations)) return;
    const version = oprVersionAt(height, this.o.activations);
    if (version === 1) return; // V1 JSON OPRs are not simulated
    const prev = await this.previousWinners(ctx, height);
    const winners = winnersToBytes(prev.length > 0 ? prev : new Array<string>(winnerCount(version)).fill(''));
    let written = 0;
    for (let i = 0; i < this.o.count; i++) {
      const entry = this.buildOpr(version, height, winners, i);
      if (ctx.writeEntry(entry)) written++;
    }
    this.o.logger.debug({ height, written }, 'competitor OPRs written');
  }

  /** One competitor's OPR: jittered prices, the best of a few nonces. */
  buildOpr(version: OprVersion, height: number, winners: Uint8Array[], index: number): Entry {
    const assets = assetsForVersion(version).map((a, k) => {
      const jitter = 1 + (this.o.random() - 0.5) * 0.01;
      return BigInt(Math.max(1, Math.round(this.o.price(a, k) * jitter)));
    });
    const content = encodeProtoContent({ address: this.addresses[index], id: `devnet${index}`, height, winners, assets });
    const hash = oprHash(content);
    let best = { nonce: Buffer.alloc(0), target: -1n };
    for (let n = 0; n < this.o.noncesPerOpr; n++) {
      const nonce = Buffer.alloc(8);
      nonce.writeUInt32BE(Math.floor(this.o.random() * 2 ** 32), 0);
      nonce.writeUInt32BE(Math.floor(this.o.random() * 2 ** 32), 4);
      const target = targetOfHash(this.o.hasher.hash(powInput(hash, nonce)));
      if (target > best.target) best = { nonce, target };
    }
    return buildEntry([best.nonce, u64be(best.target), Buffer.from([version])], content, Buffer.from(this.o.oprChainId, 'hex'));
  }
}
