#!/usr/bin/env node
// Generates the pure TypeScript LXRHash kernels (src/lxr/kernels/js-k*.generated.ts) from one
// description of the hash. Each uint64 is held as two int32 halves (lo, hi) so the hot path
// never touches BigInt; K lanes are advanced line by line so their table misses overlap.
// K in {1, 2, 4, 8}: perf/RESULTS.md measures whether V8 still optimizes the 8-lane body.
// `node scripts/gen-lxr-kernels.mjs --check` fails if the committed files are stale.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const outDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'src', 'lxr', 'kernels');

// The 27 lines of Step(v, idx) (docs/lxrhash.md section 3.1), as data:
// [target, p, q, extra, index terms, r]; a term is [variable, right shift].
// 'hs' means hs[idx]; index terms only need the low 32 bits.
const STEP = [
  ['s1', 9, 1, 'a', [['a', 5], ['v', 0]], 3],
  ['s1', 5, 3, null, [['s1', 0], ['v', 0]], 7],
  ['s1', 7, 7, null, [['a', 0], ['s1', 7]], 5],
  ['s1', 11, 5, null, [['v', 0], ['a', 11], ['s1', 0]], 27],
  'HS',
  ['a', 17, 5, 's1', [['a', 0], ['s1', 27], ['v', 0]], 3],
  ['a', 13, 3, null, [['a', 0], ['s1', 0]], 7],
  ['a', 15, 7, null, [['a', 7], ['s1', 0]], 11],
  ['a', 9, 11, null, [['v', 0], ['a', 0], ['s1', 0]], 3],
  ['s1', 7, 27, 'a', [['a', 3]], 13],
  ['s1', 3, 13, null, [['s1', 0], ['v', 0]], 11],
  ['s1', 8, 11, null, [['a', 0], ['s1', 11]], 9],
  ['s1', 6, 9, null, [['v', 0], ['a', 0], ['s1', 0]], 3],
  ['a', 23, 3, 's1', [['a', 0], ['v', 0], ['s1', 3]], 7],
  ['a', 17, 7, null, [['a', 0], ['s1', 3]], 5],
  ['a', 13, 5, null, [['a', 5], ['s1', 0]], 1],
  ['a', 11, 1, null, [['v', 0], ['a', 0], ['s1', 0]], 7],
  ['s1', 5, 3, 'a', [['a', 7], ['s1', 3]], 6],
  ['s1', 8, 6, null, [['s1', 0], ['v', 0]], 11],
  ['s1', 11, 11, null, [['a', 0], ['s1', 11]], 5],
  ['s1', 7, 5, null, [['v', 0], ['a', 7], ['a', 0], ['s1', 0]], 17],
  ['s2', 3, 17, 's1', [['a', 0], ['s2', 5], ['v', 0]], 13],
  ['s2', 6, 13, null, [['s2', 0]], 11],
  ['s2', 11, 11, null, [['a', 0], ['s1', 0], ['s2', 11]], 23],
  ['s2', 4, 23, null, [['v', 0], ['a', 8], ['a', 0], ['s2', 10]], 1],
  'S1',
  'A',
];

const L = (x, k) => `${x}L${k}`;
const H = (x, k) => `${x}H${k}`;
const hsL = (k) => `hs[${k * 64} + idx]`;
const hsH = (k) => `hs[${k * 64 + 32} + idx]`;
const lo = (x, k) => (x === 'hs' ? hsL(k) : L(x, k));
const hi = (x, k) => (x === 'hs' ? hsH(k) : H(x, k));
// Low and high halves of x<<n and x>>n for 0 < n < 32.
const shlLo = (x, n, k) => `(${lo(x, k)} << ${n})`;
const shlHi = (x, n, k) => `(${hi(x, k)} << ${n} | ${lo(x, k)} >>> ${32 - n})`;
const shrLo = (x, n, k) => `(${lo(x, k)} >>> ${n} | ${hi(x, k)} << ${32 - n})`;
const shrHi = (x, n, k) => `(${hi(x, k)} >>> ${n})`;
const idxTerm = ([x, n], k) => (n === 0 ? lo(x, k) : shrLo(x, n, k));
const index = (terms, k) => terms.map((t) => idxTerm(t, k)).join(' ^ ');

