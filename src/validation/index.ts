export * from './types.js';
export { createShareValidator, type ShareValidatorEngine, type ShareValidatorOptions, type ValidatorStats } from './validator.js';
export { allocSoftMax, SoftMaxLimit, OFFER_ADMITTED, OFFER_BLOCKED, OFFER_BELOW_THRESHOLD, type OfferResult, type SoftMaxShared } from './softmax.js';
export { simulateSoftMax, expectedAdmitted, type SoftMaxSimResult } from './sim.js';
export { seededRandom, type SeededRandom } from './prng.js';
