/*
 * Prosper's native LXRHash kernel (N-API, ABI-stable): hashes batches K lanes at a time
 * and generates tables, both working in place on the JavaScript SharedArrayBuffer that
 * every worker shares, and advises that memory to transparent huge pages (a 1 GiB table on
 * 4 KiB pages misses the TLB on nearly every lookup).
 */
#include <errno.h>
#include <node_api.h>
#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>
#include "lxrhash.h"

#define THROW(env, msg) do { napi_throw_type_error((env), NULL, (msg)); return NULL; } while (0)

static int get_bytes(napi_env env, napi_value v, uint8_t **data, size_t *len) {
  napi_typedarray_type type;
  size_t length, offset;
  void *ptr;
  napi_value ab;
  if (napi_get_typedarray_info(env, v, &type, &length, &ptr, &ab, &offset) != napi_ok) return 0;
  if (type != napi_uint8_array) return 0;
  *data = ptr;
  *len = length;
  return 1;
}

static int get_u32(napi_env env, napi_value v, uint32_t *out) {
  return napi_get_value_uint32(env, v, out) == napi_ok;
}

static int get_u64(napi_env env, napi_value v, uint64_t *out) {
  bool lossless;
  return napi_get_value_bigint_uint64(env, v, out, &lossless) == napi_ok && lossless;
}

/* hashBatch(table, bits, seed: bigint, src, len, count, out, lanes, prefetch: boolean) */
static napi_value hash_batch(napi_env env, napi_callback_info info) {
  size_t argc = 9;
  napi_value argv[9];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  if (argc != 9) THROW(env, "hashBatch expects 9 arguments");
  uint8_t *T, *src, *out;
  size_t tlen, slen, olen;
  uint32_t bits, len, count, lanes;
  uint64_t seed;
  bool prefetch;
  if (!get_bytes(env, argv[0], &T, &tlen) || !get_u32(env, argv[1], &bits) || !get_u64(env, argv[2], &seed) ||
      !get_bytes(env, argv[3], &src, &slen) || !get_u32(env, argv[4], &len) || !get_u32(env, argv[5], &count) ||
      !get_bytes(env, argv[6], &out, &olen) || !get_u32(env, argv[7], &lanes) ||
      napi_get_value_bool(env, argv[8], &prefetch) != napi_ok)
    THROW(env, "hashBatch: bad argument types");
  if (bits < 8 || bits > 32 || tlen != ((size_t)1 << bits)) THROW(env, "hashBatch: table size does not match bits");
  if ((size_t)len * count > slen) THROW(env, "hashBatch: src shorter than len*count");
  if ((size_t)LXR_HASH_BYTES * count > olen) THROW(env, "hashBatch: out shorter than 32*count");
  const lxr_batch_fn kernel = lxr_batch_kernel(lanes, prefetch);
  if (!kernel) THROW(env, "hashBatch: no such kernel (lanes 1, 2, 4, 8, 16, 24, 32; prefetching 8, 16, 24, 32)");
  kernel(T, bits, seed, src, len, count, out);
  return NULL;
}

struct progress_ctx { int32_t *cell; };

static void progress_store(void *ctx, uint64_t done, uint64_t total) {
  (void)total;
  struct progress_ctx *p = ctx;
  /* Steps done in units of 2^20, read by another thread with Atomics.load. */
  __atomic_store_n(p->cell, (int32_t)(done >> 20), __ATOMIC_RELAXED);
}

/* generate(table, bits, seed: bigint, passes, progress?: Int32Array) */
static napi_value generate(napi_env env, napi_callback_info info) {
  size_t argc = 5;
  napi_value argv[5];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  if (argc < 4) THROW(env, "generate expects 4 or 5 arguments");
  uint8_t *T;
  size_t tlen;
  uint32_t bits, passes;
  uint64_t seed;
  if (!get_bytes(env, argv[0], &T, &tlen) || !get_u32(env, argv[1], &bits) || !get_u64(env, argv[2], &seed) ||
      !get_u32(env, argv[3], &passes))
    THROW(env, "generate: bad argument types");
  if (bits < 8 || bits > 32 || tlen != ((size_t)1 << bits)) THROW(env, "generate: table size does not match bits");
  struct progress_ctx ctx = { NULL };
  if (argc == 5) {
    napi_valuetype t;
    napi_typeof(env, argv[4], &t);
    if (t != napi_undefined) {
      napi_typedarray_type type;
      size_t length, offset;
      void *ptr;
      napi_value ab;
      if (napi_get_typedarray_info(env, argv[4], &type, &length, &ptr, &ab, &offset) != napi_ok ||
          type != napi_int32_array || length < 1)
        THROW(env, "generate: progress must be an Int32Array");
      ctx.cell = ptr;
    }
  }
  lxr_generate(T, bits, seed, passes, ctx.cell ? progress_store : NULL, &ctx);
  return NULL;
}

/* adviseHugePages(bytes): madvise(MADV_HUGEPAGE) on the page-aligned part; returns 0 or errno. */
static napi_value advise_huge(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1], result;
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  uint8_t *p;
  size_t len;
  if (argc != 1 || !get_bytes(env, argv[0], &p, &len)) THROW(env, "adviseHugePages expects a Uint8Array");
  int rc = 0;
#ifdef MADV_HUGEPAGE
  const uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
  uintptr_t start = ((uintptr_t)p + page - 1) & ~(page - 1);
  uintptr_t end = ((uintptr_t)p + len) & ~(page - 1);
  if (end > start && madvise((void *)start, end - start, MADV_HUGEPAGE) != 0) rc = errno;
#else
  rc = ENOSYS;
#endif
  napi_create_int32(env, rc, &result);
  return result;
}

static napi_value init(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
    { "hashBatch", NULL, hash_batch, NULL, NULL, NULL, napi_default, NULL },
    { "generate", NULL, generate, NULL, NULL, NULL, napi_default, NULL },
    { "adviseHugePages", NULL, advise_huge, NULL, NULL, NULL, napi_default, NULL },
  };
  napi_define_properties(env, exports, sizeof props / sizeof props[0], props);
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
