// The worked traces T1-T6 of kernel-semantics.md section 8, each under every
// built-in policy: refcount, mapcounts, PageAnonExclusive, the rmap values
// (rmapid) or MM slots (v6.15) at each stage, and the write/unshare decision
// with its reason code.

import { describe, expect, it } from 'vitest';
import type { PolicyId } from '../../../core/lang/ast';
import type { ReasonCode } from '../../../core/mm/api';
import { CELL } from '../../../core/mm/api';
import { rmapSubids } from '../../../core/mm/rmap-id';
import { POLICIES as KERNEL_POLICIES, type Run, rmapValuesOf, run } from './engine-helpers';

// Every policy: the four kernel generations plus the `ideal` oracle (exact exclusivity).
const POLICIES: readonly PolicyId[] = [...KERNEL_POLICIES, 'ideal'];

const P = 512;

// A PTE-mapped order-9 THP in P0, every page PageAnonExclusive and writable
// (kernel-semantics 2.7: the R/W upgrade of a PAE page needs no fault).
const PTE_THP = `thp 2M=madvise
P0: mmap A 2M
P0: madvise A hugepage
P0: write A 1            # @thp
P0: mprotect A[1] ro
P0: mprotect A[1] rw     # @remapped
`;

type Expect = { decision: 'reuse' | 'copy'; reason: ReasonCode };
const reuse = (reason: ReasonCode): Expect => ({ decision: 'reuse', reason });
const copy = (reason: ReasonCode): Expect => ({ decision: 'copy', reason });

const free = { mmId: 0, mapcount: 0 };
const all = <T>(n: number, v: T): T[] => new Array(n).fill(v);

function cells(r: Run, label: string, proc: string, from = 0, count = P): number[] {
  return Array.from(r.at(label).pageCells(proc, 'A', from, count));
}

function expectClean(r: Run): void {
  expect(r.session.result.violations).toEqual([]);
  expect(r.session.result.invariants).toEqual([]);
}

/** State of the remapped THP before anything else happens (T1 first bullet). */
function expectRemapped(r: Run, policy: PolicyId): void {
  const f = r.folio('remapped', 'P0', 'A', 0);
  expect(f.order).toBe(9);
  expect([f.refcount, f.mapcount, f.entireMapcount]).toEqual([P, P, 0]);
  expect(f.pageMapcounts).toEqual(all(P, 1));
  expect(f.anonExclusive).toEqual(all(P, true));
  expect(cells(r, 'remapped', 'P0').every((c) => (c & (CELL.WRITABLE | CELL.ANON_EXCLUSIVE | CELL.PMD_MAPPED)) === (CELL.WRITABLE | CELL.ANON_EXCLUSIVE))).toBe(true);
  const a = r.mmId('remapped', 'P0')!;
  if (policy === 'rmapid') expect(f.policyState?.rmapValues).toEqual(rmapValuesOf(9, [[a, P]]));
  if (policy === 'v6.15') {
    expect(f.policyState?.mmSlots).toEqual([{ mmId: a, mapcount: P }, free]);
    expect(f.policyState?.maybeMappedShared).toBe(false);
  }
  if (policy !== 'rmapid' && policy !== 'v6.15') {
    expect(f.policyState?.rmapValues).toBeUndefined();
    expect(f.policyState?.mmSlots).toBeUndefined();
  }
}

/** After P0 forked P1 (T1 second bullet). */
function expectForked(r: Run, policy: PolicyId, label: string): void {
  const f = r.folio(label, 'P0', 'A', 0);
  expect([f.refcount, f.mapcount]).toEqual([2 * P, 2 * P]);
  expect(f.pageMapcounts).toEqual(all(P, 2));
  expect(f.anonExclusive).toEqual(all(P, false));
  for (const proc of ['P0', 'P1']) expect(cells(r, label, proc).every((c) => (c & CELL.WRITABLE) === 0)).toBe(true);
  const a = r.mmId(label, 'P0')!;
  const b = r.mmId(label, 'P1')!;
  if (policy === 'rmapid' || policy === 'v6.15') expect([a, b]).toEqual([1, 2]);
  if (policy === 'rmapid') expect(f.policyState?.rmapValues).toEqual(rmapValuesOf(9, [[a, P], [b, P]]));
  if (policy === 'v6.15') {
    expect(f.policyState?.mmSlots).toEqual([{ mmId: a, mapcount: P }, { mmId: b, mapcount: P }]);
    expect(f.policyState?.maybeMappedShared).toBe(true);
  }
}

