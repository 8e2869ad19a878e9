// The scale case: 1 GiB of PTE-mapped THP (262,144 pages), fork, the
// child exits, the parent writes every page.
import { describe, expect, it } from 'vitest';
import type { PolicyId } from '../../../core/lang/ast';
import { runScenario } from '../../../core/mm/index';
import { pteMapAll, scenario } from './helpers';

const THPS = 512;
const PAGES = THPS * 512;
const src = `memory 2G
P0: mmap A 1G
P0: madvise A hugepage
P0: write A 1
${pteMapAll('A', THPS)}
P0: fork P1
P1: exit
P0: write A 2
expect violations == 0
`;
const sc = scenario(src);
const writeStep = sc.steps.length - 1;

describe('1 GiB PTE-mapped THP: fork, child exits, parent writes every page', () => {
  const timing: Record<string, number> = {};
  const cases: [PolicyId, number, number][] = [
    // policy, pgreuse of the last step, cow copies of the last step
    ['v6.15', PAGES, 0],
    ['rmapid', PAGES, 0],
    ['v6.9', 0, PAGES],
    ['v6.7', THPS, PAGES - THPS], // 511 copied per THP, the last page reused at refcount 1
    ['ideal', PAGES, 0],
  ];
  for (const [policy, reuse, copies] of cases) {
    it(`${policy}: pgreuse ${reuse}, cow_copies ${copies}`, () => {
      const t0 = performance.now();
      const r = runScenario(sc, policy);
      const ms = performance.now() - t0;
      timing[policy] = ms;
      expect(r.stopped).toBeUndefined();
      expect(r.steps.filter((s) => s.error)).toEqual([]);
      expect(r.violations).toEqual([]);
      expect(r.invariants).toEqual([]);
      const before = r.timeline;
      expect(before.pgreuse[writeStep] - before.pgreuse[writeStep - 1]).toBe(reuse);
      expect(before.cowCopies[writeStep] - before.cowCopies[writeStep - 1]).toBe(copies);
      expect(r.counters.thp_split_pmd).toBe(THPS);
      expect(r.processes.P0.rss).toBe(PAGES * 4096);
      // Reuse keeps the THPs (1 GiB in use); copying frees them once their last page is gone.
      if (policy === 'v6.7') expect(r.counters['mem.used']).toBe((PAGES - THPS) * 4096 + THPS * 512 * 4096);
      else if (copies > 0) expect(r.counters['mem.used']).toBe(PAGES * 4096);
      else expect(r.counters['mem.used']).toBe(PAGES * 4096);
      expect(r.expectations.every((e) => e.passed)).toBe(true);
      expect(ms).toBeLessThan(10_000);
      console.log(`scale ${policy}: ${ms.toFixed(0)} ms total`);
    });
  }
});

describe('16 GiB of PMD-mapped THP, forked', () => {
  it('fits (fork is per PMD) and stays correct', () => {
    const r = runScenario(
      scenario('memory 17G\nP0: mmap A 16G\nP0: madvise A hugepage\nP0: write A 1\nP0: fork P1\nP1: write A[5] 2\nexpect P0 A[5].data == 1\nexpect P1 A[5].data == 2'),
      'v6.15',
    );
    expect(r.stopped).toBeUndefined();
    expect(r.expectations.every((e) => e.passed)).toBe(true);
    expect(r.violations).toEqual([]);
    expect(r.counters.thp_fault_alloc).toBe(8192);
    expect(r.counters.thp_split_pmd).toBe(1);
    expect(r.processes.P1.anon_huge).toBe(16 * 2 ** 30 - 2 * 2 ** 20);
    // 8191 THPs half each; in the split one P1 still maps 511 pages by PTE, page 5 is P0's alone.
    expect(r.processes.P0.pss).toBe(8191 * 2 ** 20 + 511 * 2048 + 4096);
  });
});
