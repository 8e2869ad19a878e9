// MADV_PAGEOUT (mm/madvise.c madvise_cold_or_pageout_pte_range, then
// shrink_folio_list / try_to_unmap in mm/vmscan.c and mm/rmap.c, v6.15):
// folios mapped by other processes are skipped; a partly covered large folio
// is split first; the folio enters the swapcache, every mapping becomes a swap
// entry carrying the exclusive marker when the page was PageAnonExclusive,
// unless a PageAnonExclusive page may be pinned (folio_try_share_anon_rmap_pte:
// -EBUSY, the folio stays mapped). A fully unmapped folio is written out and freed.

import { F_SWAPCACHE, FR_ANON_EXCLUSIVE, isZeroPfn, PMD_NONE, PMD_NR, PMD_TABLE, PTE_SOFT_DIRTY, PTE_SWAP, PTE_SWP_EXCLUSIVE } from './constants';
import { splitFolio } from './folio-split';
import { folioMaybeDmaPinned } from './fork';
import type { Kernel } from './kernel';
import type { Mm } from './mm';
import { pfnAt } from './oracle';
import { putFolio, removePtes } from './rmap';
import { rmapWalk } from './rmap-walk';
import { splitHugePmd } from './split-pmd';
import { addToSwapcache } from './swapcache';

/** Folios mapped in [s, e) of `mm`, in address order, with how many of their pages the range maps. */
export function foliosIn(k: Kernel, mm: Mm, s: number, e: number): Map<number, number> {
  const seen = new Map<number, number>();
  for (let vpn = s; vpn < e; vpn++) {
    if (mm.pt.kind(vpn >>> 9) === PMD_NONE) {
      vpn = ((vpn >>> 9) + 1) * PMD_NR - 1; // skip the empty PMD range
      continue;
    }
    const pfn = pfnAt(mm, vpn);
    if (pfn < 0 || isZeroPfn(pfn)) continue;
    const f = k.mem.frFolio[pfn];
    seen.set(f, (seen.get(f) ?? 0) + 1);
  }
  return seen;
}

export function pageoutRange(k: Kernel, mm: Mm, s: number, e: number): void {
  const m = k.mem;
  for (const [f0, pagesInRange] of foliosIn(k, mm, s, e)) {
    if (m.fPfn[f0] < 0) continue; // freed meanwhile
    const order = m.fOrder[f0];
    // Do not interfere with other mappings of this folio (folio_mapcount != nr_pages / maybe shared).
    const mapped = m.fEntire[f0] > 0 ? m.fEntire[f0] : m.fMap[f0];
    if (m.fEntire[f0] > 0 ? mapped !== 1 || m.fMap[f0] !== 1 : mapped !== 1 << order) {
      k.note('policy-note', mm, 'MADV_PAGEOUT skips a folio mapped by another process or partially mapped', undefined, -1, -1, m.fPfn[f0], order);
      continue;
    }
    let targets = [f0];
    if (order > 0 && pagesInRange !== 1 << order) {
      const pfn = m.fPfn[f0];
      if (splitFolio(k, f0) !== null) continue;
      const inRange = foliosIn(k, mm, s, e);
      targets = [];
      for (let i = 0; i < 1 << order; i++) {
        const g = m.frFolio[pfn + i];
        if (g >= 0 && inRange.has(g)) targets.push(g);
      }
    }
    for (const f of targets) reclaimFolio(k, f);
    k.tick(1 << order);
  }
}

/** shrink_folio_list for one folio: swapcache, try_to_unmap, pageout. */
function reclaimFolio(k: Kernel, f: number): void {
  const m = k.mem;
  const s = k.swap;
  const order = m.fOrder[f];
  const nr = 1 << order;
  let first = m.fFlags[f] & F_SWAPCACHE ? m.fSwap[f] : -1;
  if (first < 0) {
    first = s.alloc(nr);
    if (first < 0) {
      if (order > 0 && splitFolio(k, f) === null) {
        const pfn = m.fPfn[f];
        for (let i = 0; i < nr; i++) if (m.frFolio[pfn + i] >= 0) reclaimFolio(k, m.frFolio[pfn + i]);
      } else k.note('policy-note', null, `pageout: no free swap space for folio at pfn ${m.fPfn[f]}`);
      return;
    }
    addToSwapcache(k, f, first);
  }
  const pinned = folioMaybeDmaPinned(k, f);
  const refs = rmapWalk(k, new Set([f])).get(f) ?? [];
  let busy = false;
  for (const r of refs) {
    if (r.pmd) {
      const head = r.mm.pt.pmdPfn[r.vpn >>> 9];
      if (pinned && m.frFlags[head] & FR_ANON_EXCLUSIVE) {
        busy = true;
        continue;
      }
      splitHugePmd(k, r.mm, r.vpn >>> 9, 'try_to_unmap (TTU_SPLIT_HUGE_PMD)');
      for (let i = 0; i < PMD_NR; i++) busy = unmapOne(k, r.mm, r.vpn + i, f, first, pinned) || busy;
    } else busy = unmapOne(k, r.mm, r.vpn, f, first, pinned) || busy;
  }
  const pfn = m.fPfn[f];
  if (m.fMap[f] === 0 && m.fRef[f] === nr) {
    // pageout() writes the (possibly dirtied) folio now; __remove_mapping drops the cache.
    for (let i = 0; i < nr; i++) {
      s.data[first + i] = m.frData[pfn + i];
      s.cache[first + i] = -1;
    }
    m.fFlags[f] &= ~F_SWAPCACHE;
    m.fSwap[f] = -1;
    k.stat.pswpout += nr;
    k.note('swap-out', null, `folio at pfn ${pfn} (order ${order}) written to swap slots ${first}..${first + nr - 1}`, undefined, -1, -1, pfn, order);
    putFolio(k, f, nr);
  } else {
    k.note('swap-out', null, `folio at pfn ${pfn} stays in the swapcache: ${busy ? 'a maybe-pinned PageAnonExclusive page cannot be unmapped (-EBUSY)' : 'extra references'}`, undefined, -1, -1, pfn, order);
  }
}

/** try_to_unmap_one for one PTE. Returns true when it had to give up (pinned exclusive page). */
function unmapOne(k: Kernel, mm: Mm, vpn: number, f: number, first: number, pinned: boolean): boolean {
  const m = k.mem;
  const pt = mm.pt;
  if (pt.kind(vpn >>> 9) !== PMD_TABLE) return false;
  const t = pt.tables[vpn >>> 9]!;
  const i = vpn & 511;
  const pfn = t.pfn[i];
  const fl = t.flags[i];
  if (fl === 0 || fl & PTE_SWAP || m.frFolio[pfn] !== f) return false;
  const pae = (m.frFlags[pfn] & FR_ANON_EXCLUSIVE) !== 0;
  if (pae && pinned) return true;
  const slot = first + (pfn - m.fPfn[f]);
  t.pfn[i] = slot;
  t.flags[i] = PTE_SWAP | (pae ? PTE_SWP_EXCLUSIVE : 0) | (fl & PTE_SOFT_DIRTY);
  m.frFlags[pfn] &= ~FR_ANON_EXCLUSIVE;
  k.swap.count[slot]++;
  removePtes(k, f, pfn, 1, mm.mmId);
  putFolio(k, f, 1);
  mm.rss--;
  mm.swapents++;
  return false;
}

