// fork / copy-on-write per policy: decisions with their reasons, PMD-mapped
// THP fault, reuse, split fallback and copy (kernel-semantics 2.2, 2.3, 4.3).
import { describe, expect, it } from 'vitest';
import { ALL_POLICIES, type PolicyId } from '../../../core/lang/ast';
import { createSession } from '../../../core/mm/index';
import { expectClean, faults, run, scenario } from './helpers';

const SMALL = `
P0: mmap A 16K
P0: write A 1
P0: fork P1
P1: write A[0] 2
P0: write A[1] 3
P1: exit
P0: write A[2] 4
expect P1 A[0].data == 0
expect P0 A[0].data == 1
expect P0 A[2].data == 4
`;

describe('small folios after fork', () => {
  for (const policy of ALL_POLICIES) {
    it(`${policy}: copy while shared, reuse once the child is gone`, () => {
      const r = run(SMALL, policy);
      expectClean(r);
      const [child, parent] = [faults(r, 3)[0], faults(r, 4)[0]];
      expect(child.fault).toMatchObject({ type: 'wp', level: 'pte', decision: 'copy' });
      expect(parent.fault!.decision).toBe('copy');
      const after = faults(r, 6)[0].fault!;
      expect(after.decision).toBe('reuse');
      if (policy === 'ideal') {
        expect(child.fault!.reason).toBe('COPY_MAPPED_BY_OTHER_MM');
        expect(after.reason).toBe('REUSE_ORACLE_EXCLUSIVE');
      } else {
        expect(child.fault!.reason).toBe('COPY_REFCOUNT_GT_ONE');
        expect(child.fault!.evidence.refcount).toBe(2);
        expect(after.reason).toBe('REUSE_REFCOUNT_ONE');
        expect(after.rule).toContain('wp_can_reuse_anon_folio');
      }
      expect(r.counters.cow_copies).toBe(2);
      expect(r.counters.pgreuse).toBe(1);
      expect(r.processes.P0.cow_copies).toBe(1);
    });
  }
});

const THP = `
P0: mmap A 2M
P0: madvise A hugepage
P0: write A 1
P0: fork P1
`;

describe('PMD-mapped THP', () => {
  it('a write fault in a VM_HUGEPAGE range allocates a PMD THP', () => {
    const r = run(`${THP}expect P0 A.pmd_mapped == true\nexpect P0.anon_huge == 2M\nexpect thp_fault_alloc == 1\nexpect P0 A.order == 9`, 'v6.15');
    expectClean(r);
    const f = faults(r, 2)[0].fault!;
    expect(f).toMatchObject({ type: 'anon', level: 'pmd', decision: 'alloc', reason: 'ALLOC_THP' });
  });

  it('without madvise hugepage (2M=madvise) the fault maps one small page', () => {
    const r = run('P0: mmap A 2M\nP0: write A[3]\nexpect P0 A[3].order == 0\nexpect P0 A[4].present == false\nexpect thp_fault_alloc == 0', 'v6.15');
    expectClean(r);
  });

  for (const policy of ALL_POLICIES) {
    it(`${policy}: PMD reuse after the child exits (do_huge_pmd_wp_page, refcount 1, no pgreuse)`, () => {
      const r = run(`${THP}P1: exit\nP0: write A[7] 9\nexpect P0 A.pmd_mapped == true\nexpect pgreuse == 0\nexpect cow_copies == 0\nexpect P0 A[7].data == 9\nexpect P0 A[6].data == 1`, policy);
      expectClean(r);
      const f = faults(r, 5)[0].fault!;
      expect(f).toMatchObject({ type: 'wp', level: 'pmd', decision: 'reuse', reason: 'REUSE_REFCOUNT_ONE' });
      expect(f.rule).toContain('do_huge_pmd_wp_page');
    });

    it(`${policy}: parent write with the child alive splits the PMD and copies one page (4.3)`, () => {
      const r = run(
        `${THP}P0: write A[0] 2
expect thp_split_pmd == 1
expect P0 A[0].order == 0
expect P0 A[1].order == 9
expect P0 A[1].pmd_mapped == false
expect P1 A.pmd_mapped == true
expect P1 A[0].data == 1
expect P0 A[1].refcount == 512
expect P0 A[1].mapcount == 512
expect P0 A[1].writable == false
expect cow_copies == 1`,
        policy,
      );
      expectClean(r);
      const [pmd, pte] = faults(r, 4).map((e) => e.fault!);
      expect(pmd).toMatchObject({ level: 'pmd', decision: 'split-fallback', reason: 'SPLIT_PMD_FALLBACK' });
      expect(pmd.evidence.refcount).toBe(2);
      expect(pte).toMatchObject({ level: 'pte', decision: 'copy' });
      // After the split: 1 PMD + 512 PTEs map the folio, refcount 513 > nr_pages.
      expect(pte.evidence.mapcount).toBe(513);
      expect(pte.evidence.refcount).toBe(513);
    });
  }
});

