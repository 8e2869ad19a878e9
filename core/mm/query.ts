// Read-only views of the engine state (api.ts StateQuery): processes, page
// cells for the memory map, the page walk VMA -> PMD -> PTE -> folio, folios.

import type { PageProperty } from '../lang/ast';
import type { FolioView, PageWalk, ProcessView, StateQuery, VmaView } from './api';
import { CELL } from './api';
import {
  F_ANON,
  F_DEFERRED_SPLIT,
  F_LRU,
  F_PARTIALLY_MAPPED,
  F_SWAPCACHE,
  FR_ANON_EXCLUSIVE,
  isZeroPfn,
  PMD_HUGE,
  PMD_NR,
  PMD_TABLE,
  PROT_NONE,
  PROT_RW,
  PTE_DIRTY,
  PTE_SOFT_DIRTY,
  PTE_SWAP,
  PTE_SWP_EXCLUSIVE,
  PTE_WRITE,
  VM_DONTCOPY,
  VM_HUGEPAGE,
  VM_NOHUGEPAGE,
  VM_SOFTDIRTY,
  VM_WIPEONFORK,
} from './constants';
import type { Kernel } from './kernel';
import type { Mm } from './mm';
import { pageMapcount, pfnAt, readThrough } from './oracle';
import { rmapWalk } from './rmap-walk';
import { smaps } from './stats';
import { findVma, type Vma } from './vma';

const FLAG_NAMES: [number, string][] = [
  [VM_HUGEPAGE, 'VM_HUGEPAGE'],
  [VM_NOHUGEPAGE, 'VM_NOHUGEPAGE'],
  [VM_DONTCOPY, 'VM_DONTCOPY'],
  [VM_WIPEONFORK, 'VM_WIPEONFORK'],
  [VM_SOFTDIRTY, 'VM_SOFTDIRTY'],
];

function vmaView(v: Vma): VmaView {
  return {
    mapping: v.name,
    start: v.start * 4096,
    pages: v.end - v.start,
    firstPage: v.start - v.base,
    prot: v.prot === PROT_RW ? 'rw' : v.prot === PROT_NONE ? 'none' : 'ro',
    flags: FLAG_NAMES.filter(([b]) => v.flags & b).map(([, n]) => n),
  };
}

/** The PTE-level facts of one page: 0 none, 1 present (PTE or PMD), 2 swap. */
function entry(mm: Mm, vpn: number): { kind: 0 | 1 | 2; pmd: boolean; writable: boolean; flags: number; pfn: number } {
  const pt = mm.pt;
  const idx = vpn >>> 9;
  const kind = pt.kind(idx);
  if (kind === PMD_HUGE) {
    return { kind: 1, pmd: true, writable: (pt.pmdFlags[idx] & PTE_WRITE) !== 0, flags: pt.pmdFlags[idx], pfn: pt.pmdPfn[idx] + (vpn & 511) };
  }
  if (kind === PMD_TABLE) {
    const t = pt.tables[idx]!;
    const fl = t.flags[vpn & 511];
    if (fl & PTE_SWAP) return { kind: 2, pmd: false, writable: false, flags: fl, pfn: t.pfn[vpn & 511] };
    if (fl !== 0) return { kind: 1, pmd: false, writable: (fl & PTE_WRITE) !== 0, flags: fl, pfn: t.pfn[vpn & 511] };
  }
  return { kind: 0, pmd: false, writable: false, flags: 0, pfn: -1 };
}

