import { statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { type CryptoKey, exportJWK, generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authFromEnv } from '../../server/auth/config.js';
import { loadDevSecret } from '../../server/auth/dev-secret.js';
import { createVerifier, issueToken, verifyToken } from '../../server/auth/tokens.js';
import { expectError, tempDir } from './helpers.js';

const SECRET = 'a-test-secret-that-is-long-enough-for-hs256';

describe('HS256 tokens', () => {
  const config = { kind: 'secret' as const, secret: SECRET };

  it('round-trips the user id', async () => {
    const token = await issueToken('alice', { secret: SECRET, claims: { name: 'Alice' } });
    const verified = await verifyToken(token, config);
    expect(verified.userId).toBe('alice');
    expect(verified.claims).toMatchObject({ sub: 'alice', name: 'Alice' });
    expect((verified.claims.exp ?? 0) - (verified.claims.iat ?? 0)).toBe(3600);
    expect((await verifyToken(`Bearer ${token}`, config)).userId).toBe('alice');
  });

  it('says a token is missing', async () => {
    for (const token of [undefined, null, '', '   ']) {
      await expectError(verifyToken(token, config), 'UNAUTHENTICATED', /^missing token/);
    }
  });

  it('refuses a token that never expires, unless told to accept them', async () => {
    const forever = await new SignJWT({ sub: 'alice' })
      .setProtectedHeader({ alg: 'HS256' })
      .sign(new TextEncoder().encode(SECRET));
    await expectError(
      verifyToken(forever, config),
      'UNAUTHENTICATED',
      /^token never expires \(no "exp" claim\)/,
    );
    expect((await verifyToken(forever, { ...config, allowNoExpiry: true })).userId).toBe('alice');
    const dataDir = tempDir();
    await expectError(
      authFromEnv({ JWT_SECRET: SECRET }, { dataDir }).verifyToken(forever),
      'UNAUTHENTICATED',
      /never expires/,
    );
    const lenient = authFromEnv({ JWT_SECRET: SECRET, JWT_ALLOW_NO_EXP: '1' }, { dataDir });
    expect((await lenient.verifyToken(forever)).userId).toBe('alice');
  });

  it('says the signature is bad', async () => {
    const token = await issueToken('alice', { secret: 'some-other-secret-entirely-different' });
    await expectError(
      verifyToken(token, config),
      'UNAUTHENTICATED',
      /bad token signature: it was not signed with this server's JWT secret/,
    );
  });

  it('says the token expired, and when', async () => {
    const token = await issueToken('alice', { secret: SECRET, expiresIn: -60 });
    await expectError(
      verifyToken(token, config),
      'UNAUTHENTICATED',
      /^token expired \(exp \d{4}-\d\d-\d\dT.*Z\)/,
    );
    // Within the clock tolerance (5 s by default), a just-expired token still passes.
    const edge = await issueToken('alice', { secret: SECRET, expiresIn: -2 });
    expect((await verifyToken(edge, config)).userId).toBe('alice');
  });

  it('says a token is malformed, or names nobody, or uses another algorithm', async () => {
    await expectError(verifyToken('not.a.jwt', config), 'UNAUTHENTICATED', /^malformed token/);
    const anonymous = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256' })
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode(SECRET));
    await expectError(verifyToken(anonymous, config), 'UNAUTHENTICATED', /no "sub" claim/);
    const legacy = await new SignJWT({ id: 'user_123' })
      .setProtectedHeader({ alg: 'HS256' })
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode(SECRET));
    expect((await verifyToken(legacy, config)).userId).toBe('user_123');
    const hs512 = await new SignJWT({ sub: 'a' })
      .setProtectedHeader({ alg: 'HS512' })
      .sign(new TextEncoder().encode(SECRET));
    await expectError(verifyToken(hs512, config), 'UNAUTHENTICATED', /algorithm not accepted/);
  });

  it('checks issuer and audience when configured', async () => {
    const checked = { ...config, issuer: 'https://parley.test', audience: 'chat' };
    const good = await issueToken('alice', {
      secret: SECRET,
      issuer: 'https://parley.test',
      audience: 'chat',
    });
    expect((await verifyToken(good, checked)).userId).toBe('alice');
    const wrongIssuer = await issueToken('alice', {
      secret: SECRET,
      issuer: 'https://evil.test',
      audience: 'chat',
    });
    await expectError(verifyToken(wrongIssuer, checked), 'UNAUTHENTICATED', /claim "iss" refused/);
    const noAudience = await issueToken('alice', { secret: SECRET, issuer: 'https://parley.test' });
    await expectError(verifyToken(noAudience, checked), 'UNAUTHENTICATED', /claim "aud" refused/);
  });
});

