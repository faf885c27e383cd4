/*
 * LXRHash in C: the table generator and the hash, one lane (K=1) or K lanes advanced in
 * lockstep so that K independent dependent-load chains overlap their cache misses.
 * Written from docs/lxrhash.md sections 2 and 3. Used by the native-bench harness (the C
 * reference for ratios) and by Prosper's N-API addon (src/lxr/native).
 */
#ifndef PROSPER_LXRHASH_H
#define PROSPER_LXRHASH_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

typedef uint64_t lxr_u64;

#define LXR_HASH_BYTES 32

/* Progress callback for generation: called every `every` steps with steps done; may be NULL. */
typedef void (*lxr_progress_fn)(void *ctx, uint64_t done, uint64_t total);

static inline void lxr_generate(uint8_t *T, unsigned bits, lxr_u64 seed, unsigned passes,
                                lxr_progress_fn progress, void *ctx) {
  const lxr_u64 N = (lxr_u64)1 << bits, M = N - 1;
  for (lxr_u64 i = 0; i < N; i++) T[i] = (uint8_t)i;
  lxr_u64 off = seed ^ 0x221F200AF9BB87F0ULL;
  lxr_u64 b = seed ^ 0x4046845BFC19F141ULL;
  lxr_u64 v = 0x30E5D4170B072C07ULL;
  const lxr_u64 total = N * passes;
  lxr_u64 done = 0;
  for (unsigned p = 0; p < passes; p++) {
    for (lxr_u64 i = 0; i < N; i++) {
      off = off << 9 ^ off >> 1 ^ off >> 7 ^ b;
      v = (lxr_u64)T[(off ^ b) & M] ^ v << 8 ^ v >> 1;
      b = v << 7 ^ v << 13 ^ v << 33 ^ v << 52 ^ b << 9 ^ b >> 1;
      const lxr_u64 j = off & M;
      const uint8_t t = T[i];
      T[i] = T[j];
      T[j] = t;
      if (progress && ((++done & 0xFFFFF) == 0)) progress(ctx, done, total);
    }
  }
  if (progress) progress(ctx, total, total);
}

/*
 * K lanes, each hashing src[k*len .. k*len+len-1] (all the same length) into
 * out[k*32 .. k*32+31]. K is a compile-time constant at each call site so the lane loops
 * unroll and the loads of different lanes are issued together.
 */
#define LXR_MAX_LANES 32
#define LXR_B(x) ((lxr_u64)T[(x) & M])
#define LXR_LANES for (int k = 0; k < K; k++)

