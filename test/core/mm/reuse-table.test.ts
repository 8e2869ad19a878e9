// kernel-semantics.md 3.7, "Comparison of the three reuse rules": one test per
// cell (row x policy). Every row is a PTE-mapped anon large folio whose faulting
// page is not PageAnonExclusive; each test asserts reuse/copy and the reason code.

import { describe, expect, it } from 'vitest';
import type { PolicyId } from '../../../core/lang/ast';
import type { ReasonCode } from '../../../core/mm/api';
import type { Kernel } from '../../../core/mm/kernel';
import { createPolicy } from '../../../core/mm/policies/index';
import { verdictReason } from '../../../core/mm/policies/types';
import type { RmapValues } from '../../../core/mm/rmap-id';
import { EvidenceScratch, REASON } from '../../../core/mm/trace';
import { REASON_CODES } from '../../../core/mm/api';
import { POLICIES, run } from './engine-helpers';

const P = 512;

// PTE-mapped order-9 THP in P0 (every page PAE and writable).
const PTE_THP = `thp 2M=madvise
P0: mmap A 2M
P0: madvise A hugepage
P0: write A 1
P0: mprotect A[1] ro
P0: mprotect A[1] rw
`;

type Cell = { decision: 'reuse' | 'copy'; reason: ReasonCode };
const reuse = (reason: ReasonCode): Cell => ({ decision: 'reuse', reason });
const copy = (reason: ReasonCode): Cell => ({ decision: 'copy', reason });

interface Row {
  name: string;
  /** The scenario; its decision step is labelled `# @w`. */
  source: string;
  cells: Record<PolicyId, Cell> | Partial<Record<PolicyId, Cell>>;
  /** Extra checks of the state before/after the decision. */
  check?: (r: ReturnType<typeof run>, policy: PolicyId) => void;
}

