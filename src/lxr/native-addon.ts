import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The N-API addon's surface (src/lxr/native/lxr_addon.c). */
export interface LxrNativeAddon {
  hashBatch(T: Uint8Array, bits: number, seed: bigint, src: Uint8Array, len: number, count: number, out: Uint8Array, lanes: number, prefetch: boolean): void;
  generate(T: Uint8Array, bits: number, seed: bigint, passes: number, progress?: Int32Array): void;
  adviseHugePages(bytes: Uint8Array): number;
}

let cached: LxrNativeAddon | null | undefined;

function addonPath(): string | undefined {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const candidate = join(dir, 'build', 'lxr_native.node');
    if (existsSync(candidate)) return candidate;
    dir = dirname(dir);
  }
  return undefined;
}

/**
 * The native addon when it was built (`npm run build:native`) and may be used, else null.
 * PROSPER_NO_NATIVE=1 forces the pure TypeScript paths.
 */
export function loadNativeAddon(): LxrNativeAddon | null {
  if (cached !== undefined) return cached;
  cached = null;
  if (process.env.PROSPER_NO_NATIVE === '1') return cached;
  const path = addonPath();
  if (!path) return cached;
  try {
    cached = createRequire(import.meta.url)(path) as LxrNativeAddon;
  } catch {
    cached = null;
  }
  return cached;
}
