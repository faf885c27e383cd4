export type { MiningJob } from './job.js';
export { creditOf, userIdOf, type CreditedShare, type JobId, type MinerId, type ProvenShare, type ShareId, type SubmittedShare, type UserId, type WireUserId } from './share.js';
