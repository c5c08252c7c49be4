/**
 * JSON Web Tokens with `jose`: HS256 with a shared secret (tokens this server issues), or RS256 (and
 * friends) checked against a JWKS URL (tokens an identity provider such as Clerk issues). The user id is
 * the `sub` claim (`userId` or `id` when there is no `sub`, as some seed servers sign them).
 *
 * Every refusal is `ParleyError('UNAUTHENTICATED', …)` saying which of missing, malformed, bad signature,
 * expired or wrong claim it was; a JWKS that cannot be fetched is the server's problem (`INTERNAL`).
 */
import {
  createRemoteJWKSet,
  errors,
  type JWTPayload,
  type JWTVerifyGetKey,
  type JWTVerifyOptions,
  jwtVerify,
  SignJWT,
} from 'jose';
import { ParleyError } from '../../runtime/errors.js';

export interface IssueTokenOptions {
  secret: string | Uint8Array;
  /** `'1h'`, `'7d'` (jose's time spans), or seconds from now (negative: already expired). Default `'1h'`. */
  expiresIn?: string | number;
  issuer?: string;
  audience?: string;
  /** Extra claims (a display name, a role hint). `sub`, `iat` and `exp` are set from the arguments. */
  claims?: Record<string, unknown>;
}

/** Signs an HS256 token whose subject is `userId`. */
export async function issueToken(userId: string, options: IssueTokenOptions): Promise<string> {
  const expiresIn = options.expiresIn ?? '1h';
  let jwt = new SignJWT({ ...options.claims })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(userId)
    .setIssuedAt()
    .setExpirationTime(typeof expiresIn === 'number' ? Math.floor(Date.now() / 1000) + expiresIn : expiresIn);
  if (options.issuer !== undefined) jwt = jwt.setIssuer(options.issuer);
  if (options.audience !== undefined) jwt = jwt.setAudience(options.audience);
  return jwt.sign(secretKey(options.secret));
}

interface ClaimChecks {
  /** Required `iss` (JWT_ISSUER). */
  issuer?: string | undefined;
  /** Required `aud` (JWT_AUDIENCE). */
  audience?: string | undefined;
  /** Seconds of clock skew tolerated on `exp`/`nbf`. Default 5. */
  clockToleranceSec?: number;
  /**
   * Accept tokens without an `exp` claim (JWT_ALLOW_NO_EXP=1). Default false: a token that never expires is a
   * credential that cannot be taken back, so it is refused unless a deployment says otherwise.
   */
  allowNoExpiry?: boolean;
}

export type VerifierConfig =
  | ({ kind: 'secret'; secret: string | Uint8Array } & ClaimChecks)
  | ({
      kind: 'jwks';
      jwksUrl: string | URL;
      /** Accepted signing algorithms. Default `['RS256']`. */
      algorithms?: string[];
      /** How long to wait for the JWKS. Default 5000 ms. */
      timeoutMs?: number;
    } & ClaimChecks);

export interface VerifiedToken {
  userId: string;
  claims: JWTPayload;
}

export interface TokenVerifier {
  /** Resolves to the token's user, or throws `UNAUTHENTICATED` (`INTERNAL` if the JWKS is unreachable). */
  verifyToken(token: string | null | undefined): Promise<VerifiedToken>;
}