static inline __attribute__((always_inline)) void lxr_hash_lanes(
    const uint8_t *T, unsigned bits, lxr_u64 seed, const uint8_t *src, size_t len,
    uint8_t *out, const int K) {
  const lxr_u64 M = ((lxr_u64)1 << bits) - 1;
  lxr_u64 a[LXR_MAX_LANES], s1[LXR_MAX_LANES], s2[LXR_MAX_LANES], s3[LXR_MAX_LANES], hs[LXR_MAX_LANES][LXR_HASH_BYTES];
  LXR_LANES {
    a[k] = seed; s1[k] = s2[k] = s3[k] = 0;
    memset(hs[k], 0, sizeof hs[k]);
  }
  /* Phase 1: fast spin. */
  for (size_t i = 0; i < len; i++) {
    const size_t idx = i % LXR_HASH_BYTES;
    LXR_LANES {
      const lxr_u64 v = src[k * len + i];
      const lxr_u64 t = LXR_B(a[k] ^ v);
      a[k] = a[k] << 7 ^ a[k] >> 5 ^ v << 20 ^ v << 16 ^ v ^ t << 20 ^ t << 12 ^ t << 4;
      s1[k] = s1[k] << 9 ^ s1[k] >> 3 ^ hs[k][idx];
      hs[k][idx] = s1[k] ^ a[k];
      const lxr_u64 r = s3[k]; s3[k] = s2[k]; s2[k] = s1[k]; s1[k] = r;
    }
  }
  /* Phase 2 (each input byte) and phase 3 (reduction, idx 31..0) share one step. */
  const size_t steps = len + LXR_HASH_BYTES;
  for (size_t j = 0; j < steps; j++) {
    const int reduce = j >= len;
    const size_t idx = reduce ? (LXR_HASH_BYTES - 1 - (j - len)) : (j % LXR_HASH_BYTES);
    lxr_u64 v[LXR_MAX_LANES];
    LXR_LANES v[k] = reduce ? hs[k][idx] : (lxr_u64)src[k * len + j];
    LXR_LANES s1[k] = s1[k] << 9 ^ s1[k] >> 1 ^ a[k] ^ LXR_B(a[k] >> 5 ^ v[k]) << 3;
    LXR_LANES s1[k] = s1[k] << 5 ^ s1[k] >> 3 ^ LXR_B(s1[k] ^ v[k]) << 7;
    LXR_LANES s1[k] = s1[k] << 7 ^ s1[k] >> 7 ^ LXR_B(a[k] ^ s1[k] >> 7) << 5;
    LXR_LANES s1[k] = s1[k] << 11 ^ s1[k] >> 5 ^ LXR_B(v[k] ^ a[k] >> 11 ^ s1[k]) << 27;
    LXR_LANES hs[k][idx] = s1[k] ^ a[k] ^ hs[k][idx] << 7 ^ hs[k][idx] >> 13;
    LXR_LANES a[k] = a[k] << 17 ^ a[k] >> 5 ^ s1[k] ^ LXR_B(a[k] ^ s1[k] >> 27 ^ v[k]) << 3;
    LXR_LANES a[k] = a[k] << 13 ^ a[k] >> 3 ^ LXR_B(a[k] ^ s1[k]) << 7;
    LXR_LANES a[k] = a[k] << 15 ^ a[k] >> 7 ^ LXR_B(a[k] >> 7 ^ s1[k]) << 11;
    LXR_LANES a[k] = a[k] << 9 ^ a[k] >> 11 ^ LXR_B(v[k] ^ a[k] ^ s1[k]) << 3;
    LXR_LANES s1[k] = s1[k] << 7 ^ s1[k] >> 27 ^ a[k] ^ LXR_B(a[k] >> 3) << 13;
    LXR_LANES s1[k] = s1[k] << 3 ^ s1[k] >> 13 ^ LXR_B(s1[k] ^ v[k]) << 11;
    LXR_LANES s1[k] = s1[k] << 8 ^ s1[k] >> 11 ^ LXR_B(a[k] ^ s1[k] >> 11) << 9;
    LXR_LANES s1[k] = s1[k] << 6 ^ s1[k] >> 9 ^ LXR_B(v[k] ^ a[k] ^ s1[k]) << 3;
    LXR_LANES a[k] = a[k] << 23 ^ a[k] >> 3 ^ s1[k] ^ LXR_B(a[k] ^ v[k] ^ s1[k] >> 3) << 7;
    LXR_LANES a[k] = a[k] << 17 ^ a[k] >> 7 ^ LXR_B(a[k] ^ s1[k] >> 3) << 5;
    LXR_LANES a[k] = a[k] << 13 ^ a[k] >> 5 ^ LXR_B(a[k] >> 5 ^ s1[k]) << 1;
    LXR_LANES a[k] = a[k] << 11 ^ a[k] >> 1 ^ LXR_B(v[k] ^ a[k] ^ s1[k]) << 7;
    LXR_LANES s1[k] = s1[k] << 5 ^ s1[k] >> 3 ^ a[k] ^ LXR_B(a[k] >> 7 ^ s1[k] >> 3) << 6;
    LXR_LANES s1[k] = s1[k] << 8 ^ s1[k] >> 6 ^ LXR_B(s1[k] ^ v[k]) << 11;
    LXR_LANES s1[k] = s1[k] << 11 ^ s1[k] >> 11 ^ LXR_B(a[k] ^ s1[k] >> 11) << 5;
    LXR_LANES s1[k] = s1[k] << 7 ^ s1[k] >> 5 ^ LXR_B(v[k] ^ a[k] >> 7 ^ a[k] ^ s1[k]) << 17;
    LXR_LANES s2[k] = s2[k] << 3 ^ s2[k] >> 17 ^ s1[k] ^ LXR_B(a[k] ^ s2[k] >> 5 ^ v[k]) << 13;
    LXR_LANES s2[k] = s2[k] << 6 ^ s2[k] >> 13 ^ LXR_B(s2[k]) << 11;
    LXR_LANES s2[k] = s2[k] << 11 ^ s2[k] >> 11 ^ LXR_B(a[k] ^ s1[k] ^ s2[k] >> 11) << 23;
    LXR_LANES s2[k] = s2[k] << 4 ^ s2[k] >> 23 ^ LXR_B(v[k] ^ a[k] >> 8 ^ a[k] ^ s2[k] >> 10) << 1;
    LXR_LANES s1[k] = s2[k] << 3 ^ s2[k] >> 1 ^ hs[k][idx] ^ v[k];
    LXR_LANES a[k] = a[k] << 9 ^ a[k] >> 7 ^ s1[k] >> 1 ^ LXR_B(s2[k] >> 1 ^ hs[k][idx]) << 5;
    LXR_LANES { const lxr_u64 r = s3[k]; s3[k] = s2[k]; s2[k] = s1[k]; s1[k] = r; }
    if (reduce) LXR_LANES out[k * LXR_HASH_BYTES + idx] = T[a[k] & M] ^ T[hs[k][idx] & M];
  }
}

