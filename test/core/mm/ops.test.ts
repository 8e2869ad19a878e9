// Every operation of the scenario language, on the engine state it changes.
import { describe, expect, it } from 'vitest';
import { ALL_POLICIES } from '../../../core/lang/ast';
import { createSession } from '../../../core/mm/index';
import { events, expectClean, faults, run, scenario } from './helpers';

const THP = 'P0: mmap A 2M\nP0: madvise A hugepage\nP0: write A 1\n';
const PTE_THP = `${THP}P0: mprotect A[1] ro\nP0: mprotect A[1] rw\n`;

describe('mmap, read, write', () => {
  it('places mappings deterministically, 2M mappings 2M-aligned', () => {
    const s = createSession(scenario('P0: mmap A 12K\nP0: mmap B 4M\nP0: mmap C 4K ro'), 'v6.15');
    const [p] = s.at(2).processes();
    expect(p.vmas.map((v) => [v.mapping, v.pages, v.prot])).toEqual([['A', 3, 'rw'], ['B', 1024, 'rw'], ['C', 1, 'ro']]);
    expect(p.vmas[1].start % (2 << 20)).toBe(0);
    expect(createSession(scenario('P0: mmap A 12K\nP0: mmap B 4M\nP0: mmap C 4K ro'), 'v6.9').at(2).processes()[0].vmas).toEqual(p.vmas);
  });

  it('a read fault maps the shared zeropage; the first write copies from it', () => {
    const r = run('P0: mmap A 8K\nP0: read A\nP0: write A[0] 5\nexpect P0 A[1].present == true\nexpect P0 A[1].data == 0\nexpect P0.rss == 4K\nexpect P0 A[0].data == 5\nexpect cow_copies == 0', 'v6.9');
    expectClean(r);
    expect(faults(r, 1).map((e) => e.fault!.reason)).toEqual(['MAP_ZEROPAGE', 'MAP_ZEROPAGE']);
    expect(faults(r, 2)[0].fault).toMatchObject({ type: 'wp', decision: 'alloc', reason: 'ALLOC_ZEROPAGE_COPY' });
  });

  it('a read of a THP range maps the huge zeropage', () => {
    const r = run('P0: mmap A 2M\nP0: madvise A hugepage\nP0: read A[3]\nP0: write A[3] 7\nexpect P0 A[3].data == 7\nexpect thp_split_pmd == 1\nexpect P0 A[4].data == 0', 'v6.7');
    expectClean(r);
    expect(faults(r, 2)[0].fault).toMatchObject({ level: 'pmd', reason: 'MAP_ZEROPAGE' });
  });

  it('v6.15: a write on the huge zeropage allocates a THP instead of splitting', () => {
    const r = run('P0: mmap A 2M\nP0: madvise A hugepage\nP0: read A[3]\nP0: write A[3] 7\nexpect P0 A[3].data == 7\nexpect thp_split_pmd == 0\nexpect thp_fault_alloc == 1\nexpect P0 A.pmd_mapped == true\nexpect P0 A[4].data == 0', 'v6.15');
    expectClean(r);
    expect(faults(r, 3)[0].fault).toMatchObject({ type: 'wp', level: 'pmd', decision: 'alloc', reason: 'ALLOC_THP' });
  });

  it('write without a byte stores a fresh value per step', () => {
    const r = run('P0: mmap A 8K\nP0: write A\nP0: write A[1]\nexpect P0 A[0].data != P0 A[1].data\nexpect P0 A[0].data != 0', 'v6.15');
    expectClean(r);
  });

  it('mTHP orders from the thp header (v6.8+), not under v6.7', () => {
    const src = 'thp 64K=always\nP0: mmap A 128K\nP0: write A[17]\nexpect P0 A[16].present == true\nexpect P0 A[31].present == true\nexpect P0 A[0].present == false\nexpect P0 A[17].order == 4';
    const r = run(src, 'v6.15');
    expectClean(r);
    expect(faults(r, 1)[0].fault!.reason).toBe('ALLOC_MTHP');
    const old = run(src, 'v6.7');
    expect(old.expectations.find((e) => e.text.includes('order'))!.actual).toBe(0);
  });
});