/** A verifier for one configuration; a JWKS verifier caches the key set between calls, as jose does. */
export function createVerifier(config: VerifierConfig): TokenVerifier {
  const options: JWTVerifyOptions = {
    clockTolerance: config.clockToleranceSec ?? 5,
    ...(config.allowNoExpiry ? {} : { requiredClaims: ['exp'] }),
    ...(config.issuer ? { issuer: config.issuer } : {}),
    ...(config.audience ? { audience: config.audience } : {}),
  };
  let verify: (token: string) => Promise<{ payload: JWTPayload }>;
  let keyHint: string;
  if (config.kind === 'secret') {
    const key = secretKey(config.secret);
    const algorithms = ['HS256'];
    verify = (token) => jwtVerify(token, key, { ...options, algorithms });
    keyHint = "this server's JWT secret";
  } else {
    const url = new URL(config.jwksUrl);
    const keys: JWTVerifyGetKey = createRemoteJWKSet(url, { timeoutDuration: config.timeoutMs ?? 5000 });
    const algorithms = config.algorithms ?? ['RS256'];
    verify = (token) => jwtVerify(token, keys, { ...options, algorithms });
    keyHint = `the keys published at ${url.href}`;
  }

  return {
    async verifyToken(token) {
      const raw = typeof token === 'string' ? token.replace(/^Bearer\s+/i, '').trim() : '';
      if (raw === '') {
        throw new ParleyError(
          'UNAUTHENTICATED',
          'missing token: send a JWT in the handshake (auth: { token }) or as ?token=',
        );
      }
      let payload: JWTPayload;
      try {
        ({ payload } = await verify(raw));
      } catch (error) {
        throw explain(error, keyHint);
      }
      const userId = [payload.sub, payload.userId, payload.id].find((v) => typeof v === 'string' && v !== '');
      if (typeof userId !== 'string') {
        throw new ParleyError('UNAUTHENTICATED', 'token names no user: it has no "sub" claim');
      }
      return { userId, claims: payload };
    },
  };
}

/** One-off verification; prefer a long-lived `createVerifier` (it caches JWKS keys). */
export function verifyToken(
  token: string | null | undefined,
  config: VerifierConfig,
): Promise<VerifiedToken> {
  return createVerifier(config).verifyToken(token);
}

function secretKey(secret: string | Uint8Array): Uint8Array {
  const key = typeof secret === 'string' ? new TextEncoder().encode(secret) : secret;
  if (key.length === 0) throw new TypeError('the JWT secret is empty');
  return key;
}

/** A jose error as a `ParleyError` whose message says which check failed. */
function explain(error: unknown, keyHint: string): ParleyError {
  const fail = (message: string) => new ParleyError('UNAUTHENTICATED', message, { cause: error });
  if (error instanceof errors.JWTExpired) {
    const exp =
      typeof error.payload.exp === 'number' ? new Date(error.payload.exp * 1000).toISOString() : 'unknown';
    return fail(`token expired (exp ${exp}): sign in again for a fresh token`);
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) {
    return fail(`bad token signature: it was not signed with ${keyHint}`);
  }
  if (error instanceof errors.JWKSNoMatchingKey) {
    return fail(`bad token signature: no key in ${keyHint} matches the token's "kid" and "alg"`);
  }
  if (error instanceof errors.JOSEAlgNotAllowed) {
    return fail(`token algorithm not accepted: ${error.message}`);
  }
  if (
    error instanceof errors.JWTClaimValidationFailed &&
    error.claim === 'exp' &&
    error.reason === 'missing'
  ) {
    return fail(
      'token never expires (no "exp" claim): sign tokens with an expiry (or start the server with JWT_ALLOW_NO_EXP=1)',
    );
  }
  if (error instanceof errors.JWTClaimValidationFailed) {
    return fail(`token claim "${error.claim}" refused: ${error.message}`);
  }
  if (error instanceof errors.JWSInvalid || error instanceof errors.JWTInvalid) {
    return fail(`malformed token: ${error.message}`);
  }
  if (error instanceof errors.JOSENotSupported) {
    return fail(`token uses something this server does not support: ${error.message}`);
  }
  if (
    error instanceof errors.JWKSTimeout ||
    error instanceof errors.JWKSInvalid ||
    !(error instanceof errors.JOSEError)
  ) {
    // Includes fetch() failures (connection refused, DNS), which surface as TypeErrors.
    return new ParleyError(
      'INTERNAL',
      `cannot check tokens: ${keyHint} could not be used (${String(error)})`,
      {
        cause: error,
      },
    );
  }
  // Other jose errors: a non-200 JWKS response is ours to fix, anything else is about the token.
  if (/JSON Web Key Set/.test(error.message)) {
    return new ParleyError(
      'INTERNAL',
      `cannot check tokens: ${keyHint} could not be used (${error.message})`,
      {
        cause: error,
      },
    );
  }
  return fail(`token refused: ${error.message}`);
}