/*
 * The same hash, K lanes, with the next lookup of every lane prefetched as soon as its index is
 * known: a line reads the byte its lane prefetched K lane-lines earlier, updates the state,
 * computes the next index and prefetches it. A prefetch retires without waiting for its data,
 * so the core keeps up to K misses in flight however long each one takes, where the plain
 * lockstep kernel stalls its reorder buffer behind the oldest miss. The two output lookups of
 * each reduction step are prefetched too and read one step later.
 */
#define LXR_PF(i) __builtin_prefetch(T + (i), 0, 3)
/* One lookup line: read the prefetched byte t, update with it, then index and prefetch the next. */
#define LXR_LINE(UPDATE, NEXT) \
  LXR_LANES { const lxr_u64 t = T[ix[k]]; UPDATE; ix[k] = (NEXT) & M; LXR_PF(ix[k]); }

static inline __attribute__((always_inline)) void lxr_hash_lanes_pf(
    const uint8_t *T, unsigned bits, lxr_u64 seed, const uint8_t *src, size_t len,
    uint8_t *out, const int K) {
  const lxr_u64 M = ((lxr_u64)1 << bits) - 1;
  lxr_u64 a[LXR_MAX_LANES], s1[LXR_MAX_LANES], s2[LXR_MAX_LANES], s3[LXR_MAX_LANES], v[LXR_MAX_LANES];
  lxr_u64 ix[LXR_MAX_LANES], oa[LXR_MAX_LANES], oh[LXR_MAX_LANES], hs[LXR_MAX_LANES][LXR_HASH_BYTES];
  if (len == 0) { lxr_hash_lanes(T, bits, seed, src, len, out, K); return; }
  size_t pending = LXR_HASH_BYTES; /* output byte whose two lookups are in flight, or none */
  LXR_LANES {
    a[k] = seed; s1[k] = s2[k] = s3[k] = 0;
    memset(hs[k], 0, sizeof hs[k]);
    ix[k] = (a[k] ^ src[k * len]) & M;
    LXR_PF(ix[k]);
  }
  /* Phase 1: fast spin; the last byte's next lookup is the first of phase 2 (v = src[0]). */
  for (size_t i = 0; i < len; i++) {
    const size_t idx = i % LXR_HASH_BYTES;
    const size_t nv = i + 1 < len ? i + 1 : 0;
    LXR_LANES {
      const lxr_u64 vv = src[k * len + i];
      const lxr_u64 t = T[ix[k]];
      a[k] = a[k] << 7 ^ a[k] >> 5 ^ vv << 20 ^ vv << 16 ^ vv ^ t << 20 ^ t << 12 ^ t << 4;
      s1[k] = s1[k] << 9 ^ s1[k] >> 3 ^ hs[k][idx];
      hs[k][idx] = s1[k] ^ a[k];
      const lxr_u64 r = s3[k]; s3[k] = s2[k]; s2[k] = s1[k]; s1[k] = r;
      const lxr_u64 n = src[k * len + nv];
      ix[k] = (i + 1 < len ? a[k] ^ n : a[k] >> 5 ^ n) & M;
      LXR_PF(ix[k]);
    }
  }
  const size_t steps = len + LXR_HASH_BYTES;
  LXR_LANES v[k] = src[k * len];
  for (size_t j = 0; j < steps; j++) {
    const int reduce = j >= len;
    const size_t idx = reduce ? (LXR_HASH_BYTES - 1 - (j - len)) : (j % LXR_HASH_BYTES);
    LXR_LINE(s1[k] = s1[k] << 9 ^ s1[k] >> 1 ^ a[k] ^ t << 3, s1[k] ^ v[k]);
    LXR_LINE(s1[k] = s1[k] << 5 ^ s1[k] >> 3 ^ t << 7, a[k] ^ s1[k] >> 7);
    LXR_LINE(s1[k] = s1[k] << 7 ^ s1[k] >> 7 ^ t << 5, v[k] ^ a[k] >> 11 ^ s1[k]);
    LXR_LINE(s1[k] = s1[k] << 11 ^ s1[k] >> 5 ^ t << 27; hs[k][idx] = s1[k] ^ a[k] ^ hs[k][idx] << 7 ^ hs[k][idx] >> 13,
             a[k] ^ s1[k] >> 27 ^ v[k]);
    LXR_LINE(a[k] = a[k] << 17 ^ a[k] >> 5 ^ s1[k] ^ t << 3, a[k] ^ s1[k]);
    LXR_LINE(a[k] = a[k] << 13 ^ a[k] >> 3 ^ t << 7, a[k] >> 7 ^ s1[k]);
    LXR_LINE(a[k] = a[k] << 15 ^ a[k] >> 7 ^ t << 11, v[k] ^ a[k] ^ s1[k]);
    LXR_LINE(a[k] = a[k] << 9 ^ a[k] >> 11 ^ t << 3, a[k] >> 3);
    LXR_LINE(s1[k] = s1[k] << 7 ^ s1[k] >> 27 ^ a[k] ^ t << 13, s1[k] ^ v[k]);
    LXR_LINE(s1[k] = s1[k] << 3 ^ s1[k] >> 13 ^ t << 11, a[k] ^ s1[k] >> 11);
    LXR_LINE(s1[k] = s1[k] << 8 ^ s1[k] >> 11 ^ t << 9, v[k] ^ a[k] ^ s1[k]);
    LXR_LINE(s1[k] = s1[k] << 6 ^ s1[k] >> 9 ^ t << 3, a[k] ^ v[k] ^ s1[k] >> 3);
    LXR_LINE(a[k] = a[k] << 23 ^ a[k] >> 3 ^ s1[k] ^ t << 7, a[k] ^ s1[k] >> 3);
    LXR_LINE(a[k] = a[k] << 17 ^ a[k] >> 7 ^ t << 5, a[k] >> 5 ^ s1[k]);
    LXR_LINE(a[k] = a[k] << 13 ^ a[k] >> 5 ^ t << 1, v[k] ^ a[k] ^ s1[k]);
    LXR_LINE(a[k] = a[k] << 11 ^ a[k] >> 1 ^ t << 7, a[k] >> 7 ^ s1[k] >> 3);
    LXR_LINE(s1[k] = s1[k] << 5 ^ s1[k] >> 3 ^ a[k] ^ t << 6, s1[k] ^ v[k]);
    LXR_LINE(s1[k] = s1[k] << 8 ^ s1[k] >> 6 ^ t << 11, a[k] ^ s1[k] >> 11);
    LXR_LINE(s1[k] = s1[k] << 11 ^ s1[k] >> 11 ^ t << 5, v[k] ^ a[k] >> 7 ^ a[k] ^ s1[k]);
    LXR_LINE(s1[k] = s1[k] << 7 ^ s1[k] >> 5 ^ t << 17, a[k] ^ s2[k] >> 5 ^ v[k]);
    LXR_LINE(s2[k] = s2[k] << 3 ^ s2[k] >> 17 ^ s1[k] ^ t << 13, s2[k]);
    LXR_LINE(s2[k] = s2[k] << 6 ^ s2[k] >> 13 ^ t << 11, a[k] ^ s1[k] ^ s2[k] >> 11);
    LXR_LINE(s2[k] = s2[k] << 11 ^ s2[k] >> 11 ^ t << 23, v[k] ^ a[k] >> 8 ^ a[k] ^ s2[k] >> 10);
    LXR_LINE(s2[k] = s2[k] << 4 ^ s2[k] >> 23 ^ t << 1, s2[k] >> 1 ^ hs[k][idx]);
    /* Line 27, then the previous reduction step's output (its lookups were prefetched a step
       ago), then this step's output lookups and the next step's first lookup. */
    const int next_reduce = j + 1 >= len;
    const size_t next_idx = next_reduce ? (LXR_HASH_BYTES - 1 - (j + 1 - len)) : ((j + 1) % LXR_HASH_BYTES);
    LXR_LANES {
      const lxr_u64 t = T[ix[k]];
      s1[k] = s2[k] << 3 ^ s2[k] >> 1 ^ hs[k][idx] ^ v[k];
      a[k] = a[k] << 9 ^ a[k] >> 7 ^ s1[k] >> 1 ^ t << 5;
      const lxr_u64 r = s3[k]; s3[k] = s2[k]; s2[k] = s1[k]; s1[k] = r;
      if (pending < LXR_HASH_BYTES) out[k * LXR_HASH_BYTES + pending] = T[oa[k]] ^ T[oh[k]];
      if (reduce) { oa[k] = a[k] & M; oh[k] = hs[k][idx] & M; LXR_PF(oa[k]); LXR_PF(oh[k]); }
      if (j + 1 < steps) {
        v[k] = next_reduce ? hs[k][next_idx] : (lxr_u64)src[k * len + j + 1];
        ix[k] = (a[k] >> 5 ^ v[k]) & M;
        LXR_PF(ix[k]);
      }
    }
    pending = reduce ? idx : LXR_HASH_BYTES;
  }
  LXR_LANES out[k * LXR_HASH_BYTES + pending] = T[oa[k]] ^ T[oh[k]];
}

