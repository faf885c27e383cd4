import type { Logger } from '../log.js';
import type { Entry } from '../factom/index.js';

/** A way for simulated participants (competitor miners) to add entries to the block being built. */
export interface BlockContext {
  /** Height of the directory block being built (entries written now land in it). */
  readonly height: number;
  /** Current minute 0..9 of that block. */
  readonly minute: number;
  /** Highest saved directory block. */
  readonly savedHeight: number;
  /**
   * Write an entry into the block being built, as if paid and revealed now. Returns false (and
   * writes nothing) if the block has closed since the hook was called, the chain does not exist,
   * or the entry hash was already revealed.
   */
  writeEntry(entry: Entry): boolean;
  /**
   * Entries of `chainId` (hex) in completed block `height`, in entry-block order; [] when the
   * chain has no entry block there; undefined when that block is not complete yet.
   */
  entriesAt(chainId: string, height: number): Entry[] | undefined;
}

/** Called once at the start of every new block (not for genesis). Errors are logged, never fatal. */
export interface BlockContributor {
  readonly name: string;
  onBlock(ctx: BlockContext): void | Promise<void>;
}

export interface EcFunding {
  /** EC… address, Es… secret (its public key is funded), or a 64-hex public key. */
  readonly address: string;
  readonly credits: bigint;
}

export interface FctFunding {
  /** FA… address, Fs… secret, or a 64-hex RCD hash. */
  readonly address: string;
  readonly factoshis: bigint;
}

export interface DevnetOptions {
  /** HTTP port (0 = any free port). Default 8088. */
  readonly port?: number;
  /** Interface to bind. Default 127.0.0.1. */
  readonly host?: string;
  /** Seconds per directory block (10 minutes of blocktime/10 each); fractions allowed. Default 600. */
  readonly blockTimeSeconds?: number;
  /** Where blocks and balances persist; undefined = memory only. */
  readonly dataDir?: string;
  /** Directory-block network id; default LOCAL 0xfa92e5a4. */
  readonly networkId?: number;
  /** PegNet network name used for the chains created at genesis; default "MainNet". */
  readonly pegnetNetwork?: string;
  /**
   * Reproduce factomd's minute-0 lag: block B-1 is saved only at the start of minute 1 of B,
   * so during minute 0 directoryblockheight = leaderheight - 1. Default true.
   */
  readonly minuteZeroLag?: boolean;
  /** Applied once, when the data directory is fresh. Default: the documented test EC keys. */
  readonly ecFunding?: readonly EcFunding[];
  readonly fctFunding?: readonly FctFunding[];
  /** Factoshis per EC; default 1000 (LOCAL genesis). */
  readonly ecRate?: bigint;
  /** Basic-auth credentials; when set, other requests get HTTP 401 as factomd does. */
  readonly rpcUser?: string;
  readonly rpcPassword?: string;
  /** Reported by `properties`. */
  readonly version?: string;
  readonly contributors?: readonly BlockContributor[];
  /** Wall clock in ms (injected for tests). */
  readonly now?: () => number;
  /** Drive the clock with an internal timer (default true); tests may call tick() themselves. */
  readonly autoTick?: boolean;
  readonly logger?: Logger;
}

/** Public test keys (README, payout-cli: keys on the devnet): pegnet's dev EC key and the all-zero key. */
export const DEFAULT_EC_FUNDING: readonly EcFunding[] = [
  { address: 'EC3TsJHUs8bzbbVnratBafub6toRYdgzgbR7kWwCW4tqbmyySRmg', credits: 100_000_000n },
  { address: 'EC2DKSYyRcNWf7RS963VFYgMExoHRYLHVeCfQ9PGPmNzwrcmgm2r', credits: 100_000_000n },
];

/** LOCAL genesis funds FA2jK2… with 20 000 FCT: the default [pool] oprcoinbase, a public test key (README, payout-cli: keys on the devnet). */
export const DEFAULT_FCT_FUNDING: readonly FctFunding[] = [
  { address: 'FA2jK2HcLnRdS94dEcU27rF3meoJfpUcZPSinpb7AwQvPRY6RL1Q', factoshis: 20_000n * 100_000_000n },
];