describe('munmap, madvise dontneed, deferred split', () => {
  it('dontneed of part of a THP splits the PMD, zeroes the pages and queues the folio', () => {
    const r = run(`${THP}P0: madvise A[1..] dontneed\nexpect P0 A[1].present == false\nexpect P0 A[1].data == 0\nexpect P0 A[0].data == 1\nexpect thp_split_pmd == 1\nexpect thp_deferred_split_page == 1\nexpect P0.rss == 4K`, 'v6.15');
    expectClean(r);
    expect(createSession(scenario(`${THP}P0: madvise A[1..] dontneed`), 'v6.15').at(3).pageWalk('P0', 'A', 0)!.folio!.flags).toContain('partially_mapped');
  });

  it('munmap of a whole PMD frees the THP; access afterwards is an error', () => {
    const r = run(`${THP}P0: munmap A\nP0: write A[0]\nexpect mem.used == 0`, 'v6.9');
    expect(r.steps[4].error).toMatch(/^write: SIGSEGV: A\[0\] is not mapped/);
    expect(r.expectations.every((e) => e.passed)).toBe(true);
    expect(events(r, 'folio-free').map((e) => e.order)).toEqual([9]);
  });
});

describe('mprotect and clear-soft-dirty', () => {
  it('a write to a read-only mapping is refused', () => {
    const r = run('P0: mmap A 4K\nP0: mprotect A ro\nP0: write A', 'v6.15');
    expect(r.steps[2].error).toContain('SIGSEGV');
  });

  it('mprotect rw makes only PageAnonExclusive pages writable (2.7)', () => {
    const r = run(
      `P0: mmap A 8K\nP0: write A\nP0: fork P1\nP1: exit\nP0: write A[1]\nP0: mprotect A ro\nP0: mprotect A rw
expect P0 A[0].writable == false
expect P0 A[0].anon_exclusive == false
expect P0 A[1].writable == true`,
      'v6.15',
    );
    expectClean(r);
  });

  it('clear-soft-dirty write-protects; mprotect rw keeps it so; the write reuses the PAE page', () => {
    const r = run(
      `P0: mmap A 4K\nP0: write A\nP0: clear-soft-dirty\nP0: mprotect A ro\nP0: mprotect A rw
expect P0 A.writable == false
expect P0 A.anon_exclusive == true`,
      'v6.9',
    );
    expectClean(r);
    const w = run('P0: mmap A 4K\nP0: write A\nP0: clear-soft-dirty\nP0: write A 3\nexpect pgreuse == 1\nexpect P0 A.writable == true', 'v6.9');
    expectClean(w);
    expect(faults(w, 3)[0].fault!.reason).toBe('REUSE_ANON_EXCLUSIVE');
  });
});

describe('fork variants', () => {
  it('MADV_DONTFORK: the child has no such pages; MADV_DOFORK undoes it', () => {
    const r = run('P0: mmap A 8K\nP0: write A 1\nP0: madvise A[1] dontfork\nP0: fork P1\nP1: write A[1] 2\nP0: madvise A dofork\nP0: fork P2\nP2: read A[1]', 'v6.15');
    expect(r.steps[4].error).toContain('SIGSEGV');
    expect(r.steps[7].error).toBeUndefined();
    expect(r.violations).toEqual([]);
  });

  it('MADV_WIPEONFORK: the child reads zeroes, the parent keeps its data', () => {
    const r = run('P0: mmap A 8K\nP0: write A 9\nP0: madvise A wipeonfork\nP0: fork P1\nP1: read A\nexpect P1 A.data == 0\nexpect P0 A.data == 9\nexpect P1.rss == 0', 'v6.15');
    expectClean(r);
  });

  for (const policy of ALL_POLICIES) {
    it(`${policy}: pinned PTE-mapped THP at fork is copied eagerly (T5)`, () => {
      const r = run(
        `${PTE_THP}P0: pin A rw as buf\nP0: fork P1
expect fork_copies == 512
expect P1 A.order == 0
expect P1 A.anon_exclusive == true
expect P1 A.writable == true
expect P0 A.writable == true
expect P0 A.anon_exclusive == true
expect P0 A[0].refcount == 1024
expect P1 A.data == 1`,
        policy,
      );
      expectClean(r);
      expect(events(r, 'fork-copy')).toHaveLength(512);
    });
  }

  it('pinned PMD-mapped THP: copy_huge_pmd splits the parent PMD, then copies eagerly', () => {
    const r = run(`${THP}P0: pin A[0..4] ro as buf\nP0: fork P1\nexpect thp_split_pmd == 1\nexpect fork_copies == 512\nexpect P0 A.pmd_mapped == false\nexpect P1 A.data == 1`, 'v6.15');
    expectClean(r);
  });

  it('without pins the child shares the PMD (copy_huge_pmd, 4.3 state)', () => {
    const r = run(`${THP}P0: fork P1\nexpect P1 A.pmd_mapped == true\nexpect P0 A[0].refcount == 2\nexpect P0 A[0].mapcount == 2\nexpect P0 A[0].anon_exclusive == false\nexpect P0.anon_huge == 2M\nexpect P1.pss == 1M`, 'v6.15');
    expectClean(r);
  });
});

