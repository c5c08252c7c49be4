export { type Auth, type AuthEnv, authFromEnv } from './config.js';
export { type DevSecret, loadDevSecret } from './dev-secret.js';
export {
  createVerifier,
  type IssueTokenOptions,
  issueToken,
  type TokenVerifier,
  type VerifiedToken,
  type VerifierConfig,
  verifyToken,
} from './tokens.js';
