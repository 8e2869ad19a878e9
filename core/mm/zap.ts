// Tearing down mappings (mm/memory.c zap_pte_range / zap_huge_pmd, v6.9+
// batching per folio): munmap, MADV_DONTNEED and exit.

import { isZeroPfn, PMD_HUGE, PMD_NONE, PMD_NR, PMD_TABLE, PTE_PRESENT, PTE_SWAP } from './constants';
import type { Kernel } from './kernel';
import type { Mm } from './mm';
import { putFolio, removePmd, removePtes } from './rmap';
import { splitHugePmd } from './split-pmd';
import { folioFreeSwap } from './swapcache';

/** Zap [start, end) of `mm` (page tables only; VMAs are the caller's). */
export function zapRange(k: Kernel, mm: Mm, start: number, end: number, why: string): void {
  const pt = mm.pt;
  for (let pmdIdx = start >>> 9; pmdIdx * PMD_NR < end && pmdIdx < pt.pmdKind.length; pmdIdx++) {
    const base = pmdIdx * PMD_NR;
    const s = Math.max(start, base);
    const e = Math.min(end, base + PMD_NR);
    if (pt.pmdKind[pmdIdx] === PMD_HUGE) {
      if (s === base && e === base + PMD_NR) {
        zapHugePmd(k, mm, pmdIdx);
        continue;
      }
      splitHugePmd(k, mm, pmdIdx, `${why} of part of the PMD`);
    }
    if (pt.pmdKind[pmdIdx] === PMD_TABLE) zapPtes(k, mm, pmdIdx, s - base, e - base);
    k.tick(e - s);
  }
}

/** zap_huge_pmd: drop the whole PMD mapping. */
function zapHugePmd(k: Kernel, mm: Mm, pmdIdx: number): void {
  const pt = mm.pt;
  const pfn = pt.pmdPfn[pmdIdx];
  pt.pmdKind[pmdIdx] = PMD_NONE;
  pt.pmdFlags[pmdIdx] = 0;
  if (isZeroPfn(pfn)) return;
  const f = k.mem.frFolio[pfn];
  removePmd(k, f, mm.mmId);
  mm.rss -= PMD_NR;
  putFolio(k, f, 1);
}

/** zap_pte_range over table slots [a, b), batching consecutive pages of one folio. */
function zapPtes(k: Kernel, mm: Mm, pmdIdx: number, a: number, b: number): void {
  const t = mm.pt.tables[pmdIdx]!;
  const m = k.mem;
  const pfns = t.pfn;
  const flags = t.flags;
  for (let i = a; i < b; ) {
    const fl = flags[i];
    if (fl === 0) {
      i++;
      continue;
    }
    const pfn = pfns[i];
    if (fl & PTE_SWAP) {
      flags[i] = 0;
      mm.swapents--;
      freeSwapEntry(k, pfn);
      i++;
      continue;
    }
    if (isZeroPfn(pfn)) {
      flags[i] = 0;
      i++;
      continue;
    }
    const f = m.frFolio[pfn];
    // The batch: consecutive present PTEs mapping consecutive pages of this folio.
    const lim = Math.min(b - i, m.fPfn[f] + (1 << m.fOrder[f]) - pfn);
    let n = 1;
    while (n < lim && (flags[i + n] & (PTE_PRESENT | PTE_SWAP)) === PTE_PRESENT && pfns[i + n] === pfn + n) n++;
    flags.fill(0, i, i + n);
    removePtes(k, f, pfn, n, mm.mmId);
    mm.rss -= n;
    putFolio(k, f, n);
    i += n;
  }
}

/** free_swap_and_cache: one swap entry fewer; an unused swapcache folio goes with the slot. */
export function freeSwapEntry(k: Kernel, slot: number): void {
  const s = k.swap;
  s.count[slot]--;
  if (s.count[slot] > 0) return;
  const f = s.cache[slot];
  if (f >= 0) {
    if (k.mem.fMap[f] === 0 && folioFreeSwap(k, f) && k.mem.fRef[f] === 0) putFolio(k, f, 0);
    return;
  }
  s.maybeFree(slot);
}
