#!/usr/bin/env node
// Builds the optional N-API LXRHash addon (build/lxr_native.node) with the system C compiler
// against Node's own headers. N-API is ABI-stable, so no node-gyp is needed. When nothing can
// be compiled the pool falls back to the pure TypeScript kernels, so a failure here only warns.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const src = join(root, 'src', 'lxr', 'native', 'lxr_addon.c');
const header = join(root, 'native-bench', 'lxrhash.h');
const out = join(root, 'build', 'lxr_native.node');
const candidates = [
  process.env.NODE_INCLUDE_DIR,
  join(dirname(process.execPath), '..', 'include', 'node'),
  '/usr/include/node',
  '/usr/local/include/node',
].filter(Boolean);
const include = candidates.find((d) => existsSync(join(d, 'node_api.h')));

if (process.env.PROSPER_NO_NATIVE === '1') {
  console.log('build-native: PROSPER_NO_NATIVE=1, skipping the native LXRHash addon');
  process.exit(0);
}
if (!include) {
  console.warn('build-native: node_api.h not found; the pure TypeScript LXRHash kernels will be used');
  process.exit(0);
}
const newest = Math.max(statSync(src).mtimeMs, statSync(header).mtimeMs);
if (existsSync(out) && statSync(out).mtimeMs >= newest) process.exit(0);
mkdirSync(dirname(out), { recursive: true });
const cc = process.env.CC ?? 'cc';
const args = ['-O3', '-std=gnu11', '-shared', '-fPIC', '-fvisibility=hidden', '-DNODE_GYP_MODULE_NAME=lxr_native',
  `-I${include}`, `-I${join(root, 'native-bench')}`, src, '-o', out];
try {
  execFileSync(cc, args, { stdio: 'inherit' });
  console.log(`build-native: built ${out}`);
} catch (err) {
  console.warn(`build-native: ${cc} failed (${err.message}); the pure TypeScript LXRHash kernels will be used`);
}
