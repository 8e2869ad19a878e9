// MADV_COLLAPSE (mm/khugepaged.c madvise_collapse -> hpage_collapse_scan_pmd ->
// collapse_huge_page, v6.15): for each 2M-aligned range, check the PTEs as
// __collapse_huge_page_isolate does (no swap entries here, every page's
// refcount explained by its mappings, at least one writable PTE: SCAN_PAGE_RO
// applies to MADV_COLLAPSE too until after v6.15), then *copy* the pages into
// a new THP mapped by one PMD. The new folio is a fresh copy mapped only by
// this mm, so it is PageAnonExclusive (RMAP_EXCLUSIVE) even when the old pages
// stay shared with a child: the child keeps the old pages, nothing leaks.

import {
  alignUp,
  F_SWAPCACHE,
  isZeroPfn,
  PMD_HUGE,
  PMD_NONE,
  PMD_NR,
  PMD_ORDER,
  PROT_RW,
  PTE_DIRTY,
  PTE_PRESENT,
  PTE_SOFT_DIRTY,
  PTE_SWAP,
  PTE_WRITE,
  VM_NOHUGEPAGE,
} from './constants';
import type { Kernel } from './kernel';
import type { Mm } from './mm';
import { addPmd, allocAnonFolio, putFolio, removePtes } from './rmap';
import { EV } from './trace';
import { findVma } from './vma';

/**
 * madvise_collapse_errno (mm/khugepaged.c, v6.15): which errno a scan result
 * becomes; everything not listed is EINVAL ("trying again will not help").
 */
function collapseErrno(why: string): string {
  const scan = why.split(':')[0];
  if (['SCAN_PAGE_COUNT', 'SCAN_PAGE_LOCK', 'SCAN_PAGE_LRU', 'SCAN_DEL_PAGE_LRU', 'SCAN_PAGE_FILLED'].includes(scan)) return 'EAGAIN';
  if (scan === 'SCAN_ALLOC_HUGE_PAGE_FAIL') return 'ENOMEM';
  if (scan === 'SCAN_CGROUP_CHARGE_FAIL' || scan === 'SCAN_EXCEED_NONE_PTE') return 'EBUSY';
  return 'EINVAL';
}

/**
 * Collapse every PMD range inside [s, e). Returns null on success, else the
 * syscall error (errno of the last failure, as madvise_collapse does).
 */
export function collapseRange(k: Kernel, mm: Mm, s: number, e: number, label: (vpn: number) => string): string | null {
  const refused: string[] = [];
  let last = '';
  for (let base = alignUp(s, PMD_NR); base + PMD_NR <= e; base += PMD_NR) {
    const why = collapseOne(k, mm, base);
    if (why === null) continue;
    last = why;
    refused.push(`${label(base)}..+512: ${why}`);
  }
  if (alignUp(s, PMD_NR) + PMD_NR > e) return 'EINVAL: MADV_COLLAPSE needs a complete 2M-aligned block in the range';
  return refused.length === 0 ? null : `${collapseErrno(last)}: MADV_COLLAPSE refused for ${refused.join('; ')}`;
}

function collapseOne(k: Kernel, mm: Mm, base: number): string | null {
  const vma = findVma(mm.vmas, base);
  if (vma === undefined || vma.end < base + PMD_NR || vma.start > base) return 'SCAN_VMA_CHECK: the 2M block is not inside one VMA';
  if (vma.flags & VM_NOHUGEPAGE) return 'SCAN_VMA_CHECK: VM_NOHUGEPAGE';
  const pt = mm.pt;
  const idx = base >>> 9;
  const kind = pt.kind(idx);
  if (kind === PMD_HUGE) return null; // SCAN_PMD_MAPPED (a THP or the huge zeropage): nothing to do
  if (kind === PMD_NONE) return 'SCAN_PMD_NULL: nothing mapped to collapse';
  const t = pt.tables[idx]!;
  const m = k.mem;
  let writable = false;
  let present = 0;
  const checked = new Set<number>();
  for (let i = 0; i < PMD_NR; i++) {
    const fl = t.flags[i];
    if (fl === 0 || (fl & PTE_PRESENT && isZeroPfn(t.pfn[i]))) continue;
    if (fl & PTE_SWAP) return 'SCAN_PTE_NON_PRESENT: swap entries (the engine does not model __collapse_huge_page_swapin)';
    present++;
    if (fl & PTE_WRITE) writable = true;
    const f = m.frFolio[t.pfn[i]];
    if (checked.has(f)) continue;
    checked.add(f);
    // is_refcount_suitable: every reference is a mapping (or the swapcache's).
    const expected = m.fMap[f] + (m.fFlags[f] & F_SWAPCACHE ? 1 << m.fOrder[f] : 0);
    if (m.fRef[f] !== expected) return `SCAN_PAGE_COUNT: the page at ${vma.name}[${base + i - vma.base}] has extra references (refcount ${m.fRef[f]}, expected ${expected}: pinned or GUP)`;
  }
  if (!writable) return 'SCAN_PAGE_RO: no writable PTE (every page is write-protected, e.g. still shared after fork)';
  const nf = allocAnonFolio(k, PMD_ORDER);
  if (nf < 0) return 'SCAN_ALLOC_HUGE_PAGE_FAIL: no free 2M block';
  const npfn = m.fPfn[nf];
  for (let i = 0; i < PMD_NR; i++) {
    const fl = t.flags[i];
    if (fl === 0) continue;
    const pfn = t.pfn[i];
    m.frData[npfn + i] = m.frData[pfn];
    t.flags[i] = 0;
    if (isZeroPfn(pfn)) continue;
    const f = m.frFolio[pfn];
    removePtes(k, f, pfn, 1, mm.mmId);
    putFolio(k, f, 1);
  }
  m.fRef[nf] = 1;
  addPmd(k, nf, mm.mmId, true, true);
  pt.pmdKind[idx] = PMD_HUGE;
  pt.pmdPfn[idx] = npfn;
  pt.pmdFlags[idx] = PTE_PRESENT | PTE_DIRTY | PTE_SOFT_DIRTY | (vma.prot === PROT_RW ? PTE_WRITE : 0);
  pt.tables[idx] = undefined;
  mm.rss += PMD_NR - present;
  k.stat.thp_collapse_alloc++;
  k.touch(npfn);
  k.trace.event(EV.collapse, k.step, mm.index, k.vmaName(vma), base - vma.base, base, npfn, PMD_ORDER,
    k.trace.intern(`${present} pages copied into a new PMD-mapped THP (collapse_huge_page, RMAP_EXCLUSIVE)`));
  return null;
}
