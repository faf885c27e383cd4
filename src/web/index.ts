export type * from './ports.js';
export { BLOCK_COLUMNS, EARNING_COLUMNS, REWARD_COLUMNS, SUBMISSION_COLUMNS } from './ports.js';
export { loginLimitsFromSection, parseWebConfig, type WebConfig } from './config.js';
export { startWebServer, metricsAuthorized, MAX_BODY_BYTES, type WebServer, type WebServerOptions } from './server.js';
export { LiveState, type LiveStateOptions, type ShareWindow } from './live-state.js';
export { createStoreWebData, type StoreWebDataOptions, type WebHistoryData } from './store-data.js';
export { POOL_TOPIC, userTopic } from './live-feed.js';
export { ADMIN_ROUTES } from './routes-admin.js';
export { startPoolWeb, type PoolWebOptions } from './start-pool-web.js';
