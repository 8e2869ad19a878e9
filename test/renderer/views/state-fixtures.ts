// Hand-made engine state for the views that query it: the spec example after
// `P0: write A[5]` under v6.9 (one copied page beside a PTE-mapped THP that
// the exited child no longer maps), served by a fake `query` that records calls.

import type { StateQueryReply, StateQueryRequest } from '../../../core/contract/protocol';
import type { PolicyId } from '../../../core/lang/ast';
import { CELL, type FolioView, type PageWalk, type ProcessView, type VmaView } from '../../../core/mm/api';
import type { QueryFn } from '../../../renderer/src/views/common/seam';

export const A_START = 0x7f0000000000;

export function vma(pages: number, mapping = 'A'): VmaView {
  return { mapping, start: A_START, pages, prot: 'rw', flags: ['VM_HUGEPAGE'] };
}

export function processes(pagesOfA = 512): ProcessView[] {
  const counters = { pgfault: 2, pgreuse: 0, cow_copies: 1, rss: 2101248, pss: 2101248, uss: 2101248, anon_huge: 0, swap: 0 };
  return [
    { name: 'P0', pid: 100, alive: true, mmId: 0, hasPinned: false, vmas: [vma(pagesOfA), { ...vma(16, 'B'), start: A_START + 0x40000000 }], counters },
    { name: 'P1', pid: 101, alive: false, parent: 'P0', mmId: 1, hasPinned: false, vmas: [], counters: { ...counters, rss: 0 } },
  ];
}

export const THP: FolioView = {
  pfn: 0x200,
  order: 9,
  nrPages: 512,
  refcount: 511,
  pincount: 0,
  mapcount: 511,
  entireMapcount: 0,
  pageMapcounts: Array.from({ length: 512 }, (_, k) => (k === 5 ? 0 : 1)),
  anonExclusive: Array.from({ length: 512 }, (_, k) => k < 3),
  flags: ['anon', 'lru', 'partially_mapped'],
  mappers: [{ process: 'P0', mapping: 'A', pages: Array.from({ length: 512 }, (_, k) => k).filter((k) => k !== 5), pmd: false, firstPage: 0 }],
  policyState: { mmSlots: [{ mmId: 0, mapcount: 511 }, { mmId: 1, mapcount: 0 }], maybeMappedShared: true },
};

export const COPY: FolioView = {
  pfn: 0x400,
  order: 0,
  nrPages: 1,
  refcount: 1,
  pincount: 0,
  mapcount: 1,
  entireMapcount: 0,
  pageMapcounts: [1],
  anonExclusive: [true],
  flags: ['anon', 'lru'],
  mappers: [{ process: 'P0', mapping: 'A', pages: [0], pmd: false, firstPage: 5 }],
  policyState: { rmapValues: ['18446744073709551615', '42'], rmapSeq: 6 },
};

export function walkOf(process: string, mapping: string, page: number): PageWalk | null {
  if (process !== 'P0' || mapping !== 'A' || page >= 512) return null;
  const copied = page === 5;
  return {
    process,
    mapping,
    page,
    address: A_START + page * 4096,
    vma: vma(512),
    pmd: { kind: 'table' },
    pte: { kind: 'present', pfn: copied ? 0x400 : 0x200 + page, writable: copied, dirty: copied, softDirty: true },
    folio: copied ? COPY : THP,
    pageInFolio: copied ? 0 : page,
    data: copied ? 0x41 : 0,
    logicalData: 0x41 * Number(copied),
  };
}

/** Cells of A: the THP's pages read-only (3 of them still exclusive), A[5] the writable copy. */
export function cellOf(page: number): number {
  if (page === 5) return CELL.PRESENT | CELL.WRITABLE | CELL.ANON_EXCLUSIVE | CELL.FOLIO_HEAD;
  if (page >= 512) return 0;
  return CELL.PRESENT | (page < 3 ? CELL.ANON_EXCLUSIVE : 0) | (page === 0 ? CELL.FOLIO_HEAD : 0);
}

export interface FakeQuery {
  query: QueryFn;
  calls: { policy: PolicyId; step: number; q: StateQueryRequest }[];
}

export function fakeQuery(options: { pagesOfA?: number; folios?: FolioView[]; walk?: typeof walkOf } = {}): FakeQuery {
  const calls: FakeQuery['calls'] = [];
  const folios = options.folios ?? [THP, COPY];
  const walk = options.walk ?? walkOf;
  const query: QueryFn = async (policy, step, q): Promise<StateQueryReply> => {
    calls.push({ policy, step, q });
    switch (q.kind) {
      case 'processes':
        return { kind: 'processes', processes: processes(options.pagesOfA) };
      case 'cells':
        return { kind: 'cells', cells: Uint8Array.from({ length: q.count }, (_, i) => cellOf(q.from + i)) };
      case 'walk':
        return { kind: 'walk', walk: walk(q.process, q.mapping, q.page) };
      case 'folios':
        return { kind: 'folios', total: folios.length, folios: folios.slice(q.offset, q.offset + q.limit) };
      case 'folio':
        return { kind: 'folio', folio: folios.find((f) => f.pfn === q.pfn) ?? null };
    }
  };
  return { query, calls };
}