const ROWS: Row[] = [
  {
    name: 'only this page mapped, refcount 1',
    source: `${PTE_THP}P0: madvise A[1..] dontneed
P0: fork P1
P1: exit
P0: write A[0] 2      # @w
`,
    cells: {
      'v6.7': reuse('REUSE_REFCOUNT_ONE'),
      'v6.9': copy('COPY_LARGE_FOLIO'),
      rmapid: reuse('REUSE_ALL_MAPPINGS_OURS'),
      'v6.15': copy('COPY_SINGLE_PAGE_FREES_FOLIO'),
    },
    check: (r) => {
      const d = r.decision('w');
      expect([d.evidence.refcount, d.evidence.mapcount]).toEqual([1, 1]);
      // Reuse keeps the whole order-9 folio for one page; a copy frees it.
      expect(r.walk('w', 'P0', 'A', 0).folio!.order).toBe(d.decision === 'reuse' ? 9 : 0);
      if (d.decision === 'copy') expect(r.events('w').some((e) => e.kind === 'folio-free' && e.order === 9)).toBe(true);
    },
  },
  {
    name: 'all mappings in this mm, refcount == mapcount, >= 2 mappings',
    source: `${PTE_THP}P0: madvise A[2..] dontneed
P0: fork P1
P1: exit
P0: write A[0] 2      # @w
`,
    cells: {
      'v6.7': copy('COPY_REFCOUNT_GT_ONE'),
      'v6.9': copy('COPY_LARGE_FOLIO'),
      rmapid: reuse('REUSE_ALL_MAPPINGS_OURS'),
      'v6.15': reuse('REUSE_ALL_MAPPINGS_OURS'),
    },
    check: (r, policy) => {
      const d = r.decision('w');
      expect([d.evidence.refcount, d.evidence.mapcount]).toEqual([2, 2]);
      if (policy === 'v6.15') expect(d.evidence.maybeMappedShared).toBe(false);
      if (policy === 'rmapid') expect(d.evidence.rmapValues).toEqual(d.evidence.rmapExpected);
    },
  },
  {
    name: 'another mm also maps it',
    // Half the folio, so that the total mapcount (512) does not exceed P and rmapid must compare values.
    source: `${PTE_THP}P0: madvise A[256..] dontneed
P0: fork P1
P0: write A[0] 2      # @w
`,
    cells: {
      'v6.7': copy('COPY_REFCOUNT_GT_ONE'),
      'v6.9': copy('COPY_LARGE_FOLIO'),
      rmapid: copy('COPY_MAPPED_BY_OTHER_MM'),
      'v6.15': copy('COPY_MAYBE_SHARED_BIT'),
    },
    check: (r, policy) => {
      const d = r.decision('w');
      expect([d.evidence.refcount, d.evidence.mapcount]).toEqual([P, P]);
      if (policy === 'rmapid') expect(d.evidence.rmapValues).not.toEqual(d.evidence.rmapExpected);
      expect(r.walk('w', 'P1', 'A', 0).data).toBe(1);
    },
  },
  {
    name: '>= 3 mms mapped it at once; the survivor is the one that never got a slot',
    source: `${PTE_THP}P0: fork P1
P0: fork P2
P0: exit
P1: exit
P2: write A[7] 2      # @w
`,
    cells: {
      'v6.7': copy('COPY_REFCOUNT_GT_ONE'),
      'v6.9': copy('COPY_LARGE_FOLIO'),
      rmapid: reuse('REUSE_ALL_MAPPINGS_OURS'),
      'v6.15': copy('COPY_MAYBE_SHARED_BIT'),
    },
    check: (r, policy) => {
      const d = r.decision('w');
      expect([d.evidence.refcount, d.evidence.mapcount]).toEqual([P, P]);
      if (policy === 'v6.15') expect(d.evidence.mmSlots).toEqual([{ mmId: 0, mapcount: 0 }, { mmId: 0, mapcount: 0 }]);
    },
  },
  {
    name: 'extra ref (GUP, pin, isolation)',
    // A FOLL_GET reference (vmsplice) on page 3; the write is to page 7.
    source: `${PTE_THP}P0: fork P1
P1: exit
P0: vmsplice A[3] as X
P0: write A[7] 2      # @w
`,
    cells: {
      'v6.7': copy('COPY_REFCOUNT_GT_ONE'),
      'v6.9': copy('COPY_LARGE_FOLIO'),
      rmapid: copy('COPY_REFCOUNT_NE_MAPCOUNT'),
      'v6.15': copy('COPY_REFCOUNT_NE_MAPCOUNT'),
    },
    check: (r) => {
      const d = r.decision('w');
      expect([d.evidence.refcount, d.evidence.mapcount]).toEqual([P + 1, P]);
    },
  },
  {
    name: 'extra ref: a long-term pin elsewhere in the folio',
    // The FOLL_WRITE pin first write-faults page 3 (reused by rmapid/v6.15, so
    // the pin's reference lands on the large folio; copied by v6.7/v6.9).
    source: `${PTE_THP}P0: fork P1
P1: exit
P0: pin A[3] rw as X
P0: write A[7] 2      # @w
`,
    cells: {
      'v6.7': copy('COPY_REFCOUNT_GT_ONE'),
      'v6.9': copy('COPY_LARGE_FOLIO'),
      rmapid: copy('COPY_REFCOUNT_NE_MAPCOUNT'),
      'v6.15': copy('COPY_REFCOUNT_NE_MAPCOUNT'),
    },
    check: (r, policy) => {
      const d = r.decision('w');
      if (policy === 'rmapid' || policy === 'v6.15') {
        expect([d.evidence.refcount, d.evidence.mapcount, d.evidence.pincount]).toEqual([P + 1, P, 1]);
      }
    },
  },
  {
    name: 'in swapcache (every swap entry already faulted back in)',
    // The pipe's reference keeps the paged-out folio in the swapcache; the pipe
    // is closed, P0 reads every page back (R/O, not exclusive), then writes.
    source: `${PTE_THP}P0: fork P1
P1: exit
P0: vmsplice A[0] as X
P0: madvise A pageout
P0: close X
P0: read A            # @in
P0: write A[7] 2      # @w
`,
    cells: {
      'v6.7': copy('COPY_REFCOUNT_GT_ONE'),
      'v6.9': copy('COPY_LARGE_FOLIO'),
      rmapid: copy('COPY_REFCOUNT_NE_MAPCOUNT'),
      // trylock + folio_free_swap succeeds (no swap entry left), then refcount == mapcount.
      'v6.15': reuse('REUSE_ALL_MAPPINGS_OURS'),
    },
    check: (r, policy) => {
      const f = r.folio('in', 'P0', 'A', 0);
      expect(f.order).toBe(9);
      expect(f.flags).toContain('swapcache');
      expect([f.refcount, f.mapcount]).toEqual([2 * P, P]);
      const d = r.decision('w');
      expect(d.evidence.swapcache).toBe(true);
      const after = r.folio('w', 'P0', 'A', 0);
      expect(after.flags.includes('swapcache')).toBe(policy !== 'v6.15'); // v6.15 freed the swapcache
    },
  },
  {
    name: 'in swapcache (other pages still swapped out)',
    source: `${PTE_THP}P0: fork P1
P1: exit
P0: vmsplice A[0] as X
P0: madvise A pageout
P0: close X
P0: read A[0..8]      # @in
P0: write A[7] 2      # @w
`,
    cells: {
      'v6.7': copy('COPY_REFCOUNT_GT_ONE'),
      'v6.9': copy('COPY_LARGE_FOLIO'),
      rmapid: copy('COPY_REFCOUNT_NE_MAPCOUNT'),
      // folio_free_swap fails (504 swap entries remain): the P swapcache refs decide.
      'v6.15': copy('COPY_SWAPCACHE'),
    },
    check: (r) => {
      const f = r.folio('in', 'P0', 'A', 0);
      expect(f.flags).toContain('swapcache');
      expect([f.refcount, f.mapcount]).toEqual([P + 8, 8]);
      expect(r.walk('in', 'P0', 'A', 100).pte?.kind).toBe('swap');
    },
  },
  {
    name: 'PMD mapping of same folio exists',
    // P0 keeps its PMD; P1 zaps all but page 0 (splitting only its own PMD).
    source: `thp 2M=madvise
P0: mmap A 2M
P0: madvise A hugepage
P0: write A 1
P0: fork P1
P1: madvise A[1..] dontneed   # @split
P1: write A[0] 2      # @w
`,
    cells: {
      'v6.7': copy('COPY_REFCOUNT_GT_ONE'),
      'v6.9': copy('COPY_LARGE_FOLIO'),
      rmapid: copy('COPY_ENTIRE_MAPPED'),
      'v6.15': copy('COPY_MAYBE_SHARED_BIT'),
    },
    check: (r) => {
      const f = r.folio('split', 'P1', 'A', 0);
      expect([f.refcount, f.mapcount, f.entireMapcount]).toEqual([2, 2, 1]);
      expect(r.walk('split', 'P0', 'A', 0).pmd.kind).toBe('huge');
      expect(r.walk('w', 'P0', 'A', 0).data).toBe(1);
    },
  },
];