describe('T1: PTE-mapped THP, fork, child exits, parent writes page 7', () => {
  const src = `${PTE_THP}P0: fork P1            # @fork
P1: exit               # @exit
P0: write A[7] 2       # @write
`;
  const want: Record<string, Expect> = {
    'v6.7': copy('COPY_REFCOUNT_GT_ONE'),
    'v6.9': copy('COPY_LARGE_FOLIO'),
    rmapid: reuse('REUSE_ALL_MAPPINGS_OURS'),
    'v6.15': reuse('REUSE_ALL_MAPPINGS_OURS'),
    ideal: reuse('REUSE_ORACLE_EXCLUSIVE'),
  };
  for (const policy of POLICIES) {
    it(policy, () => {
      const r = run(src, policy);
      expectRemapped(r, policy);
      expectForked(r, policy, 'fork');
      const a = r.mmId('exit', 'P0')!;

      const f = r.folio('exit', 'P0', 'A', 0);
      expect([f.refcount, f.mapcount]).toEqual([P, P]);
      expect(f.anonExclusive).toEqual(all(P, false)); // never cleared back by the child's exit
      if (policy === 'rmapid') expect(f.policyState?.rmapValues).toEqual(rmapValuesOf(9, [[a, P]]));
      if (policy === 'v6.15') {
        expect(f.policyState?.mmSlots).toEqual([{ mmId: a, mapcount: P }, free]);
        expect(f.policyState?.maybeMappedShared).toBe(false);
      }

      const d = r.decision('write');
      expect({ decision: d.decision, reason: d.reason }).toEqual(want[policy]);
      expect([d.type, d.level]).toEqual(['wp', 'pte']);
      // The rule names the kernel function (and version) that decided.
      expect(d.rule).toMatch(policy === 'v6.15' ? /^__wp_can_reuse_large_anon_folio \(v6\.15/ : policy === 'ideal' ? /^ideal/ : /^wp_can_reuse_anon_folio/);
      if (policy !== 'ideal') expect(d.rule).toContain(policy === 'rmapid' ? 'patch 10/20' : policy);
      expect([d.evidence.refcount, d.evidence.mapcount]).toEqual([P, P]);
      if (policy === 'rmapid') {
        expect(d.evidence.rmapValues).toEqual(d.evidence.rmapExpected);
        expect(d.evidence.rmapValues).toEqual(rmapValuesOf(9, [[a, P]]));
      }
      if (policy === 'v6.15') expect(d.evidence.maybeMappedShared).toBe(false);

      const w7 = r.walk('write', 'P0', 'A', 7);
      expect(w7.data).toBe(2);
      expect(w7.pte?.writable).toBe(true);
      expect(w7.folio!.anonExclusive[w7.pageInFolio!]).toBe(true);
      const old = r.folio('write', 'P0', 'A', 6);
      if (d.decision === 'reuse') {
        expect(w7.folio!.pfn).toBe(f.pfn);
        expect(old.anonExclusive.filter((x) => x)).toHaveLength(1); // only page 7
        expect(r.session.result.counters.pgreuse).toBe(1);
      } else {
        expect(w7.folio!.order).toBe(0);
        expect(w7.folio!.pfn).not.toBe(f.pfn);
        expect([old.refcount, old.mapcount, old.pageMapcounts[7]]).toEqual([P - 1, P - 1, 0]);
        expect(r.session.result.counters.cow_copies).toBe(1);
      }
      // The other 511 pages stay R/O and not PageAnonExclusive.
      const others = cells(r, 'write', 'P0').filter((_, i) => i !== 7);
      expect(others.every((c) => (c & (CELL.WRITABLE | CELL.ANON_EXCLUSIVE)) === 0)).toBe(true);
      expectClean(r);
    });
  }
});

describe('T2: as T1 but the child stays alive', () => {
  const src = `${PTE_THP}P0: fork P1            # @fork
P0: write A[7] 2       # @write
`;
  const want: Record<string, Expect> = {
    'v6.7': copy('COPY_REFCOUNT_GT_ONE'),
    'v6.9': copy('COPY_LARGE_FOLIO'),
    rmapid: copy('COPY_MAPCOUNT_GT_NR_PAGES'),
    'v6.15': copy('COPY_MAYBE_SHARED_BIT'),
    ideal: copy('COPY_MAPPED_BY_OTHER_MM'),
  };
  for (const policy of POLICIES) {
    it(policy, () => {
      const r = run(src, policy);
      expectForked(r, policy, 'fork');
      const d = r.decision('write');
      expect({ decision: d.decision, reason: d.reason }).toEqual(want[policy]);
      expect([d.evidence.refcount, d.evidence.mapcount]).toEqual([2 * P, 2 * P]);
      if (policy === 'v6.15') expect(d.evidence.maybeMappedShared).toBe(true);

      const a = r.mmId('write', 'P0')!;
      const b = r.mmId('write', 'P1')!;
      const old = r.folio('write', 'P0', 'A', 0);
      expect([old.refcount, old.mapcount]).toEqual([2 * P - 1, 2 * P - 1]);
      if (policy === 'rmapid') expect(old.policyState?.rmapValues).toEqual(rmapValuesOf(9, [[a, P - 1], [b, P]]));
      if (policy === 'v6.15') {
        expect(old.policyState?.mmSlots).toEqual([{ mmId: a, mapcount: P - 1 }, { mmId: b, mapcount: P }]);
        expect(old.policyState?.maybeMappedShared).toBe(true);
      }
      expect(r.walk('write', 'P0', 'A', 7).folio!.order).toBe(0);
      expect(r.walk('write', 'P1', 'A', 7).data).toBe(1);
      expect(r.walk('write', 'P0', 'A', 7).data).toBe(2);
      expectClean(r);
    });
  }
});

describe('T3: v6.15 imprecision with a third, untracked mm', () => {
  const forkThree = `${PTE_THP}P0: fork P1
P0: fork P2            # @forked
`;
  it.each(POLICIES)('C exits last: %s', (policy) => {
    const r = run(`${forkThree}P1: exit               # @bexit
P2: exit               # @cexit
P0: write A[7] 2       # @write
`, policy);
    const [a, b, c] = ['P0', 'P1', 'P2'].map((p) => r.mmId('forked', p)!);
    const f = r.folio('forked', 'P0', 'A', 0);
    expect([f.refcount, f.mapcount]).toEqual([3 * P, 3 * P]);
    if (policy === 'rmapid') expect(f.policyState?.rmapValues).toEqual(rmapValuesOf(9, [[a, P], [b, P], [c, P]]));
    if (policy === 'v6.15') {
      expect([a, b, c]).toEqual([1, 2, 3]);
      expect(f.policyState?.mmSlots).toEqual([{ mmId: a, mapcount: P }, { mmId: b, mapcount: P }]); // C untracked
      expect(f.policyState?.maybeMappedShared).toBe(true);
      const afterB = r.folio('bexit', 'P0', 'A', 0);
      expect(afterB.mapcount).toBe(2 * P);
      expect(afterB.policyState?.mmSlots).toEqual([{ mmId: a, mapcount: P }, free]);
      expect(afterB.policyState?.maybeMappedShared).toBe(true); // 512 != 1024
      const afterC = r.folio('cexit', 'P0', 'A', 0);
      expect(afterC.policyState?.mmSlots).toEqual([{ mmId: a, mapcount: P }, free]);
      expect(afterC.policyState?.maybeMappedShared).toBe(false); // untracked unmap re-evaluated
    }
    const d = r.decision('write');
    const want: Record<string, Expect> = {
      'v6.7': copy('COPY_REFCOUNT_GT_ONE'),
      'v6.9': copy('COPY_LARGE_FOLIO'),
      rmapid: reuse('REUSE_ALL_MAPPINGS_OURS'),
      'v6.15': reuse('REUSE_ALL_MAPPINGS_OURS'),
      ideal: reuse('REUSE_ORACLE_EXCLUSIVE'),
    };
    expect({ decision: d.decision, reason: d.reason }).toEqual(want[policy]);
    expectClean(r);
  });

  it.each(POLICIES)('A then B exit, C writes: %s', (policy) => {
    const r = run(`${forkThree}P0: exit               # @aexit
P1: exit               # @bexit
P2: write A[7] 2       # @write
`, policy);
    const c = r.mmId('forked', 'P2')!;
    const f = r.folio('bexit', 'P2', 'A', 0);
    expect([f.refcount, f.mapcount]).toEqual([P, P]);
    if (policy === 'rmapid') expect(f.policyState?.rmapValues).toEqual(rmapValuesOf(9, [[c, P]]));
    if (policy === 'v6.15') {
      expect(r.folio('aexit', 'P2', 'A', 0).policyState?.mmSlots).toEqual([free, { mmId: 2, mapcount: P }]);
      expect(f.policyState?.mmSlots).toEqual([free, free]);
      expect(f.policyState?.maybeMappedShared).toBe(true); // stale: only C maps it
    }
    const d = r.decision('write');
    const want: Record<string, Expect> = {
      'v6.7': copy('COPY_REFCOUNT_GT_ONE'),
      'v6.9': copy('COPY_LARGE_FOLIO'),
      rmapid: reuse('REUSE_ALL_MAPPINGS_OURS'),
      'v6.15': copy('COPY_MAYBE_SHARED_BIT'),
      ideal: reuse('REUSE_ORACLE_EXCLUSIVE'),
    };
    expect({ decision: d.decision, reason: d.reason }).toEqual(want[policy]);
    expectClean(r);
  });
});

describe('T4: rmap-ID arithmetic on an order-2 folio (n = 4)', () => {
  // 16K mTHP: pages 0..3 of A form one order-2 folio (v6.7 has no mTHP: four small folios).
  const src = `thp 16K=always 2M=never
P0: mmap A 2M
P0: write A[0..4] 1         # @map
P0: fork P1                 # @fork
P0: madvise A[0..2] dontneed
P1: madvise A[2..4] dontneed  # @zapped
P0: write A[2] 2            # @awrite
P1: write A[0] 3            # @bwrite
`;
  for (const policy of POLICIES) {
    it(policy, () => {
      const r = run(src, policy);
      const f = r.folio('map', 'P0', 'A', 0);
      if (policy === 'v6.7') {
        // No mTHP before v6.8: every page is its own small folio, reused at refcount 1.
        expect([f.order, f.refcount, f.mapcount]).toEqual([0, 1, 1]);
        expect(r.folio('zapped', 'P0', 'A', 2).refcount).toBe(1);
        const d = r.decision('awrite');
        expect({ decision: d.decision, reason: d.reason }).toEqual(reuse('REUSE_REFCOUNT_ONE'));
        expect(r.decision('bwrite').reason).toBe('REUSE_REFCOUNT_ONE');
        expectClean(r);
        return;
      }
      expect([f.order, f.refcount, f.mapcount]).toEqual([2, 4, 4]);
      expect(f.anonExclusive).toEqual(all(4, true));
      const [a, b] = [r.mmId('fork', 'P0')!, r.mmId('fork', 'P1')!];
      if (policy === 'rmapid') {
        expect([a, b]).toEqual([1, 2]);
        expect(f.policyState?.rmapValues).toEqual(['4']); // 4 x subid(1)
      }
      const forked = r.folio('fork', 'P0', 'A', 0);
      expect([forked.refcount, forked.mapcount]).toEqual([8, 8]); // 8 > 4: shared without looking
      if (policy === 'rmapid') expect(forked.policyState?.rmapValues).toEqual(['24']);
      const zapped = r.folio('zapped', 'P0', 'A', 2);
      expect([zapped.refcount, zapped.mapcount]).toEqual([4, 4]);
      expect(zapped.pageMapcounts).toEqual([1, 1, 1, 1]);
      if (policy === 'rmapid') expect(zapped.policyState?.rmapValues).toEqual(['12']); // 2x1 + 2x5
      if (policy === 'v6.15') {
        expect(zapped.policyState?.mmSlots).toEqual([{ mmId: a, mapcount: 2 }, { mmId: b, mapcount: 2 }]);
        expect(zapped.policyState?.maybeMappedShared).toBe(true);
      }
      const want: Record<string, Expect> = {
        'v6.9': copy('COPY_LARGE_FOLIO'),
        rmapid: copy('COPY_MAPPED_BY_OTHER_MM'),
        'v6.15': copy('COPY_MAYBE_SHARED_BIT'),
        ideal: copy('COPY_MAPPED_BY_OTHER_MM'),
      };
      const da = r.decision('awrite');
      expect({ decision: da.decision, reason: da.reason }).toEqual(want[policy]);
      const db = r.decision('bwrite');
      expect({ decision: db.decision, reason: db.reason }).toEqual(want[policy]);
      if (policy === 'rmapid') {
        expect([da.evidence.rmapValues, da.evidence.rmapExpected]).toEqual([['12'], ['4']]); // A: 4 x 1 != 12
        // After A's copy: 3 mappings, 1 + 2x5 = 11; B would need 3 x 5 = 15.
        expect([db.evidence.rmapValues, db.evidence.rmapExpected]).toEqual([['11'], ['15']]);
      }
      expectClean(r);
    });
  }
});

describe('T5: pinned PTE-mapped THP at fork: eager per-page copies for the child', () => {
  const src = `${PTE_THP}P0: pin A rw as X        # @pin
P0: fork P1              # @fork
P0: write A[3] 7         # @write
`;
  for (const policy of POLICIES) {
    it(policy, () => {
      const r = run(src, policy);
      const pinned = r.folio('pin', 'P0', 'A', 0);
      expect([pinned.refcount, pinned.pincount, pinned.mapcount]).toEqual([2 * P, P, P]);
      expect(r.at('pin').processes().find((p) => p.name === 'P0')!.hasPinned).toBe(true);

      const f = r.folio('fork', 'P0', 'A', 0);
      expect([f.refcount, f.pincount, f.mapcount]).toEqual([2 * P, P, P]); // the child does not map it
      expect(f.anonExclusive).toEqual(all(P, true));
      expect(cells(r, 'fork', 'P0').every((c) => (c & (CELL.WRITABLE | CELL.ANON_EXCLUSIVE)) === (CELL.WRITABLE | CELL.ANON_EXCLUSIVE))).toBe(true);
      expect(r.session.result.counters.fork_copies).toBe(P);
      expect(r.events('fork').filter((e) => e.kind === 'fork-copy').length).toBeGreaterThan(0);
      const childPfns = new Set<number>();
      for (const page of [0, 1, 255, 511]) {
        const w = r.walk('fork', 'P1', 'A', page);
        expect(w.folio!.order).toBe(0);
        expect(w.folio!.anonExclusive).toEqual([true]);
        expect(w.pte?.writable).toBe(true);
        expect(w.data).toBe(1);
        childPfns.add(w.folio!.pfn);
      }
      expect(childPfns.size).toBe(4);
      expect(cells(r, 'fork', 'P1').every((c) => (c & (CELL.WRITABLE | CELL.ANON_EXCLUSIVE | CELL.SHARED)) === (CELL.WRITABLE | CELL.ANON_EXCLUSIVE))).toBe(true);
      const a = r.mmId('fork', 'P0')!;
      if (policy === 'rmapid') expect(f.policyState?.rmapValues).toEqual(rmapValuesOf(9, [[a, P]]));
      if (policy === 'v6.15') {
        expect(f.policyState?.mmSlots).toEqual([{ mmId: a, mapcount: P }, free]);
        expect(f.policyState?.maybeMappedShared).toBe(false);
      }
      // The parent's write goes straight through its writable PAE PTE: no fault.
      expect(r.events('write').filter((e) => e.kind === 'fault')).toEqual([]);
      expect(r.walk('write', 'P1', 'A', 3).data).toBe(1);
      expectClean(r);
    });
  }
});

describe('T6: single PTE of a THP, fork, child exits, parent R/O-pins (unshare)', () => {
  const src = `thp 2M=madvise
P0: mmap A 2M
P0: madvise A hugepage
P0: write A 1                # @thp
P0: madvise A[1..] dontneed  # @zap
P0: fork P1
P1: exit                     # @exit
P0: pin A[0] ro as X         # @pin
`;
  const want: Record<string, Expect> = {
    'v6.7': reuse('REUSE_REFCOUNT_ONE'),
    'v6.9': copy('COPY_LARGE_FOLIO'),
    rmapid: reuse('REUSE_ALL_MAPPINGS_OURS'),
    'v6.15': copy('COPY_SINGLE_PAGE_FREES_FOLIO'),
    ideal: reuse('REUSE_ORACLE_EXCLUSIVE'),
  };
  for (const policy of POLICIES) {
    it(policy, () => {
      const r = run(src, policy);
      const z = r.folio('zap', 'P0', 'A', 0);
      expect([z.order, z.refcount, z.mapcount, z.entireMapcount]).toEqual([9, 1, 1, 0]);
      expect(r.events('zap').some((e) => e.kind === 'split-pmd')).toBe(true);
      expect(r.events('zap').some((e) => e.kind === 'deferred-split')).toBe(true);
      const e = r.folio('exit', 'P0', 'A', 0);
      expect([e.refcount, e.mapcount, e.anonExclusive[0]]).toEqual([1, 1, false]);

      const d = r.decision('pin');
      expect(d.type).toBe('unshare');
      expect({ decision: d.decision, reason: d.reason }).toEqual(want[policy]);
      expect([d.evidence.refcount, d.evidence.mapcount]).toEqual([1, 1]);

      const w = r.walk('pin', 'P0', 'A', 0);
      expect(w.pte?.writable).toBe(false); // unshare never makes the PTE writable
      expect(w.folio!.anonExclusive[w.pageInFolio!]).toBe(true);
      if (d.decision === 'reuse') {
        expect(w.folio!.pfn).toBe(e.pfn);
        expect(w.folio!.order).toBe(9);
        expect([w.folio!.refcount, w.folio!.pincount]).toEqual([2, 1]); // a large folio counts pins
      } else {
        expect(w.folio!.order).toBe(0);
        expect([w.folio!.refcount, w.folio!.pincount]).toEqual([1 + 1024, 0]); // GUP_PIN_COUNTING_BIAS
        expect(r.events('pin').some((ev) => ev.kind === 'folio-free' && ev.order === 9)).toBe(true);
      }
      expect(w.data).toBe(1);
      expectClean(r);
    });
  }
});

// kernel-semantics 9 item 1 at engine level: 512 mappings of one order-9 folio
// by nine mms whose rmap IDs are 256 + {0,128,130,162,170,186,190,254,255}
// (low chunks as in the spec, middle chunk 1 for all so that val1/val2 match
// too; see rmap-id.test.ts for the arithmetic). IDs are allocated lowest free
// first, so the filler processes Q3..Q510 (children of F, which never maps the
// THP) occupy every other ID up to 510 while the targets T<id> fork from P0.
describe('section 9 item 1: the order-9 rmap-value overflow in a run', () => {
  const PAGES_BY_CHUNK = new Map<number, number>([
    [0, 1], [128, 12], [130, 28], [162, 28], [170, 374], [186, 28], [190, 28], [254, 12], [255, 1],
  ]);
  const targets = new Map([...PAGES_BY_CHUNK].map(([chunk, pages]) => [256 + chunk, pages]));
  const lines = [
    'thp 2M=madvise',
    'P0: mmap A 2M',
    'P0: madvise A hugepage',
    'P0: fork F                 # @filler',
    'P0: write A 1',
    'P0: mprotect A[1] ro',
    'P0: mprotect A[1] rw',
  ];
  for (let id = 3; id <= 511; id++) lines.push(targets.has(id) ? `P0: fork T${id}` : `F: fork Q${id}`);
  lines[lines.length - 1] += '   # @forked';
  // Each target keeps pages 0..n-1: page 0 is mapped by all nine.
  for (const [id, pages] of targets) lines.push(`T${id}: madvise A[${pages}..] dontneed`);
  lines.push('P0: exit                   # @ready', 'T511: write A[0] 0xab      # @w', '');
  const src = lines.join('\n');

  const want: Record<string, Expect> = {
    'v6.7': copy('COPY_REFCOUNT_GT_ONE'),
    'v6.9': copy('COPY_LARGE_FOLIO'),
    rmapid: reuse('REUSE_ALL_MAPPINGS_OURS'),
    'v6.15': copy('COPY_MAYBE_SHARED_BIT'),
    ideal: copy('COPY_MAPPED_BY_OTHER_MM'),
  };

  for (const policy of POLICIES) {
    it(policy, () => {
      const r = run(src, policy);
      const procs = r.at('forked').processes();
      expect(procs.filter((p) => p.alive)).toHaveLength(511);
      if (policy === 'rmapid' || policy === 'v6.15') {
        for (const id of targets.keys()) expect(procs.find((p) => p.name === `T${id}`)!.mmId).toBe(id);
      }

      const f = r.folio('ready', 'T511', 'A', 0);
      expect([f.order, f.refcount, f.mapcount, f.entireMapcount]).toEqual([9, P, P, 0]);
      expect(f.pageMapcounts[0]).toBe(9);
      const counts = new Map(f.mappers.map((m) => [m.process, m.pages.length]));
      expect(counts).toEqual(new Map([...targets].map(([id, pages]) => [`T${id}`, pages])));

      const d = r.decision('w');
      expect({ decision: d.decision, reason: d.reason }).toEqual(want[policy]);
      expect([d.evidence.refcount, d.evidence.mapcount]).toEqual([P, P]);
      const leaks = r.session.result.violations.filter((v) => v.kind === 'leak');
      if (policy === 'rmapid') {
        // The 64-bit values say "all 512 mappings are T511's" ...
        expect(d.evidence.rmapValues).toEqual(d.evidence.rmapExpected);
        expect(f.policyState?.rmapValues).toEqual(rmapValuesOf(9, [...targets]));
        // ... while the unbounded sums differ in val0 (the base-513 digits wrapped).
        // (A sub-ID itself fits in 64 bits; only the sums wrap.)
        const exact0 = [...targets].reduce((s, [id, n]) => s + BigInt(n) * rmapSubids(9, id)[0], 0n);
        expect(exact0).not.toBe(BigInt(P) * rmapSubids(9, 511)[0]);
        expect(exact0 >= 2n ** 64n).toBe(true);
        // The reused page is still mapped by the eight other mms: each reads
        // T511's byte, and the oracle reports a leak for each at the write step.
        expect(r.walk('w', 'T426', 'A', 0).data).toBe(0xab);
        expect(leaks.map((v) => v.process).sort()).toEqual([...targets.keys()].filter((id) => id !== 511).map((id) => `T${id}`).sort());
        expect(leaks.every((v) => v.step === r.step('w') && v.expected === 1 && v.actual === 0xab)).toBe(true);
        // The decision broke "a PageAnonExclusive page is mapped by one mm only": a policy defect.
        const atWrite = r.session.result.invariants.filter((i) => i.step === r.step('w'));
        expect(atWrite.length).toBeGreaterThan(0);
        expect(atWrite.every((i) => i.policyDefect)).toBe(true);
      } else {
        expect(r.walk('w', 'T426', 'A', 0).data).toBe(1);
        expect(r.walk('w', 'T511', 'A', 0).data).toBe(0xab);
        expectClean(r);
      }
    });
  }

  // docs/engine-findings.md F1/F2: after the leak, the views must still show what
  // POSIX says T426 reads, and the end-of-run check must not turn the same
  // broken invariant into an engine bug.
  it('rmapid: after the leak, logical memory and the end-of-run check still blame the policy', () => {
    const r = run(src, 'rmapid');
    expect(r.walk('w', 'T426', 'A', 0).logicalData).toBe(1);
    expect(r.session.result.invariants.filter((i) => !i.policyDefect)).toEqual([]);
  });
});

// kernel-semantics 0.2: rmap IDs (rmapid) and MM IDs (v6.15) come from an IDA,
// lowest free first, and are released when the mm is torn down.
describe('mm IDs are allocated lowest-free-first and reused after exit', () => {
  const src = `P0: fork P1
P0: fork P2
P0: fork P3
P2: exit                # @exit2
P1: exit
P0: fork P4             # @fork4
P0: fork P5             # @fork5
P0: fork P6             # @fork6
`;
  for (const policy of ['rmapid', 'v6.15'] as const) {
    it(policy, () => {
      const r = run(src, policy);
      const ids = (label: string) => Object.fromEntries(r.at(label).processes().filter((p) => p.alive).map((p) => [p.name, p.mmId]));
      expect(ids('exit2')).toEqual({ P0: 1, P1: 2, P3: 4 });
      expect(ids('fork4').P4).toBe(2);
      expect(ids('fork5').P5).toBe(3);
      expect(ids('fork6').P6).toBe(5);
    });
  }
});