function stepLines(K) {
  const out = [];
  const each = (f) => { for (let k = 0; k < K; k++) out.push(f(k)); };
  for (const line of STEP) {
    if (line === 'HS') {
      // hs[idx] = s1 ^ a ^ hs[idx]<<7 ^ hs[idx]>>13
      each((k) => `tl${k} = ${L('s1', k)} ^ ${L('a', k)} ^ ${shlLo('hs', 7, k)} ^ ${shrLo('hs', 13, k)}; ` +
        `th${k} = ${H('s1', k)} ^ ${H('a', k)} ^ ${shlHi('hs', 7, k)} ^ ${shrHi('hs', 13, k)}; ` +
        `${hsL(k)} = tl${k}; ${hsH(k)} = th${k};`);
    } else if (line === 'S1') {
      // s1 = s2<<3 ^ s2>>1 ^ hs[idx] ^ v
      each((k) => `${L('s1', k)} = ${shlLo('s2', 3, k)} ^ ${shrLo('s2', 1, k)} ^ ${hsL(k)} ^ ${L('v', k)}; ` +
        `${H('s1', k)} = ${shlHi('s2', 3, k)} ^ ${shrHi('s2', 1, k)} ^ ${hsH(k)} ^ ${H('v', k)};`);
    } else if (line === 'A') {
      // a = a<<9 ^ a>>7 ^ s1>>1 ^ B(s2>>1 ^ hs[idx])<<5, then rotate (s1,s2,s3) <- (s3,s1,s2)
      each((k) => `t${k} = T[(${shrLo('s2', 1, k)} ^ ${hsL(k)}) & M]; ` +
        `tl${k} = ${shlLo('a', 9, k)} ^ ${shrLo('a', 7, k)} ^ ${shrLo('s1', 1, k)} ^ (t${k} << 5); ` +
        `th${k} = ${shlHi('a', 9, k)} ^ ${shrHi('a', 7, k)} ^ ${shrHi('s1', 1, k)}; ` +
        `${L('a', k)} = tl${k}; ${H('a', k)} = th${k};`);
      each((k) => `tl${k} = ${L('s3', k)}; th${k} = ${H('s3', k)}; ` +
        `${L('s3', k)} = ${L('s2', k)}; ${H('s3', k)} = ${H('s2', k)}; ` +
        `${L('s2', k)} = ${L('s1', k)}; ${H('s2', k)} = ${H('s1', k)}; ` +
        `${L('s1', k)} = tl${k}; ${H('s1', k)} = th${k};`);
    } else {
      const [x, p, q, extra, terms, r] = line;
      // B(index)<<r: a byte shifted left by r reaches the high half only when r > 24.
      const tHi = r > 24 ? ` ^ (t\${k} >>> ${32 - r})` : '';
      each((k) => {
        const eLo = extra ? ` ^ ${L(extra, k)}` : '';
        const eHi = extra ? ` ^ ${H(extra, k)}` : '';
        return `t${k} = T[(${index(terms, k)}) & M]; ` +
          `tl${k} = ${shlLo(x, p, k)} ^ ${shrLo(x, q, k)}${eLo} ^ (t${k} << ${r}); ` +
          `th${k} = ${shlHi(x, p, k)} ^ ${shrHi(x, q, k)}${eHi}${tHi.replace('${k}', String(k))}; ` +
          `${L(x, k)} = tl${k}; ${H(x, k)} = th${k};`;
      });
    }
  }
  return out;
}

