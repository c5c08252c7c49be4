/**
 * Auth from the environment, in order:
 * - `JWKS_URL`: RS256 tokens from an identity provider, checked against its published keys, with
 *   `JWT_ISSUER` / `JWT_AUDIENCE` when set; this server issues no tokens;
 * - `JWT_SECRET`: HS256 tokens signed with that secret (this server can issue them);
 * - neither: development mode, HS256 with a secret generated into `<data>/jwt-secret`.
 */
import { loadDevSecret } from './dev-secret.js';
import { createVerifier, type IssueTokenOptions, issueToken, type TokenVerifier } from './tokens.js';

export interface Auth extends TokenVerifier {
  mode: 'secret' | 'jwks';
  /** `true` when signing with the generated development secret: say so at start-up. */
  development: boolean;
  /** What verifies tokens, for the start-up log (never the secret itself). */
  description: string;
  /** Signs a token for `userId` (HS256 modes only; `undefined` with a JWKS). */
  issueToken: ((userId: string, options?: Omit<IssueTokenOptions, 'secret'>) => Promise<string>) | undefined;
}

export interface AuthEnv {
  JWT_SECRET?: string | undefined;
  JWKS_URL?: string | undefined;
  JWT_ISSUER?: string | undefined;
  JWT_AUDIENCE?: string | undefined;
  /** `1`: accept tokens without an `exp` claim. */
  JWT_ALLOW_NO_EXP?: string | undefined;
}

export function authFromEnv(env: AuthEnv, options: { dataDir: string }): Auth {
  const issuer = env.JWT_ISSUER || undefined;
  const audience = env.JWT_AUDIENCE || undefined;
  const allowNoExpiry = env.JWT_ALLOW_NO_EXP === '1';
  if (env.JWKS_URL && env.JWT_SECRET) {
    throw new Error(
      'both JWKS_URL and JWT_SECRET are set: choose one (JWKS_URL for tokens from an identity provider, ' +
        'JWT_SECRET for tokens this server signs)',
    );
  }
  if (env.JWKS_URL) {
    let url: URL;
    try {
      url = new URL(env.JWKS_URL);
    } catch {
      throw new Error(`JWKS_URL "${env.JWKS_URL}" is not a URL: expected https://…/.well-known/jwks.json`);
    }
    return {
      ...createVerifier({ kind: 'jwks', jwksUrl: url, issuer, audience, allowNoExpiry }),
      mode: 'jwks',
      development: false,
      description: `RS256 tokens checked against ${url.href}`,
      issueToken: undefined,
    };
  }
  const dev = env.JWT_SECRET ? undefined : loadDevSecret(options.dataDir);
  const secret = env.JWT_SECRET || (dev?.secret as string);
  return {
    ...createVerifier({ kind: 'secret', secret, issuer, audience, allowNoExpiry }),
    mode: 'secret',
    development: dev !== undefined,
    description: dev ? `HS256 with the development secret in ${dev.path}` : 'HS256 with JWT_SECRET',
    issueToken: (userId, issue = {}) => issueToken(userId, { issuer, audience, ...issue, secret }),
  };
}