/** A page property for expectations (scenario-language.md "Expectations"); null when it does not apply. */
export function pageProperty(k: Kernel, mm: Mm, vpn: number, prop: PageProperty): number | boolean | null {
  const e = entry(mm, vpn);
  const m = k.mem;
  const real = e.kind === 1 && !isZeroPfn(e.pfn);
  const f = real ? m.frFolio[e.pfn] : -1;
  switch (prop) {
    case 'data':
      return readThrough(k, mm, vpn);
    case 'pfn':
      return e.kind === 1 ? e.pfn : null;
    case 'present':
      return e.kind === 1;
    case 'writable':
      return e.writable;
    case 'swapped':
      return e.kind === 2;
    case 'exclusive':
      return real && pageMapcount(k, e.pfn) === 1;
    case 'anon_exclusive': {
      if (!real) return false;
      const p = e.pmd ? m.fPfn[f] : e.pfn;
      return (m.frFlags[p] & FR_ANON_EXCLUSIVE) !== 0;
    }
    case 'pmd_mapped':
      return e.kind === 1 && e.pmd;
    case 'order':
      return real ? m.fOrder[f] : null;
    case 'refcount':
      return real ? m.fRef[f] : null;
    case 'mapcount':
      return real ? m.fMap[f] : null;
    case 'page_mapcount':
      return real ? pageMapcount(k, e.pfn) : null;
  }
}

export class EngineQuery implements StateQuery {
  constructor(private readonly k: Kernel) {}

  private mm(name: string): Mm | undefined {
    return this.k.byName.get(name);
  }

  processes(): ProcessView[] {
    const k = this.k;
    // A child whose fork failed (ENOMEM) never existed.
    return k.mms.filter((mm) => k.byName.get(mm.name) === mm).map((mm) => ({
      name: mm.name,
      pid: mm.index + 1,
      alive: mm.alive,
      parent: mm.parent,
      mmId: mm.mmId === 0 ? undefined : mm.mmId,
      hasPinned: mm.hasPinned,
      vmas: mm.vmas.map(vmaView),
      counters: { pgfault: mm.pgfault, pgreuse: mm.pgreuse, cow_copies: mm.cowCopies, ...smaps(k, mm) },
    }));
  }

  pageCells(process: string, mapping: string, from: number, count: number): Uint8Array {
    const out = new Uint8Array(Math.max(0, count));
    const mm = this.mm(process);
    const mp = mm?.mappings.get(mapping);
    if (mm === undefined || mp === undefined) return out;
    const m = this.k.mem;
    const pinned = new Set<number>();
    for (const p of this.k.pins.values()) for (const x of p.pfns) pinned.add(x);
    for (let j = 0; j < count; j++) {
      const page = from + j;
      if (page < 0 || page >= mp.pages) continue;
      const e = entry(mm, mp.start + page);
      if (e.kind === 2) {
        out[j] = CELL.SWAPPED;
        continue;
      }
      if (e.kind === 0) continue;
      let c = CELL.PRESENT;
      if (e.writable) c |= CELL.WRITABLE;
      if (e.pmd) c |= CELL.PMD_MAPPED;
      if (!isZeroPfn(e.pfn)) {
        const f = m.frFolio[e.pfn];
        const head = e.pmd ? m.fPfn[f] : e.pfn;
        if (m.frFlags[head] & FR_ANON_EXCLUSIVE) c |= CELL.ANON_EXCLUSIVE;
        if (pageMapcount(this.k, e.pfn) > 1) c |= CELL.SHARED;
        if (e.pfn === m.fPfn[f]) c |= CELL.FOLIO_HEAD;
        if (pinned.has(e.pfn)) c |= CELL.PINNED;
      } else c |= CELL.SHARED;
      out[j] = c;
    }
    return out;
  }

