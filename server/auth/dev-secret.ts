/**
 * The development JWT secret: with no `JWT_SECRET` and no `JWKS_URL`, the server still starts, signing
 * with a random secret generated once into `<data>/jwt-secret` (readable by its owner only) so tokens
 * survive restarts. Callers must say loudly that this is development mode.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export interface DevSecret {
  secret: string;
  path: string;
  /** `true` when this call generated the file. */
  created: boolean;
}

export function loadDevSecret(dataDir: string): DevSecret {
  const file = path.resolve(dataDir, 'jwt-secret');
  mkdirSync(path.dirname(file), { recursive: true });
  const secret = randomBytes(32).toString('base64url');
  try {
    // `wx`: two processes starting at once can't both write; the loser reads the winner's secret.
    writeFileSync(file, `${secret}\n`, { mode: 0o600, flag: 'wx' });
    return { secret, path: file, created: true };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const stored = readFileSync(file, 'utf8').trim();
  if (stored === '') {
    throw new Error(`${file} is empty: delete it to generate a new development secret, or set JWT_SECRET`);
  }
  // Tighten a file someone created by hand with looser permissions.
  chmodSync(file, 0o600);
  return { secret: stored, path: file, created: false };
}
