// `__split_huge_pmd` (mm/huge_memory.c, v6.15; kernel-semantics 5.1): replace
// one PMD mapping by 512 PTEs in this mm only. Every subpage inherits the head
// page's PageAnonExclusive and the PMD's write/dirty/soft-dirty bits.

import {
  FR_ANON_EXCLUSIVE,
  isZeroPfn,
  PMD_NR,
  PMD_TABLE,
  PTE_DIRTY,
  PTE_PRESENT,
  PTE_SOFT_DIRTY,
  PTE_WRITE,
  ZERO_PFN,
} from './constants';
import type { Kernel } from './kernel';
import type { Mm } from './mm';
import { PteTable } from './pagetable';
import { addPtes, removePmd } from './rmap';
import { findVma } from './vma';

export function splitHugePmd(k: Kernel, mm: Mm, pmdIdx: number, why: string): void {
  const pt = mm.pt;
  const pfn = pt.pmdPfn[pmdIdx];
  const fl = pt.pmdFlags[pmdIdx];
  const t = new PteTable();
  k.stat.thp_split_pmd++;
  const vpn = pmdIdx * PMD_NR;
  if (isZeroPfn(pfn)) {
    // __split_huge_zero_page_pmd: 512 read-only PTEs of the shared zeropage.
    t.pfn.fill(ZERO_PFN);
    t.flags.fill(PTE_PRESENT);
  } else {
    const m = k.mem;
    const f = m.frFolio[pfn];
    const pae = (m.frFlags[pfn] & FR_ANON_EXCLUSIVE) !== 0;
    const pteFlags = PTE_PRESENT | (fl & (PTE_WRITE | PTE_DIRTY | PTE_SOFT_DIRTY));
    for (let i = 0; i < PMD_NR; i++) t.pfn[i] = pfn + i;
    t.flags.fill(pteFlags);
    if (!pae) for (let i = 0; i < PMD_NR; i++) m.frFlags[pfn + i] &= ~FR_ANON_EXCLUSIVE;
    // The PMD's reference becomes one PTE's; take the other P-1 first (refcount >= mapcount).
    m.fRef[f] += PMD_NR - 1;
    addPtes(k, f, pfn, PMD_NR, mm.mmId, pae, false);
    removePmd(k, f, mm.mmId);
  }
  pt.pmdKind[pmdIdx] = PMD_TABLE;
  pt.tables[pmdIdx] = t;
  const vma = findVma(mm.vmas, vpn);
  k.note('split-pmd', mm, `PMD split into 512 PTEs: ${why}`, vma?.name, vma ? vpn - vma.base : -1, vpn, pfn, 9);
}