describe('swap', () => {
  it('pageout writes exclusive pages to swap with the exclusive marker; swap-in restores PAE', () => {
    const s = createSession(scenario('P0: mmap A 8K\nP0: write A 4\nP0: madvise A pageout\nP0: read A[0]'), 'v6.15');
    const out = s.at(2).pageWalk('P0', 'A', 0)!;
    expect(out.pte).toMatchObject({ kind: 'swap', swapExclusive: true });
    expect(out.data).toBe(4);
    const back = s.at(3).pageWalk('P0', 'A', 0)!;
    expect(back.pte).toMatchObject({ kind: 'present', writable: true });
    expect(back.folio!.anonExclusive).toEqual([true]);
    expect(s.result.counters.pswpout).toBe(2);
    expect(s.result.counters.pswpin).toBe(1);
    const f = faults(s.result, 3)[0].fault!;
    expect(f).toMatchObject({ type: 'swapin', reason: 'REUSE_SWAP_EXCLUSIVE' });
  });

  it('fork duplicates swap entries and clears the marker; swap-in is then shared and a write copies', () => {
    const r = run('P0: mmap A 4K\nP0: write A 4\nP0: madvise A pageout\nP0: fork P1\nP0: write A 5\nP1: read A\nexpect P1 A.data == 4\nexpect P0 A.data == 5\nexpect P0 A.swapped == false', 'v6.15');
    expectClean(r);
    const [swapin, wp] = faults(r, 4).map((e) => e.fault!);
    expect(swapin).toMatchObject({ type: 'swapin', reason: 'SWAPIN_SHARED' });
    expect(wp.decision).toBe('copy');
  });

  it('pageout skips pages shared with another process', () => {
    const r = run('P0: mmap A 4K\nP0: write A\nP0: fork P1\nP0: madvise A pageout\nexpect P0 A.swapped == false\nexpect pswpout == 0', 'v6.9');
    expectClean(r);
  });

  it('a pinned exclusive page cannot be unmapped for swap-out', () => {
    const r = run('P0: mmap A 4K\nP0: write A\nP0: pin A rw as p\nP0: madvise A pageout\nexpect P0 A.swapped == false\nexpect pswpout == 0', 'v6.15');
    expectClean(r);
  });

  it('a whole PMD-mapped THP is swapped out and read back page by page', () => {
    const r = run(`${THP}P0: madvise A pageout\nP0: read A[5]\nexpect pswpout == 512\nexpect P0 A[6].swapped == true\nexpect P0 A[5].data == 1\nexpect P0.swap == 2044K`, 'v6.15');
    expectClean(r);
  });
});

describe('GUP', () => {
  it('R/O pin of a shared page unshares it (copy), the pin stays coherent with later writes', () => {
    for (const policy of ALL_POLICIES) {
      const r = run('P0: mmap A 4K\nP0: write A 1\nP0: fork P1\nP0: pin A ro as p\nP0: write A 2\nexpect P1 A.data == 1\nexpect P0 A.data == 2', policy);
      expectClean(r);
      expect(faults(r, 3)[0].fault).toMatchObject({ type: 'unshare', decision: 'copy' });
      expect(faults(r, 4)[0].fault!.reason).toBe('REUSE_ANON_EXCLUSIVE');
    }
  });

  it('R/O pin of a previously shared page reuses it (unshare, REUSE_REFCOUNT_ONE) and keeps it R/O', () => {
    const r = run('P0: mmap A 4K\nP0: write A 1\nP0: fork P1\nP1: exit\nP0: pin A ro as p\nexpect P0 A.writable == false\nexpect P0 A.anon_exclusive == true\nexpect P0 A.refcount == 1025', 'v6.9');
    expectClean(r);
    expect(faults(r, 4)[0].fault).toMatchObject({ type: 'unshare', decision: 'reuse', reason: 'REUSE_REFCOUNT_ONE' });
  });

  it('unpin drops the pin references', () => {
    const r = run(`${PTE_THP}P0: pin A[0..2] rw as p\nP0: unpin p\nexpect P0 A[0].refcount == 512`, 'v6.15');
    expectClean(r);
  });

  for (const policy of ALL_POLICIES) {
    it(`${policy}: vmsplice + unmap in child: the pipe keeps the original data (cow.c)`, () => {
      const r = run(`${PTE_THP}P0: fork P1\nP1: vmsplice A as pipe\nP1: munmap A\nP0: write A 0xff\nP1: close pipe\nexpect P0 A.data == 0xff`, policy);
      expectClean(r);
    });
  }
});