describe('PTE-mapped THP after fork (table 3.7 rows 1-3)', () => {
  const base = `${THP.replace('P0: fork P1\n', '')}P0: mprotect A[1] ro\nP0: mprotect A[1] rw\nP0: fork P1\n`;
  const want: Record<PolicyId, [string, string]> = {
    'v6.7': ['copy', 'COPY_REFCOUNT_GT_ONE'],
    'v6.9': ['copy', 'COPY_LARGE_FOLIO'],
    rmapid: ['reuse', 'REUSE_ALL_MAPPINGS_OURS'],
    'v6.15': ['reuse', 'REUSE_ALL_MAPPINGS_OURS'],
    ideal: ['reuse', 'REUSE_ORACLE_EXCLUSIVE'],
  };
  for (const policy of ALL_POLICIES) {
    it(`${policy}: child exited, parent writes page 5`, () => {
      const r = run(`${base}P1: exit\nP0: write A[5] 7\nexpect P0 A[5].data == 7`, policy);
      expectClean(r);
      const f = faults(r, 7)[0].fault!;
      expect([f.decision, f.reason]).toEqual(want[policy]);
      if (policy === 'rmapid') expect(f.evidence.rmapValues).toEqual(f.evidence.rmapExpected);
      if (policy === 'v6.15') expect(f.evidence.maybeMappedShared).toBe(false);
    });
    it(`${policy}: child alive, parent write copies`, () => {
      const r = run(`${base}P0: write A[5] 7\nexpect P1 A[5].data == 1`, policy);
      expectClean(r);
      const f = faults(r, 6)[0].fault!;
      expect(f.decision).toBe('copy');
      const reasons: Record<PolicyId, string> = {
        'v6.7': 'COPY_REFCOUNT_GT_ONE',
        'v6.9': 'COPY_LARGE_FOLIO',
        rmapid: 'COPY_MAPCOUNT_GT_NR_PAGES',
        'v6.15': 'COPY_MAYBE_SHARED_BIT',
        ideal: 'COPY_MAPPED_BY_OTHER_MM',
      };
      expect(f.reason).toBe(reasons[policy]);
    });
  }
});

describe('state after fork', () => {
  it('clears PageAnonExclusive, write-protects both sides and shares the folio', () => {
    const s = createSession(scenario('P0: mmap A 8K\nP0: write A\nP0: fork P1'), 'v6.15');
    const before = s.at(1).pageWalk('P0', 'A', 0)!;
    expect(before.folio!.anonExclusive).toEqual([true]);
    expect(before.pte!.writable).toBe(true);
    const q = s.at(2);
    const p = q.pageWalk('P0', 'A', 0)!;
    const c = q.pageWalk('P1', 'A', 0)!;
    expect(p.pte!.pfn).toBe(c.pte!.pfn);
    expect([p.pte!.writable, c.pte!.writable]).toEqual([false, false]);
    expect(p.folio!.anonExclusive).toEqual([false]);
    expect([p.folio!.refcount, p.folio!.mapcount]).toEqual([2, 2]);
    expect(q.processes().map((x) => [x.name, x.parent, x.counters.rss, x.counters.pss])).toEqual([
      ['P0', undefined, 8192, 4096],
      ['P1', 'P0', 8192, 4096],
    ]);
  });
});