describe('kernel-semantics 3.7: reuse rules, row by row', () => {
  for (const row of ROWS) {
    describe(row.name, () => {
      for (const policy of POLICIES) {
        it(policy, () => {
          const r = run(row.source, policy);
          const d = r.decision('w');
          expect({ decision: d.decision, reason: d.reason }).toEqual(row.cells[policy]);
          row.check?.(r, policy);
          expect(r.session.result.violations).toEqual([]);
          expect(r.session.result.invariants).toEqual([]);
        });
      }
    });
  }
});

// Row "concurrent (un)map elsewhere". A run of the engine is sequential: every
// map/unmap is one atomic step, so no reader ever meets a writer inside. The
// cells are therefore tested on the policy modules directly, on a one-folio
// machine: the PTE-mapped THP of 512 pages mapped once by mm 1.
describe('kernel-semantics 3.7: concurrent (un)map elsewhere', () => {
  function machine(policyId: PolicyId) {
    const policy = createPolicy(policyId)!;
    const mem = {
      fOrder: Uint8Array.of(9),
      fMap: Int32Array.of(P),
      fRef: Int32Array.of(P),
      fEntire: Int32Array.of(0),
      fPin: Int32Array.of(0),
      fFlags: Uint8Array.of(0),
      fPfn: Int32Array.of(1024),
      frMapcount: new Int32Array(2048).fill(1),
    };
    const k = { mem, rule: () => 0, opts: {} } as unknown as Kernel;
    const mmId = policy.mmCreate();
    policy.growFolios(1);
    policy.folioReset(0);
    policy.folioSet(0, 9, P, mmId);
    const decide = () => REASON_CODES[verdictReason(policy.wpCanReuse(k, 0, mmId, new EvidenceScratch()))];
    return { policy, mem, mmId, decide };
  }

  it('v6.7: n/a (no tracking state to race with; the decision reads only refcounts)', () => {
    const { policy, mmId, decide } = machine('v6.7');
    expect(mmId).toBe(0);
    expect(policy.folioState(0, 9)).toBeUndefined();
    expect(decide()).toBe('COPY_REFCOUNT_GT_ONE');
  });

  it('v6.9: n/a (no tracking state; large folios are always copied)', () => {
    const { policy, mmId, decide } = machine('v6.9');
    expect(mmId).toBe(0);
    expect(policy.folioState(0, 9)).toBeUndefined();
    expect(decide()).toBe('COPY_LARGE_FOLIO');
  });

  it('rmapid: a reader that meets a writer inside the seqcount copies', () => {
    const { policy, decide } = machine('rmapid');
    expect(decide()).toBe('REUSE_ALL_MAPPINGS_OURS');
    // Another thread is between writerBegin and writerEnd on this folio.
    const vals = (policy as unknown as { vals: RmapValues }).vals;
    expect(vals.writerBegin(0)).toBe(true);
    expect(decide()).toBe('COPY_SEQCOUNT_WRITER');
    vals.writerEnd(0);
    expect(decide()).toBe('REUSE_ALL_MAPPINGS_OURS');
    expect(REASON.COPY_SEQCOUNT_WRITER).toBe(REASON_CODES.indexOf('COPY_SEQCOUNT_WRITER'));
  });

  it('v6.15: the (un)map and the check take the same bit lock, so the answer is exact either side of it', () => {
    const { policy, mem, decide } = machine('v6.15');
    expect(decide()).toBe('REUSE_ALL_MAPPINGS_OURS');
    // A concurrent fork by mm 2 that wins the lock first: one more mapping and reference.
    const other = policy.mmCreate();
    policy.folioAdd(0, 9, 1, other);
    mem.fMap[0]++;
    mem.fRef[0]++;
    expect(decide()).toBe('COPY_MAYBE_SHARED_BIT');
    // ... and its unmap: exclusive again.
    policy.folioAdd(0, 9, -1, other);
    mem.fMap[0]--;
    mem.fRef[0]--;
    expect(decide()).toBe('REUSE_ALL_MAPPINGS_OURS');
  });
});
