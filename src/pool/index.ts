export { BlockHandler, type BlockHandlerOptions } from './block-handler.js';
export { createPoolBus, type PoolBus, type PoolEvents } from './events.js';
export { RelayedShares } from './relayed-shares.js';
export { ShareRouter, type ShareRouterOptions } from './share-router.js';
