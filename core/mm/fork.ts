// fork(): dup_mm -> copy_page_range (mm/memory.c copy_pte_range with the v6.9
// batching of copy_present_ptes, mm/huge_memory.c copy_huge_pmd), following
// kernel-semantics 4.1-4.2: PageAnonExclusive is cleared on every shared page,
// both sides are write-protected, and a PageAnonExclusive page of a maybe
// pinned folio is copied eagerly instead (folio_try_dup_anon_rmap -> -EBUSY).

import {
  FR_ANON_EXCLUSIVE,
  GUP_PIN_COUNTING_BIAS,
  isZeroPfn,
  PMD_HUGE,
  PMD_NR,
  PMD_TABLE,
  PROT_RW,
  PTE_DIRTY,
  PTE_PRESENT,
  PTE_SOFT_DIRTY,
  PTE_SWAP,
  PTE_SWP_EXCLUSIVE,
  PTE_WRITE,
  VM_DONTCOPY,
  VM_WIPEONFORK,
} from './constants';
import { type Kernel, StopRun } from './kernel';
import { Mm } from './mm';
import { PteTable } from './pagetable';
import { addPmd, addPtes, allocAnonFolio } from './rmap';
import { splitHugePmd } from './split-pmd';
import { exitMm } from './syscalls';
import { EV } from './trace';
import type { Vma } from './vma';

/** folio_maybe_dma_pinned: exact pincount for large folios, refcount >= 1024 for small ones. */
export function folioMaybeDmaPinned(k: Kernel, f: number): boolean {
  const m = k.mem;
  return m.fOrder[f] > 0 ? m.fPin[f] > 0 : m.fRef[f] >= GUP_PIN_COUNTING_BIAS;
}

export function forkMm(k: Kernel, parent: Mm, childName: string): Mm {
  const child = new Mm(k.mms.length, childName, parent.name);
  child.mmId = k.policy.mmCreate();
  child.nextVpn = parent.nextVpn;
  for (const [name, mp] of parent.mappings) child.mappings.set(name, { ...mp });
  k.mms.push(child);
  k.byName.set(childName, child);
  k.processNames.push(childName);
  try {
    for (const vma of parent.vmas) {
      if (vma.flags & VM_DONTCOPY) continue;
      child.vmas.push(vma.slice());
      if (vma.flags & VM_WIPEONFORK) continue; // the child gets fresh zero pages
      copyLogical(parent, child, vma);
      copyPageRange(k, parent, child, vma);
    }
  } catch (err) {
    if (!(err instanceof StopRun) || err.reason !== 'out-of-memory') throw err;
    // dup_mmap failed: the half-built mm is torn down (fork() would return
    // ENOMEM); like every out-of-memory, it also ends the run.
    exitMm(k, child);
    k.byName.delete(childName);
    throw err;
  }
  for (const pipe of k.pipes.values()) if (pipe.holders.has(parent)) pipe.holders.add(child);
  return child;
}

function copyLogical(parent: Mm, child: Mm, vma: Vma): void {
  for (let i = vma.start >>> 9; i * PMD_NR < vma.end; i++) {
    const src = parent.pt.logical[i];
    if (src === undefined) continue;
    let dst = child.pt.logical[i];
    if (dst === undefined) dst = child.pt.logical[i] = new Uint8Array(PMD_NR);
    const a = Math.max(vma.start, i * PMD_NR) - i * PMD_NR;
    const b = Math.min(vma.end, (i + 1) * PMD_NR) - i * PMD_NR;
    dst.set(src.subarray(a, b), a);
  }
}

function copyPageRange(k: Kernel, parent: Mm, child: Mm, vma: Vma): void {
  const ppt = parent.pt;
  const cpt = child.pt;
  const m = k.mem;
  for (let pmdIdx = vma.start >>> 9; pmdIdx * PMD_NR < vma.end && pmdIdx < ppt.pmdKind.length; pmdIdx++) {
    const base = pmdIdx * PMD_NR;
    if (ppt.pmdKind[pmdIdx] === PMD_HUGE) {
      const pfn = ppt.pmdPfn[pmdIdx];
      cpt.ensure(pmdIdx);
      if (isZeroPfn(pfn)) {
        cpt.pmdKind[pmdIdx] = PMD_HUGE;
        cpt.pmdPfn[pmdIdx] = pfn;
        cpt.pmdFlags[pmdIdx] = ppt.pmdFlags[pmdIdx];
        continue;
      }
      const f = m.frFolio[pfn];
      if (m.frFlags[pfn] & FR_ANON_EXCLUSIVE && parent.hasPinned && folioMaybeDmaPinned(k, f)) {
        // copy_huge_pmd: -EAGAIN after splitting the parent's PMD; the PTE copy below copies eagerly.
        splitHugePmd(k, parent, pmdIdx, 'fork of a maybe-pinned PageAnonExclusive THP (copy_huge_pmd)');
      } else {
        m.fRef[f]++;
        m.frFlags[pfn] &= ~FR_ANON_EXCLUSIVE;
        addPmd(k, f, child.mmId, false, false);
        ppt.pmdFlags[pmdIdx] &= ~PTE_WRITE;
        cpt.pmdKind[pmdIdx] = PMD_HUGE;
        cpt.pmdPfn[pmdIdx] = pfn;
        cpt.pmdFlags[pmdIdx] = ppt.pmdFlags[pmdIdx];
        child.rss += PMD_NR;
        k.tick(PMD_NR);
        continue;
      }
    }
    if (ppt.pmdKind[pmdIdx] !== PMD_TABLE) continue;
    const s = Math.max(vma.start, base) - base;
    const e = Math.min(vma.end, base + PMD_NR) - base;
    cpt.ensure(pmdIdx);
    let ct = cpt.tables[pmdIdx];
    if (ct === undefined) {
      ct = cpt.tables[pmdIdx] = new PteTable();
      cpt.pmdKind[pmdIdx] = PMD_TABLE;
    }
    copyPtes(k, parent, child, vma, ppt.tables[pmdIdx]!, ct, base, s, e);
    k.tick(e - s);
  }
}

