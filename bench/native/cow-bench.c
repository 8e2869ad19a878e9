// The real kernel doing the work Folio Lab simulates, for the benchmark's
// side-by-side ratio (issue 6). Cases:
//   cow-reuse SIZE_MB : PTE-mapped THP, fork, child exits, parent writes one
//                       byte per 4K page (write faults that may reuse)
//   cow-copy  SIZE_MB : same with the child alive (every write copies)
//   fork-pmd  SIZE_MB : PMD-mapped THP populated, fork, child exits
// Prints one JSON object per run on stdout. Reads /proc/self/pagemap (when
// permitted) to count the pages the writes reused (same PFN) and copied.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define PAGE 4096UL
#define PMD (2UL * 1024 * 1024)

static double now_us(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static char *map_thp(size_t size) {
  char *raw = mmap(NULL, size + PMD, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (raw == MAP_FAILED) {
    perror("mmap");
    exit(1);
  }
  char *mem = (char *)(((uintptr_t)raw + PMD - 1) & ~(PMD - 1));
  if (madvise(mem, size, MADV_HUGEPAGE)) perror("madvise(MADV_HUGEPAGE)");
  return mem;
}

// PFNs of the n pages from addr into out (0 where pagemap does not tell: not
// present, or no privilege to see PFNs); returns 0 when pagemap can't be read.
static int pfns_of(int fd, char *addr, size_t n, uint64_t *out) {
  off_t off = ((uintptr_t)addr / PAGE) * sizeof *out;
  if (fd < 0 || pread(fd, out, n * sizeof *out, off) != (ssize_t)(n * sizeof *out)) return 0;
  for (size_t i = 0; i < n; i++) out[i] = (out[i] & (1ULL << 63)) ? out[i] & ((1ULL << 55) - 1) : 0;
  return 1;
}

// PMD-mapped THPs of the whole process (smaps_rollup AnonHugePages / 2M).
static size_t count_thp(void) {
  FILE *f = fopen("/proc/self/smaps_rollup", "r");
  char line[256];
  size_t kb = 0;
  while (f && fgets(line, sizeof line, f))
    if (sscanf(line, "AnonHugePages: %zu kB", &kb) == 1) break;
  if (f) fclose(f);
  return kb / 2048;
}

static void cow(size_t size, int child_alive) {
  char *mem = map_thp(size);
  memset(mem, 1, size);
  size_t thps = count_thp();
  // PTE-map every THP: mprotect one subpage R/O and back (cow.c's recipe).
  for (size_t off = 0; off < size; off += PMD) {
    mprotect(mem + off + PAGE, PAGE, PROT_READ);
    mprotect(mem + off + PAGE, PAGE, PROT_READ | PROT_WRITE);
  }
  int fd = open("/proc/self/pagemap", O_RDONLY);
  size_t faults = size / PAGE;
  uint64_t *before = calloc(faults, sizeof *before), *after = calloc(faults, sizeof *after);
  int seen = before && after && pfns_of(fd, mem, faults, before);

  int go[2];
  if (pipe(go)) exit(1);
  double t0 = now_us();
  pid_t pid = fork();
  if (pid == 0) {
    if (child_alive) {
      char c;
      if (read(go[0], &c, 1) < 0) _exit(1);
    }
    _exit(0);
  }
  double t_fork = now_us() - t0;
  if (!child_alive) waitpid(pid, NULL, 0);

  double t1 = now_us();
  for (size_t off = 0; off < size; off += PAGE) mem[off] = 2;
  double t_write = now_us() - t1;

  // What the writes did, page by page: same PFN = reused, new PFN = copied
  // (-1 each when the PFNs are hidden from this process).
  long reused = -1, copied = -1;
  if (seen && pfns_of(fd, mem, faults, after) && before[0] != 0) {
    reused = copied = 0;
    for (size_t i = 0; i < faults; i++) {
      if (before[i] == after[i]) reused++;
      else copied++;
    }
  }
  if (child_alive) {
    if (write(go[1], "x", 1) < 0) exit(1);
    waitpid(pid, NULL, 0);
  }
  printf("{\"case\":\"%s\",\"bytes\":%zu,\"thp_at_populate\":%zu,\"fork_us\":%.1f,"
         "\"write_us\":%.1f,\"faults\":%zu,\"us_per_fault\":%.4f,\"reused\":%ld,\"copied\":%ld}\n",
         child_alive ? "cow-copy" : "cow-reuse", size, thps, t_fork, t_write, faults,
         t_write / faults, reused, copied);
  munmap(mem, size);
  free(before);
  free(after);
  if (fd >= 0) close(fd);
}

static void fork_pmd(size_t size) {
  char *mem = map_thp(size);
  memset(mem, 1, size);
  size_t thps = count_thp();
  double t0 = now_us();
  pid_t pid = fork();
  if (pid == 0) _exit(0);
  double t_fork = now_us() - t0;
  waitpid(pid, NULL, 0);
  double t_total = now_us() - t0;
  printf("{\"case\":\"fork-pmd\",\"bytes\":%zu,\"thp_at_populate\":%zu,\"fork_us\":%.1f,"
         "\"fork_exit_us\":%.1f}\n",
         size, thps, t_fork, t_total);
  munmap(mem, size);
}

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: %s cow-reuse|cow-copy|fork-pmd SIZE_MB\n", argv[0]);
    return 2;
  }
  size_t size = strtoul(argv[2], NULL, 10) * 1024UL * 1024UL;
  if (size == 0 || size % PMD) {
    fprintf(stderr, "SIZE_MB must be a positive multiple of 2\n");
    return 2;
  }
  if (!strcmp(argv[1], "cow-reuse")) cow(size, 0);
  else if (!strcmp(argv[1], "cow-copy")) cow(size, 1);
  else if (!strcmp(argv[1], "fork-pmd")) fork_pmd(size);
  else {
    fprintf(stderr, "unknown case %s\n", argv[1]);
    return 2;
  }
  return 0;
}
