/* Generate an LXRHash table file in the reference layout: gen BITS OUTFILE [SEED_HEX] [PASSES] */
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <time.h>
#include "lxrhash.h"

static void report(void *ctx, uint64_t done, uint64_t total) {
  (void)ctx;
  if ((done & 0x3FFFFFF) == 0 || done == total) fprintf(stderr, "\r%5.1f%%", 100.0 * done / total);
}

int main(int argc, char **argv) {
  if (argc < 3) { fprintf(stderr, "usage: gen BITS OUTFILE [SEED_HEX] [PASSES] [--huge]\n"); return 2; }
  unsigned bits = (unsigned)atoi(argv[1]);
  lxr_u64 seed = argc > 3 ? strtoull(argv[3], NULL, 16) : 0xFAFAECECFAFAECECULL;
  unsigned passes = argc > 4 ? (unsigned)atoi(argv[4]) : 5;
  size_t n = (size_t)1 << bits;
  uint8_t *T = mmap(NULL, n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (T == MAP_FAILED) { perror("mmap"); return 1; }
  if (argc > 5) madvise(T, n, MADV_HUGEPAGE);
  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  lxr_generate(T, bits, seed, passes, report, NULL);
  clock_gettime(CLOCK_MONOTONIC, &t1);
  fprintf(stderr, "\ngenerated %u bits in %.3f s\n", bits, (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9);
  FILE *f = fopen(argv[2], "wb");
  if (!f || fwrite(T, 1, n, f) != n || fclose(f)) { perror("write"); return 1; }
  return 0;
}
