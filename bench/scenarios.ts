// Scenario texts of the benchmark cases. A case is a setup followed by the
// timed phase; the runner sums the engine's per-step times of the phase.

const MB = 1024 * 1024;

function size(bytes: number): string {
  return bytes % (1024 * MB) === 0 ? `${bytes / (1024 * MB)}G` : `${bytes / MB}M`;
}

/** Memory for the engine: the mapping twice over (parent + copies) plus slack. */
function header(bytes: number, policy: string): string {
  const mem = Math.max(4 * 1024 * MB, 2 * bytes + 256 * MB);
  return `scenario "bench"\npolicies ${policy}\nthp 2M=madvise\nmemory ${size(mem)}\nswap 0\n`;
}

/** PTE-mapped THP over `bytes`: populate by PMD faults, then split every PMD with mprotect. */
function ptemappedThp(bytes: number): string {
  const thps = bytes / (2 * MB);
  let s = `P0: mmap A ${size(bytes)}\nP0: madvise A hugepage\nP0: write A 1\n`;
  // One mprotect over a sub-PMD range per THP splits that PMD (cow.c's recipe).
  for (let i = 0; i < thps; i++) s += `P0: mprotect A[${i * 512 + 1}] ro\nP0: mprotect A[${i * 512 + 1}] rw\n`;
  return s;
}

export interface BenchCase {
  source: string;
  /** Number of setup steps: the timed phase is every step after them. */
  setupSteps: number;
  /** How many units (faults, THPs, pages) the timed phase handles. */
  units: number;
}

const steps = (s: string) => s.split('\n').filter((l) => /^P\d+:/.test(l)).length;
const bench = (setup: string, phase: string, units: number): BenchCase => ({ source: setup + phase, setupSteps: steps(setup), units });

/** cow-reuse (child exits) or cow-copy (child alive): the timed phase is the parent's writes. */
export function cowCase(bytes: number, policy: string, childAlive: boolean): BenchCase {
  const setup =
    header(bytes, policy) + ptemappedThp(bytes) + 'P0: fork P1\n' + (childAlive ? '' : 'P1: exit\n');
  return bench(setup, 'P0: write A 2\n', bytes / 4096);
}

/** fork of PTE-mapped THP: the timed phase is the fork (the kernel side times fork() alone too). */
export function forkPteCase(bytes: number, policy: string): BenchCase {
  return bench(header(bytes, policy) + ptemappedThp(bytes), 'P0: fork P1\n', bytes / (2 * MB));
}

/** fork of PMD-mapped THP populated: the timed phase is fork + child exit. */
export function forkPmdCase(bytes: number, policy: string): BenchCase {
  const setup = header(bytes, policy) + `P0: mmap A ${size(bytes)}\nP0: madvise A hugepage\nP0: write A 1\n`;
  return bench(setup, 'P0: fork P1\nP1: exit\n', bytes / 4096);
}

/**
 * N processes alive at once (P0 and its forks, all sharing P0's 32 MiB of
 * PTE-mapped THP), then P0 writes all of it: 8,192 COW copy faults whatever N
 * is, so only the number of processes mapping each folio changes. The time per
 * fault must not grow with N.
 */
export function manyProcessesCase(n: number, policy: string): BenchCase {
  const bytes = 32 * MB;
  let setup = header(n * bytes, policy) + ptemappedThp(bytes);
  for (let i = 1; i < n; i++) setup += `P0: fork P${i}\n`;
  return bench(setup, 'P0: write A 3\n', bytes / 4096);
}

/** A valid scenario of about `lines` lines for the parser benchmark. */
export function bigScenario(lines: number): string {
  let s = 'scenario "parse-100k"\npolicies v6.15\n';
  let n = 2;
  s += 'P0: mmap A 1G\n';
  n++;
  while (n < lines - 1) {
    const p = n % 2048;
    s += `P0: write A[${p}] ${n % 256}  # line ${n}\n`;
    n++;
  }
  return s + 'expect violations == 0\n';
}