  pageWalk(process: string, mapping: string, page: number): PageWalk | null {
    const k = this.k;
    const mm = this.mm(process);
    const mp = mm?.mappings.get(mapping);
    if (mm === undefined || mp === undefined || page < 0 || page >= mp.pages) return null;
    const vpn = mp.start + page;
    const vma = findVma(mm.vmas, vpn);
    const pt = mm.pt;
    const idx = vpn >>> 9;
    const kind = pt.kind(idx);
    const e = entry(mm, vpn);
    const pfn = e.kind === 1 ? e.pfn : -1;
    const folio = pfn >= 0 && !isZeroPfn(pfn) ? this.folio(k.mem.fPfn[k.mem.frFolio[pfn]]) : null;
    return {
      process,
      mapping,
      page,
      address: vpn * 4096,
      vma: vma ? vmaView(vma) : null,
      pmd:
        kind === PMD_HUGE
          ? { kind: 'huge', writable: (pt.pmdFlags[idx] & PTE_WRITE) !== 0, pfn: pt.pmdPfn[idx] }
          : { kind: kind === PMD_TABLE ? 'table' : 'none' },
      pte:
        kind !== PMD_TABLE
          ? null
          : e.kind === 0
            ? { kind: 'none' }
            : e.kind === 2
              ? { kind: 'swap', swapSlot: e.pfn, swapExclusive: (e.flags & PTE_SWP_EXCLUSIVE) !== 0, softDirty: (e.flags & PTE_SOFT_DIRTY) !== 0 }
              : { kind: 'present', pfn: e.pfn, writable: e.writable, dirty: (e.flags & PTE_DIRTY) !== 0, softDirty: (e.flags & PTE_SOFT_DIRTY) !== 0 },
      folio,
      pageInFolio: folio ? pfn - folio.pfn : undefined,
      data: vma ? readThrough(k, mm, vpn) : null,
      logicalData: pt.logicalGet(vpn),
    };
  }

  folios(offset: number, limit: number): { total: number; folios: FolioView[] } {
    const m = this.k.mem;
    const heads: number[] = [];
    for (let f = 0; f < m.nSlots; f++) if (m.fPfn[f] >= 0 && m.fRef[f] > 0) heads.push(m.fPfn[f]);
    heads.sort((a, b) => a - b);
    return { total: heads.length, folios: heads.slice(offset, offset + limit).map((p) => this.folio(p)!) };
  }

  folio(pfn: number): FolioView | null {
    const k = this.k;
    const m = k.mem;
    if (pfn < 0 || pfn >= m.frFolio.length || isZeroPfn(pfn)) return null;
    const f = m.frFolio[pfn];
    if (f < 0 || m.fPfn[f] !== pfn) return null;
    const order = m.fOrder[f];
    const nr = 1 << order;
    const flags: string[] = [];
    if (m.fFlags[f] & F_ANON) flags.push('anon');
    if (m.fFlags[f] & F_SWAPCACHE) flags.push('swapcache');
    if (m.fFlags[f] & F_LRU) flags.push('lru');
    if (m.fFlags[f] & F_PARTIALLY_MAPPED) flags.push('partially_mapped');
    if (m.fFlags[f] & F_DEFERRED_SPLIT) flags.push('deferred_split');
    if (order > 0) flags.push('large');
    const mappers = new Map<string, FolioView['mappers'][number]>();
    for (const r of rmapWalk(k, new Set([f])).get(f) ?? []) {
      const vma = findVma(r.mm.vmas, r.vpn);
      const key = `${r.mm.name}\u0000${vma?.name ?? '?'}\u0000${r.pmd}`;
      let e = mappers.get(key);
      if (e === undefined) mappers.set(key, (e = { process: r.mm.name, mapping: vma?.name ?? '?', pages: [], pmd: r.pmd }));
      if (r.pmd) for (let i = 0; i < PMD_NR; i++) e.pages.push(i);
      else e.pages.push(pfnAt(r.mm, r.vpn) - pfn);
      // Where folio page 0 lines up in the mapping (views link folio pages to virtual pages).
      if (vma) e.firstPage = r.vpn - vma.base - (r.pmd ? 0 : e.pages[e.pages.length - 1]);
    }
    return {
      pfn,
      order,
      nrPages: nr,
      refcount: m.fRef[f],
      pincount: m.fPin[f],
      mapcount: m.fMap[f],
      entireMapcount: m.fEntire[f],
      pageMapcounts: Array.from(m.frMapcount.subarray(pfn, pfn + nr)),
      anonExclusive: Array.from(m.frFlags.subarray(pfn, pfn + nr), (b) => (b & FR_ANON_EXCLUSIVE) !== 0),
      flags,
      mappers: [...mappers.values()],
      policyState: order > 0 ? k.policy.folioState(f, order) : undefined,
    };
  }
}
