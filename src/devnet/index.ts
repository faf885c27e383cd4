/**
 * The simulated Factom network (devnet): factomd's v2 API on HTTP over a block clock.
 *
 * Embedding (the pool's default backend):
 *   const miners = new CompetitorMiners({ hasher, oprChainId, activations, random: Math.random });
 *   const devnet = new Devnet({ port: 8088, blockTimeSeconds: 60, dataDir, contributors: [miners] });
 *   const port = await devnet.start();   // port 0 → any free port
 *   ...                                  // FactomdClient({ url: devnet.url })
 *   await devnet.stop();
 */
export { Devnet } from './devnet.js';
export type { BlockContext, BlockContributor, DevnetOptions, EcFunding, FctFunding } from './config.js';
export { DEFAULT_EC_FUNDING, DEFAULT_FCT_FUNDING } from './config.js';
export { pegnetChainFirstEntries } from './pegnet-chains.js';
export { DevnetErrorCode } from './persistence.js';
export { REPLAY_WINDOW_MS } from './network.js';
export { CompetitorMiners, type CompetitorOptions } from './competitors.js';