/* The inputs left over after the full groups: lockstep groups of 16, 8, 4, 2 and 1 lanes. */
static __attribute__((unused)) void lxr_hash_rest(const uint8_t *T, unsigned bits, lxr_u64 seed, const uint8_t *src,
                                                  size_t len, size_t count, uint8_t *out) {
  size_t n = 0;
  for (; n + 16 <= count; n += 16) lxr_hash_lanes(T, bits, seed, src + n * len, len, out + n * LXR_HASH_BYTES, 16);
  if (n + 8 <= count) { lxr_hash_lanes(T, bits, seed, src + n * len, len, out + n * LXR_HASH_BYTES, 8); n += 8; }
  if (n + 4 <= count) { lxr_hash_lanes(T, bits, seed, src + n * len, len, out + n * LXR_HASH_BYTES, 4); n += 4; }
  if (n + 2 <= count) { lxr_hash_lanes(T, bits, seed, src + n * len, len, out + n * LXR_HASH_BYTES, 2); n += 2; }
  if (n < count) lxr_hash_lanes(T, bits, seed, src + n * len, len, out + n * LXR_HASH_BYTES, 1);
}

/* Hash `count` inputs of `len` bytes each (concatenated in src), K at a time, the rest by lxr_hash_rest. */
#define LXR_DEFINE_BATCH(NAME, LANES_FN, KK)                                              \
  static __attribute__((unused)) void NAME(const uint8_t *T, unsigned bits, lxr_u64 seed, const uint8_t *src,    \
                   size_t len, size_t count, uint8_t *out) {                             \
    size_t n = 0;                                                                         \
    for (; n + (KK) <= count; n += (KK))                                                  \
      LANES_FN(T, bits, seed, src + n * len, len, out + n * LXR_HASH_BYTES, (KK));        \
    lxr_hash_rest(T, bits, seed, src + n * len, len, count - n, out + n * LXR_HASH_BYTES); \
  }