function kernel(K) {
  const lanes = [...Array(K).keys()];
  const decl = (names) => lanes.map((k) => names.map((n) => `${n}${k} = 0`).join(', ')).join(', ');
  const body = [];
  body.push(`// GENERATED by scripts/gen-lxr-kernels.mjs: do not edit by hand.`);
  body.push(`/* eslint-disable */`);
  body.push(`/**`);
  body.push(` * LXRHash of ${K} equal-length input${K > 1 ? 's' : ''} advanced in lockstep. Lane k hashes`);
  body.push(` * src[srcOff + k*len, +len) into out[outOff + k*32, +32). \`hs\` is scratch of ${K * 64} int32.`);
  body.push(` */`);
  body.push(`export function hashLanes${K}(T: Uint8Array, M: number, seedLo: number, seedHi: number, ` +
    `src: Uint8Array, srcOff: number, len: number, out: Uint8Array, outOff: number, hs: Int32Array): void {`);
  body.push(`  let ${decl(['aL', 'aH', 's1L', 's1H', 's2L', 's2H', 's3L', 's3H', 'vL', 'vH', 't', 'tl', 'th'])};`);
  body.push(`  hs.fill(0, 0, ${K * 64});`);
  for (const k of lanes) body.push(`  aL${k} = seedLo; aH${k} = seedHi;`);
  body.push(`  // Phase 1: fast spin over the input bytes.`);
  body.push(`  for (let i = 0; i < len; i++) {`);
  body.push(`    const idx = i & 31;`);
  for (const k of lanes) {
    body.push(`    vL${k} = src[srcOff + ${k} * len + i];`);
    body.push(`    t${k} = T[(aL${k} ^ vL${k}) & M];`);
    // a = a<<7 ^ a>>5 ^ v<<20 ^ v<<16 ^ v ^ t<<20 ^ t<<12 ^ t<<4 (the byte terms stay in the low half)
    body.push(`    tl${k} = (aL${k} << 7) ^ (aL${k} >>> 5 | aH${k} << 27) ^ (vL${k} << 20) ^ (vL${k} << 16) ^ vL${k} ^ (t${k} << 20) ^ (t${k} << 12) ^ (t${k} << 4);`);
    body.push(`    th${k} = (aH${k} << 7 | aL${k} >>> 25) ^ (aH${k} >>> 5);`);
    body.push(`    aL${k} = tl${k}; aH${k} = th${k};`);
    // s1 = s1<<9 ^ s1>>3 ^ hs[idx]; hs[idx] = s1 ^ a; rotate
    body.push(`    tl${k} = (s1L${k} << 9) ^ (s1L${k} >>> 3 | s1H${k} << 29) ^ ${hsL(k)};`);
    body.push(`    th${k} = (s1H${k} << 9 | s1L${k} >>> 23) ^ (s1H${k} >>> 3) ^ ${hsH(k)};`);
    body.push(`    ${hsL(k)} = tl${k} ^ aL${k}; ${hsH(k)} = th${k} ^ aH${k};`);
    body.push(`    s1L${k} = s3L${k}; s1H${k} = s3H${k}; s3L${k} = s2L${k}; s3H${k} = s2H${k}; s2L${k} = tl${k}; s2H${k} = th${k};`);
  }
  body.push(`  }`);
  body.push(`  // Phase 2 (each input byte, idx = i mod 32) and phase 3 (reduction, idx 31..0) share Step.`);
  body.push(`  const steps = len + 32;`);
  body.push(`  for (let j = 0; j < steps; j++) {`);
  body.push(`    const reduce = j >= len;`);
  body.push(`    const idx = reduce ? 31 - (j - len) : j & 31;`);
  body.push(`    if (reduce) {`);
  for (const k of lanes) body.push(`      vL${k} = ${hsL(k)}; vH${k} = ${hsH(k)};`);
  body.push(`    } else {`);
  for (const k of lanes) body.push(`      vL${k} = src[srcOff + ${k} * len + j]; vH${k} = 0;`);
  body.push(`    }`);
  for (const l of stepLines(K)) body.push(`    ${l}`);
  body.push(`    if (reduce) {`);
  for (const k of lanes) body.push(`      out[outOff + ${k * 32} + idx] = T[aL${k} & M] ^ T[${hsL(k)} & M];`);
  body.push(`    }`);
  body.push(`  }`);
  body.push(`}`);
  return body.join('\n') + '\n';
}

const check = process.argv.includes('--check');
let stale = false;
for (const K of [1, 2, 4, 8]) {
  const file = join(outDir, `js-k${K}.generated.ts`);
  const text = kernel(K);
  if (check) {
    let old = '';
    try { old = readFileSync(file, 'utf8'); } catch { /* missing counts as stale */ }
    if (old !== text) { console.error(`stale: ${file}`); stale = true; }
  } else {
    writeFileSync(file, text);
  }
}
if (stale) process.exit(1);
