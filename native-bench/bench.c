/*
 * The C reference harness: hashes per second of the C LXRHash kernels (K = 1, 2, 4, 8 lanes)
 * on T threads sharing one table, for ratios against Prosper's kernels in the same run.
 *   bench BITS TABLEFILE SECONDS THREADS KERNEL LEN [huge]
 * KERNEL is the lane count K of a lockstep kernel (1, 2, 4, 8, 16, 24, 32) or pK for the
 * prefetching kernel with K lanes (p8, p16, p24, p32). TABLEFILE "-" generates the table instead.
 * The table is read from TABLEFILE (the reference layout); with "huge" its memory is advised
 * to transparent huge pages first. Prints one JSON object: hashes per second of wall time, and
 * per second of the threads' CPU time (what a core does while it is scheduled).
 */
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>
#include "lxrhash.h"

static const uint8_t *table;
static unsigned bits;
static double seconds;
static lxr_batch_fn kernel;
static size_t len;

static double now_s(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + t.tv_nsec / 1e9;
}

struct result { uint64_t hashes; double elapsed, cpu; int id; };

static double cpu_s(void) {
  struct timespec t;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return t.tv_sec + t.tv_nsec / 1e9;
}

static void *run(void *arg) {
  struct result *r = arg;
  enum { BATCH = 96 }; /* a multiple of every width: 8, 16, 24, 32 */
  uint8_t *src = calloc(BATCH, len), out[BATCH * LXR_HASH_BYTES];
  uint64_t counter = (uint64_t)r->id << 40;
  double t0 = now_s(), t = t0, c0 = cpu_s();
  while (t - t0 < seconds) {
    for (int i = 0; i < BATCH; i++, counter++)
      for (int b = 0; b < 8 && (size_t)b < len; b++) src[i * len + len - 1 - b] = (uint8_t)(counter >> (8 * b));
    kernel(table, bits, 0xFAFAECECFAFAECECULL, src, len, BATCH, out);
    r->hashes += BATCH;
    t = now_s();
  }
  r->elapsed = t - t0;
  r->cpu = cpu_s() - c0;
  free(src);
  return NULL;
}

int main(int argc, char **argv) {
  if (argc < 7) { fprintf(stderr, "usage: bench BITS TABLEFILE SECONDS THREADS K LEN [huge]\n"); return 2; }
  bits = (unsigned)atoi(argv[1]);
  seconds = atof(argv[3]);
  int threads = atoi(argv[4]);
  const char *name = argv[5];
  const int prefetch = name[0] == 'p';
  kernel = lxr_batch_kernel((unsigned)atoi(name + prefetch), prefetch);
  if (!kernel) { fprintf(stderr, "unknown kernel %s\n", name); return 2; }
  len = (size_t)atoi(argv[6]);
  int huge = argc > 7;
  size_t n = (size_t)1 << bits;
  uint8_t *T = mmap(NULL, n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (T == MAP_FAILED) { perror("mmap"); return 1; }
  if (huge) madvise(T, n, MADV_HUGEPAGE);
  if (argv[2][0] == '-' && argv[2][1] == 0) {
    lxr_generate(T, bits, 0xFAFAECECFAFAECECULL, 5, NULL, NULL);
  } else {
    int fd = open(argv[2], O_RDONLY);
    if (fd < 0) { perror(argv[2]); return 1; }
    for (size_t off = 0; off < n;) {
      ssize_t got = pread(fd, T + off, n - off > (64u << 20) ? (64u << 20) : n - off, (off_t)off);
      if (got <= 0) { fprintf(stderr, "short table file\n"); return 1; }
      off += (size_t)got;
    }
    close(fd);
  }
  table = T;
  pthread_t tid[64];
  struct result res[64] = {0};
  if (threads < 1 || threads > 64) threads = 1;
  for (int i = 0; i < threads; i++) { res[i].id = i; pthread_create(&tid[i], NULL, run, &res[i]); }
  uint64_t total = 0;
  double elapsed = 0, cpu = 0;
  for (int i = 0; i < threads; i++) {
    pthread_join(tid[i], NULL);
    total += res[i].hashes;
    cpu += res[i].cpu;
    if (res[i].elapsed > elapsed) elapsed = res[i].elapsed;
  }
  printf("{\"kernel\":\"c-%s%s%s\",\"bits\":%u,\"threads\":%d,\"len\":%zu,\"hashes\":%llu,\"seconds\":%.3f,\"hashesPerSecond\":%.1f,\"cpuSeconds\":%.3f,\"hashesPerCpuSecond\":%.1f}\n",
         prefetch ? "" : "k", name, huge ? "-huge" : "", bits, threads, len, (unsigned long long)total, elapsed, total / elapsed, cpu, total / cpu);
  return 0;
}
