export { createAuthService, type AuthService, type AuthServiceOptions, type AuthorizeRequest, type AuthorizeResult } from './auth-service.js';
export { hashPassword, verifyPassword, DEFAULT_SCRYPT_COST, type ScryptCost } from './password.js';
export { normalizeEmail, checkMinerName, isValidPayoutAddress, checkPayoutAddress } from './identity.js';
export { generateInviteCode } from './invite-code.js';