describe('development secret and authFromEnv', () => {
  it('generates the secret once, readable by its owner only, and reuses it', () => {
    const dataDir = path.join(tempDir(), 'data');
    const first = loadDevSecret(dataDir);
    expect(first).toMatchObject({ created: true, path: path.join(dataDir, 'jwt-secret') });
    expect(first.secret.length).toBeGreaterThanOrEqual(43);
    expect(statSync(first.path).mode & 0o777).toBe(0o600);
    const second = loadDevSecret(dataDir);
    expect(second).toEqual({ ...first, created: false });
  });

  it('runs in development mode without JWT_SECRET, and tokens survive a restart', async () => {
    const dataDir = tempDir();
    const auth = authFromEnv({}, { dataDir });
    expect(auth).toMatchObject({ mode: 'secret', development: true });
    expect(auth.description).toContain(path.join(dataDir, 'jwt-secret'));
    const token = await auth.issueToken?.('bob');
    const restarted = authFromEnv({}, { dataDir });
    expect((await restarted.verifyToken(token)).userId).toBe('bob');
  });

  it('uses JWT_SECRET when set, and refuses an ambiguous configuration', async () => {
    const dataDir = tempDir();
    const auth = authFromEnv({ JWT_SECRET: SECRET, JWT_ISSUER: 'me' }, { dataDir });
    expect(auth.development).toBe(false);
    const token = await auth.issueToken?.('carol');
    expect((await verifyToken(token, { kind: 'secret', secret: SECRET, issuer: 'me' })).userId).toBe('carol');
    expect(() => authFromEnv({ JWT_SECRET: SECRET, JWKS_URL: 'https://x.test/jwks' }, { dataDir })).toThrow(
      /choose one/,
    );
    expect(() => authFromEnv({ JWKS_URL: 'not a url' }, { dataDir })).toThrow(/is not a URL/);
  });
});

describe('RS256 tokens from a JWKS URL', () => {
  let server: Server;
  let jwksUrl: string;
  let requests = 0;
  let signingKey: CryptoKey;
  let strangerKey: CryptoKey;

  beforeAll(async () => {
    const pair = await generateKeyPair('RS256');
    const stranger = await generateKeyPair('RS256');
    signingKey = pair.privateKey;
    strangerKey = stranger.privateKey;
    const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'key-1', alg: 'RS256', use: 'sig' };
    server = createServer((request, response) => {
      requests++;
      if (request.url !== '/.well-known/jwks.json') {
        response.writeHead(404).end();
        return;
      }
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    jwksUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  const sign = (key: CryptoKey, kid: string, claims: Record<string, unknown> = {}) =>
    new SignJWT({ ...claims })
      .setProtectedHeader({ alg: 'RS256', kid })
      .setSubject('user_clerk_1')
      .setIssuer('https://issuer.test')
      .setAudience('parley')
      .setIssuedAt()
      .setExpirationTime('10m')
      .sign(key);

  it('verifies a token signed by a key in the set, checking issuer and audience', async () => {
    const auth = authFromEnv(
      { JWKS_URL: jwksUrl, JWT_ISSUER: 'https://issuer.test', JWT_AUDIENCE: 'parley' },
      { dataDir: tempDir() },
    );
    expect(auth).toMatchObject({ mode: 'jwks', development: false, issueToken: undefined });
    const before = requests;
    expect((await auth.verifyToken(await sign(signingKey, 'key-1'))).userId).toBe('user_clerk_1');
    expect((await auth.verifyToken(await sign(signingKey, 'key-1'))).userId).toBe('user_clerk_1');
    expect(requests - before).toBe(1); // the key set is cached

    const otherAudience = createVerifier({
      kind: 'jwks',
      jwksUrl,
      issuer: 'https://issuer.test',
      audience: 'someone-else',
    });
    await expectError(
      otherAudience.verifyToken(await sign(signingKey, 'key-1')),
      'UNAUTHENTICATED',
      /claim "aud" refused/,
    );
  });

  it('refuses a token signed by another key, or naming a key the set lacks', async () => {
    const verifier = createVerifier({ kind: 'jwks', jwksUrl });
    await expectError(
      verifier.verifyToken(await sign(strangerKey, 'key-1')),
      'UNAUTHENTICATED',
      /bad token signature: it was not signed with the keys published at/,
    );
    await expectError(
      verifier.verifyToken(await sign(strangerKey, 'key-2')),
      'UNAUTHENTICATED',
      /no key in .* matches the token's "kid"/,
    );
    const hs = await issueToken('alice', { secret: SECRET });
    await expectError(verifier.verifyToken(hs), 'UNAUTHENTICATED', /algorithm not accepted/);
  });

  it("reports an unreachable or broken JWKS as the server's problem (INTERNAL)", async () => {
    const token = await sign(signingKey, 'key-1');
    const missing = createVerifier({ kind: 'jwks', jwksUrl: jwksUrl.replace('jwks.json', 'nope.json') });
    await expectError(missing.verifyToken(token), 'INTERNAL', /could not be used/);
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const down = createVerifier({
      kind: 'jwks',
      jwksUrl: `http://127.0.0.1:${port}/jwks.json`,
      timeoutMs: 1000,
    });
    await expectError(down.verifyToken(token), 'INTERNAL', /cannot check tokens/);
  });
});
