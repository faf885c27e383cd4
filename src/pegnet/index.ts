/** PegNet consensus: OPR codecs, assets, activation heights, chains, grading, rewards, sync. */
export * from './assets.js';
export * from './activation.js';
export * from './chains.js';
export * from './opr-types.js';
export * from './proto-content.js';
export * from './v1-content.js';
export * from './opr-hash.js';
export * from './fa-address.js';
export * from './grading-opr.js';
export * from './validate.js';
export * from './difficulty-computer.js';
export * from './rewards.js';
export * from './grade.js';
export * from './block-file.js';
export * from './sync-types.js';
export * from './memory-sync-store.js';
export * from './sync.js';
// The sync's repository lives with the other tables in src/store/.
export * from '../store/pegnet-sync-sql.js';
export * from './opr-builder.js';
export * from './worker-difficulty-computer.js';