LXR_DEFINE_BATCH(lxr_hash_batch_k1, lxr_hash_lanes, 1)
LXR_DEFINE_BATCH(lxr_hash_batch_k2, lxr_hash_lanes, 2)
LXR_DEFINE_BATCH(lxr_hash_batch_k4, lxr_hash_lanes, 4)
LXR_DEFINE_BATCH(lxr_hash_batch_k8, lxr_hash_lanes, 8)
LXR_DEFINE_BATCH(lxr_hash_batch_k16, lxr_hash_lanes, 16)
LXR_DEFINE_BATCH(lxr_hash_batch_k24, lxr_hash_lanes, 24)
LXR_DEFINE_BATCH(lxr_hash_batch_k32, lxr_hash_lanes, 32)
LXR_DEFINE_BATCH(lxr_hash_batch_p8, lxr_hash_lanes_pf, 8)
LXR_DEFINE_BATCH(lxr_hash_batch_p16, lxr_hash_lanes_pf, 16)
LXR_DEFINE_BATCH(lxr_hash_batch_p24, lxr_hash_lanes_pf, 24)
LXR_DEFINE_BATCH(lxr_hash_batch_p32, lxr_hash_lanes_pf, 32)

typedef void (*lxr_batch_fn)(const uint8_t *, unsigned, lxr_u64, const uint8_t *, size_t, size_t, uint8_t *);

/* The batch kernel with that many lanes, lockstep (prefetch 0) or prefetching; NULL if none. */
static __attribute__((unused)) lxr_batch_fn lxr_batch_kernel(unsigned lanes, int prefetch) {
  if (prefetch) {
    switch (lanes) {
      case 8: return lxr_hash_batch_p8;
      case 16: return lxr_hash_batch_p16;
      case 24: return lxr_hash_batch_p24;
      case 32: return lxr_hash_batch_p32;
      default: return NULL;
    }
  }
  switch (lanes) {
    case 1: return lxr_hash_batch_k1;
    case 2: return lxr_hash_batch_k2;
    case 4: return lxr_hash_batch_k4;
    case 8: return lxr_hash_batch_k8;
    case 16: return lxr_hash_batch_k16;
    case 24: return lxr_hash_batch_k24;
    case 32: return lxr_hash_batch_k32;
    default: return NULL;
  }
}

#endif