describe('mremap, split, collapse', () => {
  it('mremap to an unaligned address splits the PMD and keeps the data', () => {
    const r = run(`${THP}P0: write A[300] 3\nP0: mremap A[256..] B\nexpect P0 B[44].data == 3\nexpect P0 B.pmd_mapped == false\nexpect thp_split_pmd == 1\nexpect P0 A[0].data == 1\nexpect P0 B[0].order == 9`, 'v6.15');
    expectClean(r);
    const q = createSession(scenario(`${THP}P0: mremap A[256..] B`), 'v6.15').at(3);
    const b = q.processes()[0].vmas.find((v) => v.mapping === 'B')!;
    expect(b.start % (2 << 20)).not.toBe(0);
    expect(q.pageWalk('P0', 'A', 300)!.vma).toBeNull();
  });

  it('split of a PTE-mapped THP gives order-0 folios with their PAE bits', () => {
    const r = run(`${PTE_THP}P0: split A\nexpect thp_split_page == 1\nexpect P0 A.order == 0\nexpect P0 A.anon_exclusive == true\nexpect P0 A.refcount == 1`, 'v6.9');
    expectClean(r);
  });

  it('split is refused while the folio is pinned (thp_split_page_failed)', () => {
    const r = run(`${PTE_THP}P0: pin A[3] ro as p\nP0: split A\nexpect thp_split_page_failed == 1\nexpect P0 A.order == 9`, 'v6.9');
    expect(r.steps[6].error).toMatch(/^split: EAGAIN/);
    expect(r.violations).toEqual([]);
    expect(r.expectations.every((e) => e.passed)).toBe(true);
  });

  it('v6.15 split maps all-zero pages to the shared zeropage (v6.12+), v6.9 does not', () => {
    const src = 'P0: mmap A 2M\nP0: madvise A hugepage\nP0: write A[0] 5\nP0: split A\nexpect P0 A[0].order == 0\nexpect P0 A[1].data == 0';
    const a = run(`${src}\nexpect P0.rss == 4K`, 'v6.15');
    expectClean(a);
    const b = run(`${src}\nexpect P0.rss == 2M`, 'v6.9');
    expectClean(b);
  });

  it('collapse of a PTE-mapped THP builds a fresh PMD-mapped, PageAnonExclusive THP', () => {
    const r = run(`${PTE_THP}P0: madvise A collapse\nexpect P0 A.pmd_mapped == true\nexpect P0 A.anon_exclusive == true\nexpect P0 A.data == 1\nexpect P0.anon_huge == 2M`, 'v6.15');
    expectClean(r);
    expect(r.counters.thp_collapse_alloc).toBe(1);
    expect(events(r, 'collapse')).toHaveLength(1);
  });

  for (const policy of ALL_POLICIES) {
    it(`${policy}: collapse after fork (fully shared) is refused with SCAN_PAGE_RO`, () => {
      const r = run(`${PTE_THP}P0: fork P1\nP0: madvise A collapse\nP0: write A 2\nexpect P1 A.data == 1`, policy);
      expect(r.steps[6].error).toMatch(/^madvise: EINVAL: MADV_COLLAPSE refused .*SCAN_PAGE_RO/);
      expect(r.violations).toEqual([]);
    });

    it(`${policy}: collapse after fork, lower half shared: no leak into the child`, () => {
      const r = run(
        `${PTE_THP}P0: madvise A[256..] dontfork\nP0: fork P1\nP0: madvise A dofork\nP0: madvise A collapse\nP0: write A 0xff\nexpect P1 A[0..256].data == 1\nexpect P0 A.data == 0xff\nexpect P0 A.pmd_mapped == true`,
        policy,
      );
      expect(r.steps.map((s) => s.error).filter(Boolean)).toEqual([]);
      expectClean(r);
    });
  }

  it('collapse is refused while a page is pinned', () => {
    const r = run(`${PTE_THP}P0: pin A[7] ro as p\nP0: madvise A collapse`, 'v6.15');
    expect(r.steps[6].error).toMatch(/^madvise: EAGAIN: .*SCAN_PAGE_COUNT/);
  });
});

describe('swapcache write-back', () => {
  it('a folio left in the swapcache (pinned at the first pageout) writes its new data at the next one', () => {
    const r = run('P0: mmap B 16K\nP0: write B[0..3] 3\nP0: pin B[0..3] ro as X\nP0: madvise B pageout\nP0: unpin X\nP0: write B 5\nP0: madvise B pageout\nP0: read B\nexpect P0 B.data == 5\nexpect pswpout == 4', 'v6.15');
    expectClean(r);
  });
});
