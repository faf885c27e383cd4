export { creditForTarget, creditToDifficulty, CREDIT_PER_PDIFF, PDIFF } from './credit.js';
export { parseFeeRate, formatFeeRate, FEE_RATE_ONE } from './fee-rate.js';
export { splitReward } from './split.js';
export {
  DEFAULT_HASHRATE_WINDOW_SECONDS, estimateHashrate, hashratesFromWork, idleHashrate, jobFigures, jobFiguresOf, minerKey, parseMinerKey, type HashrateFigure, type PoolHashrates, type WorkSum,
} from './hashrate.js';
export { gammaQuantile, poissonInterval, regularizedGammaP } from './poisson-interval.js';
export { createShareLedger, type CreditedShare, type ShareLedger, type ShareLedgerOptions } from './share-ledger.js';
export { createDiskSpool, type ShareSpool } from './spool.js';
export { createAccountant, hashratesFromStore, storeFigures, type Accountant, type AccountantOptions } from './accountant.js';
export { formatPeg, parsePeg } from './peg-amount.js';
export { PEGNET_TX_CHAIN_MAINNET, transferBatchContent, signTransferBatch, buildPayoutEntry, type Transfer, type PayoutEntry } from './pegnet-tx.js';
export { parsePayoutFile, parseReceipt, serializePayoutFile, serializeReceipt, type PayoutFile, type PayoutReceipt } from './payout-file.js';
export { writePayoutFile, recordReceiptFile } from './payout-db.js';
export { payFromFile, resubmitReceipt, parseKeyFile, type EntrySubmitter, type PayoutKeys, type PayOptions } from './payout-pay.js';
export { WorkWindow } from './work-window.js';
export { FiguresFeed, type FiguresFeedOptions } from './figures-feed.js';
export { HistoryRecorder, historySamples, type HistoryRecorderOptions } from './history-recorder.js';
export { isScheme, parseScheme, SCHEMES, type Scheme } from './scheme.js';
export { pplnsWindow, pplnsWindowSize, straddlingJob, type JobCreditTotals, type ShareUnit } from './pplns.js';
export { emaStep, ppsRate, RATE_ONE, reserveRisk, splitPps, type ReserveRisk } from './pps.js';
export { accruingFee, parsePplnsFactor, payoutSettingsFromConfig, planSettlement, schemeSettingsFromConfig, type SchemeSettings } from './settle-plan.js';
export { parseUserThreshold, payoutFigures, payoutFiguresJson, type PayoutFigures, type PayoutSettings } from './payout-figures.js';
