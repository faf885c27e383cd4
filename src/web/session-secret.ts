import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The web's session key: the configured one, else PROSPER_WEB_SECRET, else a random key made
 * once and kept (mode 600) in `dir/web-session-secret` so sessions survive restarts. The pool and
 * `prosper-pool web` both get theirs here (through startPoolWeb), so they share the kept key.
 */
export function webSessionSecret(configured: string, dir: string, env: NodeJS.ProcessEnv = process.env): string {
  if (configured) return configured;
  if (env.PROSPER_WEB_SECRET) return env.PROSPER_WEB_SECRET;
  const file = join(dir, 'web-session-secret');
  if (existsSync(file)) {
    const kept = readFileSync(file, 'utf8').trim();
    if (kept.length >= 32) return kept;
  }
  mkdirSync(dir, { recursive: true });
  const secret = randomBytes(36).toString('base64url');
  writeFileSync(file, secret + '\n', { mode: 0o600 });
  return secret;
}
