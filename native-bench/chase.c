/*
 * The machine's memory limit for LXRHash, measured rather than assumed: a pointer chase over
 * a buffer as large as the table (1 GiB by default).
 *   chase [MIB] [huge|nohuge] [SECONDS_PER_POINT]
 * One chain gives the latency of a random access; C independent chains interleaved in one loop
 * give the misses a core keeps in flight (C x latency / time per step), and the largest figure
 * over C = 1..48 is the core's memory-level parallelism. The buffer is advised MADV_HUGEPAGE
 * (huge) or MADV_NOHUGEPAGE (nohuge) before it is touched; how much of it the kernel really
 * backed with huge pages is read back from /proc/self/smaps and printed. Prints one JSON object.
 * Times are the thread's CPU time, so time spent descheduled on a busy machine is not counted
 * (a stalled load still counts: the thread is running while it waits).
 * docs/lxrhash.md 3.3 turns these figures into hashes per second.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#define LINE 64
#define MAX_CHAINS 48

/* Thread CPU time: on a shared machine the time this thread was descheduled does not count. */
static double now_s(void) {
  struct timespec t;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return t.tv_sec + t.tv_nsec / 1e9;
}

static uint64_t rng = 0x9E3779B97F4A7C15ULL;
static uint64_t next_rand(void) {
  rng ^= rng << 13;
  rng ^= rng >> 7;
  rng ^= rng << 17;
  return rng;
}

/* KiB of the mapping at [p, p+len) backed by huge pages, from /proc/self/smaps (-1 if unknown). */
static long huge_kib(void *p) {
  FILE *f = fopen("/proc/self/smaps", "r");
  if (!f) return -1;
  char line[256];
  int inside = 0;
  long kib = -1;
  while (fgets(line, sizeof line, f)) {
    unsigned long lo, hi;
    if (sscanf(line, "%lx-%lx ", &lo, &hi) == 2) {
      inside = (uintptr_t)p >= lo && (uintptr_t)p < hi;
      continue;
    }
    if (inside && sscanf(line, "AnonHugePages: %ld kB", &kib) == 1) break;
  }
  fclose(f);
  return kib;
}

/* Time per step (ns) of `chains` independent chases interleaved, over about `seconds`. */
static double chase(uint64_t *const *starts, int chains, double seconds, uint64_t *sink) {
  uint64_t *p[MAX_CHAINS];
  for (int c = 0; c < chains; c++) p[c] = starts[c];
  uint64_t steps = 0;
  const uint64_t burst = 4096;
  double t0 = now_s(), t;
  do {
    for (uint64_t i = 0; i < burst; i++)
      for (int c = 0; c < chains; c++) p[c] = (uint64_t *)*p[c];
    steps += burst;
    t = now_s();
  } while (t - t0 < seconds);
  for (int c = 0; c < chains; c++) *sink += (uintptr_t)p[c];
  return (t - t0) * 1e9 / (double)(steps * (uint64_t)chains);
}

int main(int argc, char **argv) {
  const size_t mib = argc > 1 ? (size_t)atol(argv[1]) : 1024;
  const int huge = argc > 2 ? strcmp(argv[2], "nohuge") != 0 : 1;
  const double seconds = argc > 3 ? atof(argv[3]) : 0.3;
  const size_t bytes = mib << 20, lines = bytes / LINE;
  uint8_t *buf = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (buf == MAP_FAILED) { perror("mmap"); return 1; }
#if defined(MADV_HUGEPAGE) && defined(MADV_NOHUGEPAGE)
  int advice = madvise(buf, bytes, huge ? MADV_HUGEPAGE : MADV_NOHUGEPAGE);
#else
  int advice = -1;
#endif
  /* One random cycle through every line (Sattolo), so every step is a fresh random line. */
  uint32_t *order = malloc(lines * sizeof *order);
  if (!order) { perror("malloc"); return 1; }
  for (size_t i = 0; i < lines; i++) order[i] = (uint32_t)i;
  for (size_t i = lines - 1; i > 0; i--) {
    size_t j = next_rand() % i;
    uint32_t t = order[i]; order[i] = order[j]; order[j] = t;
  }
  for (size_t i = 0; i < lines; i++)
    *(uint64_t *)(buf + (size_t)order[i] * LINE) = (uint64_t)(uintptr_t)(buf + (size_t)order[(i + 1) % lines] * LINE);
  uint64_t *starts[MAX_CHAINS];
  for (int c = 0; c < MAX_CHAINS; c++) starts[c] = (uint64_t *)(buf + (size_t)order[(lines / MAX_CHAINS) * c] * LINE);
  free(order);
  const long huge_k = huge_kib(buf);

  uint64_t sink = 0;
  const double latency = chase(starts, 1, seconds, &sink);
  static const int counts[] = { 1, 2, 4, 8, 12, 16, 20, 24, 32, 40, 48 };
  const int n = sizeof counts / sizeof counts[0];
  double best = 1, per_step[sizeof counts / sizeof counts[0]];
  int best_c = 1;
  for (int i = 0; i < n; i++) {
    per_step[i] = i == 0 ? latency : chase(starts, counts[i], seconds, &sink);
    const double mlp = latency / per_step[i];
    if (mlp > best) { best = mlp; best_c = counts[i]; }
  }
  printf("{\"bufferMiB\":%zu,\"hugeAdvice\":\"%s\",\"madvise\":%d,\"anonHugeKiB\":%ld,\"hugeFraction\":%.3f,"
         "\"latencyNs\":%.1f,\"missesInFlight\":%.2f,\"atChains\":%d,\"chains\":[",
         mib, huge ? "MADV_HUGEPAGE" : "MADV_NOHUGEPAGE", advice, huge_k,
         huge_k < 0 ? 0.0 : (double)huge_k * 1024 / (double)bytes, latency, best, best_c);
  for (int i = 0; i < n; i++)
    printf("%s{\"chains\":%d,\"nsPerStep\":%.2f,\"inFlight\":%.2f}", i ? "," : "", counts[i], per_step[i], latency / per_step[i]);
  printf("],\"sink\":%llu}\n", (unsigned long long)(sink & 1));
  return 0;
}