function copyPtes(k: Kernel, parent: Mm, child: Mm, vma: Vma, pt: PteTable, ct: PteTable, base: number, a: number, b: number): void {
  const m = k.mem;
  const pfns = pt.pfn;
  const flags = pt.flags;
  for (let i = a; i < b; ) {
    const fl = flags[i];
    if (fl === 0) {
      i++;
      continue;
    }
    const pfn = pfns[i];
    if (fl & PTE_SWAP) {
      // copy_nonpresent_pte: swap_duplicate, and the exclusive marker is cleared on both sides.
      k.swap.count[pfn]++;
      flags[i] = fl & ~PTE_SWP_EXCLUSIVE;
      ct.pfn[i] = pfn;
      ct.flags[i] = flags[i];
      child.swapents++;
      i++;
      continue;
    }
    if (isZeroPfn(pfn)) {
      ct.pfn[i] = pfn;
      ct.flags[i] = fl;
      i++;
      continue;
    }
    const f = m.frFolio[pfn];
    // The batch: consecutive present PTEs mapping consecutive pages of this folio.
    const lim = Math.min(b - i, m.fPfn[f] + (1 << m.fOrder[f]) - pfn);
    let n = 1;
    while (n < lim && (flags[i + n] & (PTE_PRESENT | PTE_SWAP)) === PTE_PRESENT && pfns[i + n] === pfn + n) n++;
    const pinned = parent.hasPinned && folioMaybeDmaPinned(k, f);
    let anyPae = false;
    if (pinned) for (let j = 0; j < n; j++) if (m.frFlags[pfn + j] & FR_ANON_EXCLUSIVE) anyPae = true;
    if (!anyPae) {
      dupPtes(k, child, f, pfn, n, pt, ct, i);
    } else {
      // folio_try_dup_anon_rmap_ptes failed: one PTE at a time, copying every PageAnonExclusive page.
      for (let j = 0; j < n; j++) {
        if (m.frFlags[pfn + j] & FR_ANON_EXCLUSIVE) copyPresentPage(k, child, vma, pfn + j, ct, i + j, base);
        else dupPtes(k, child, f, pfn + j, 1, pt, ct, i + j);
      }
    }
    i += n;
  }
}

/** Share `n` pages with the child: references, child mappings, PAE cleared, both R/O. */
function dupPtes(k: Kernel, child: Mm, f: number, pfn: number, n: number, pt: PteTable, ct: PteTable, i: number): void {
  const m = k.mem;
  m.fRef[f] += n;
  for (let j = 0; j < n; j++) m.frFlags[pfn + j] &= ~FR_ANON_EXCLUSIVE;
  addPtes(k, f, pfn, n, child.mmId, false, false);
  for (let j = i; j < i + n; j++) {
    pt.flags[j] &= ~PTE_WRITE;
    ct.flags[j] = pt.flags[j];
    ct.pfn[j] = pt.pfn[j];
  }
  child.rss += n;
}

/** copy_present_page: the child gets its own PageAnonExclusive copy; the parent's PTE stays as it is. */
function copyPresentPage(k: Kernel, child: Mm, vma: Vma, pfn: number, ct: PteTable, i: number, base: number): void {
  const m = k.mem;
  const nf = allocAnonFolio(k, 0);
  if (nf < 0) k.oom(`eager fork copy of ${vma.name}[${base + i - vma.base}]`);
  const npfn = m.fPfn[nf];
  m.frData[npfn] = m.frData[pfn];
  m.fRef[nf] = 1;
  addPtes(k, nf, npfn, 1, child.mmId, true, true);
  ct.pfn[i] = npfn;
  ct.flags[i] = PTE_PRESENT | PTE_DIRTY | PTE_SOFT_DIRTY | (vma.prot === PROT_RW ? PTE_WRITE : 0);
  child.rss++;
  k.stat.fork_copies++;
  k.trace.event(EV['fork-copy'], k.step, child.index, k.vmaName(vma), base + i - vma.base, base + i, npfn, 0,
    k.trace.intern('copy_present_page: the child gets its own copy of a maybe-pinned PageAnonExclusive page (folio_try_dup_anon_rmap: -EBUSY)'));
}
