export { createAuthService, type AuthService, type AuthServiceOptions, type AuthorizeRequest, type AuthorizeResult } from './auth-service.js';
export { hashPassword, verifyPassword, DEFAULT_SCRYPT_COST, MAX_PASSWORD_LENGTH, type ScryptCost } from './password.js';
export { normalizeEmail, checkMinerName, isValidPayoutAddress, checkPayoutAddress } from './identity.js';
export { generateInviteCode } from './invite-code.js';
export { LoginGuard, LoginRateLimitError, DEFAULT_LOGIN_LIMITS, type LoginLimits, type LoginAttempt, type AttemptOutcome } from './login-guard.js';
export { checkText } from './text.js';
export { stratumAuthorizer } from './stratum-authorizer.js';
