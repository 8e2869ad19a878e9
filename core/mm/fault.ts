// Page faults on private anonymous memory (mm/memory.c, mm/huge_memory.c):
// handle_mm_fault -> do_anonymous_page / do_huge_pmd_anonymous_page,
// do_wp_page / do_huge_pmd_wp_page (write and unshare), do_swap_page.
// Structure follows v6.15 mm/memory.c; the reuse decision is the policy's.

import {
  F_POLICY_REUSED,
  F_SWAPCACHE,
  FAULT_READ,
  FAULT_UNSHARE,
  FAULT_WRITE,
  FR_ANON_EXCLUSIVE,
  HUGE_ZERO_PFN,
  isZeroPfn,
  PMD_HUGE,
  PMD_NONE,
  PMD_NR,
  PMD_ORDER,
  PMD_TABLE,
  PROT_RW,
  PTE_DIRTY,
  PTE_PRESENT,
  PTE_SOFT_DIRTY,
  PTE_SWAP,
  PTE_SWP_EXCLUSIVE,
  PTE_WRITE,
  VM_HUGEPAGE,
  VM_NOHUGEPAGE,
  VM_SOFTDIRTY,
  ZERO_PFN,
} from './constants';
import type { Kernel } from './kernel';
import type { Mm } from './mm';
import { PteTable } from './pagetable';
import { verdictReason, verdictRule } from './policies/types';
import { addPmd, addPtes, allocAnonFolio, putFolio, removePtes } from './rmap';
import { defineRule } from './rules';
import { splitHugePmd } from './split-pmd';
import { addToSwapcache, folioFreeSwap } from './swapcache';
import { EV, REASON } from './trace';
import { D_ALLOC, D_COPY, D_REUSE, D_SPLIT, L_PMD, L_PTE, T_ANON, T_SWAPIN, T_UNSHARE, T_WP } from './trace-layout';
import type { Vma } from './vma';

const RULE_HUGE_ZERO_READ = defineRule('do_huge_pmd_anonymous_page (v6.7 to v6.15): read fault maps the huge zeropage');
const RULE_HUGE_ANON = defineRule('do_huge_pmd_anonymous_page (v6.7 to v6.15)');
const RULE_HUGE_ZERO_WP = defineRule('do_huge_zero_wp_pmd (newer kernels, kernel-semantics 2.3)');
const RULE_ZERO_READ = defineRule('do_anonymous_page (v6.7 to v6.15): read fault maps the shared zeropage');
const RULE_HUGE_WP = defineRule('do_huge_pmd_wp_page (v6.7..v6.15)');
const RULE_ZERO_COPY = defineRule('do_wp_page -> wp_page_copy from the zeropage (v6.7 to v6.15)');
const RULE_PAE = defineRule('do_wp_page: PageAnonExclusive (v5.19+)');
const RULE_SWAPIN = defineRule('do_swap_page (v6.7 to v6.15)');
const RULE_ANON_MTHP = defineRule('do_anonymous_page + alloc_anon_folio (v6.8+ mTHP)');
const RULE_ANON = defineRule('do_anonymous_page (v6.7 to v6.15)');

const REUSE_FIRST = REASON.REUSE_ANON_EXCLUSIVE;
const REUSE_LAST = REASON.REUSE_ORACLE_EXCLUSIVE;
const isReuse = (reason: number): boolean => reason >= REUSE_FIRST && reason <= REUSE_LAST;

function record(k: Kernel, mm: Mm, vma: Vma, vpn: number, pfn: number, order: number, type: number, level: number, decision: number, reason: number, rule: number): void {
  k.trace.fault(k.step, mm.index, k.vmaName(vma), vpn - vma.base, vpn, pfn, order, type, level, decision, reason, rule, k.ev);
}

/** Is folio order `order` enabled for this VMA by the `thp` header and the VMA flags? */
export function thpOrderAllowed(k: Kernel, vma: Vma, order: number): boolean {
  if (vma.flags & VM_NOHUGEPAGE) return false;
  const bit = 1 << order;
  return (k.thp.always & bit) !== 0 || ((k.thp.madvise & bit) !== 0 && (vma.flags & VM_HUGEPAGE) !== 0);
}

/** pte_needs_soft_dirty_wp: soft-dirty tracking is on for the VMA and the PTE is clean. */
export function needsSoftDirtyWp(vma: Vma, pteFlags: number): boolean {
  return (vma.flags & VM_SOFTDIRTY) === 0 && (pteFlags & PTE_SOFT_DIRTY) === 0;
}

/**
 * handle_mm_fault for one page of `vma` (the caller checked access rights).
 * Returns the pfn mapped at `vpn` afterwards. Counts one pgfault.
 */
export function handleFault(k: Kernel, mm: Mm, vma: Vma, vpn: number, kind: number): number {
  k.stat.pgfault++;
  mm.pgfault++;
  const pt = mm.pt;
  const pmdIdx = vpn >>> 9;
  pt.ensure(pmdIdx);
  k.ev.clear();
  if (pt.pmdKind[pmdIdx] === PMD_NONE) {
    const start = pmdIdx * PMD_NR;
    if (start >= vma.start && start + PMD_NR <= vma.end && thpOrderAllowed(k, vma, PMD_ORDER)) {
      const done = doHugePmdAnonymousPage(k, mm, vma, vpn, pmdIdx, kind);
      if (done >= 0) return done;
    }
    pt.pmdKind[pmdIdx] = PMD_TABLE;
    pt.tables[pmdIdx] = new PteTable();
  }
  if (pt.pmdKind[pmdIdx] === PMD_HUGE) {
    const head = pt.pmdPfn[pmdIdx];
    if (kind === FAULT_READ) return head + (vpn & 511);
    if (head === HUGE_ZERO_PFN) {
      const r = k.policy.hugeZeroWpAllocates ? doHugeZeroWpPmd(k, mm, vma, vpn, pmdIdx) : -1;
      if (r >= 0) return r;
      // v6.7-era do_huge_pmd_wp_page on the huge zeropage (or no THP free): split it, fault at PTE level.
      splitHugePmd(k, mm, pmdIdx, 'write fault on the huge zeropage');
    } else {
      const r = doHugePmdWpPage(k, mm, vma, vpn, pmdIdx, kind);
      if (r >= 0) return r;
    }
  }
  const t = pt.tables[pmdIdx]!;
  const i = vpn & 511;
  const fl = t.flags[i];
  if (fl === 0) return doAnonymousPage(k, mm, vma, vpn, t, kind);
  if (fl & PTE_SWAP) {
    const pfn = doSwapPage(k, mm, vma, vpn, t, kind);
    if (kind === FAULT_READ || (kind === FAULT_WRITE && t.flags[i] & PTE_WRITE)) return pfn;
    if (kind === FAULT_UNSHARE && (isZeroPfn(pfn) || k.mem.frFlags[pfn] & FR_ANON_EXCLUSIVE)) return pfn;
    k.ev.clear();
  } else if (kind === FAULT_READ) {
    return t.pfn[i];
  }
  return doWpPage(k, mm, vma, vpn, t, kind === FAULT_UNSHARE);
}

/** do_huge_pmd_anonymous_page: a PMD THP, or the huge zeropage on a read fault. -1 = fall back to PTEs. */
function doHugePmdAnonymousPage(k: Kernel, mm: Mm, vma: Vma, vpn: number, pmdIdx: number, kind: number): number {
  const pt = mm.pt;
  const ev = k.ev;
  if (kind === FAULT_READ) {
    // use_zero_page=1: map the huge zeropage read-only.
    pt.pmdKind[pmdIdx] = PMD_HUGE;
    pt.pmdPfn[pmdIdx] = HUGE_ZERO_PFN;
    pt.pmdFlags[pmdIdx] = PTE_PRESENT;
    record(k, mm, vma, vpn, HUGE_ZERO_PFN, PMD_ORDER, T_ANON, L_PMD, D_ALLOC, REASON.MAP_ZEROPAGE, k.rule(RULE_HUGE_ZERO_READ));
    return HUGE_ZERO_PFN + (vpn & 511);
  }
  const f = allocAnonFolio(k, PMD_ORDER);
  if (f < 0) {
    k.stat.thp_fault_fallback++;
    k.note('thp-fallback', mm, 'no free naturally aligned 2M block: thp_fault_fallback, falling back to PTEs', vma.name, vpn - vma.base, vpn, -1, PMD_ORDER);
    return -1;
  }
  k.stat.thp_fault_alloc++;
  const m = k.mem;
  const pfn = m.fPfn[f];
  m.fRef[f] = 1;
  addPmd(k, f, mm.mmId, true, true);
  pt.pmdKind[pmdIdx] = PMD_HUGE;
  pt.pmdPfn[pmdIdx] = pfn;
  pt.pmdFlags[pmdIdx] = PTE_PRESENT | PTE_DIRTY | PTE_SOFT_DIRTY | (vma.prot === PROT_RW ? PTE_WRITE : 0);
  mm.rss += PMD_NR;
  k.touch(pfn);
  k.trace.event(EV['folio-alloc'], k.step, mm.index, k.vmaName(vma), vpn - vma.base, vpn, pfn, PMD_ORDER, -1);
  ev.clear();
  record(k, mm, vma, vpn, pfn, PMD_ORDER, T_ANON, L_PMD, D_ALLOC, REASON.ALLOC_THP, k.rule(RULE_HUGE_ANON));
  return pfn + (vpn & 511);
}

/** do_huge_zero_wp_pmd: replace the huge zeropage by a fresh THP; -1 when none is free. */
function doHugeZeroWpPmd(k: Kernel, mm: Mm, vma: Vma, vpn: number, pmdIdx: number): number {
  const f = allocAnonFolio(k, PMD_ORDER);
  if (f < 0) {
    k.stat.thp_fault_fallback++;
    return -1;
  }
  k.stat.thp_fault_alloc++;
  const m = k.mem;
  const pt = mm.pt;
  const pfn = m.fPfn[f];
  m.fRef[f] = 1;
  addPmd(k, f, mm.mmId, true, true);
  pt.pmdPfn[pmdIdx] = pfn;
  pt.pmdFlags[pmdIdx] = PTE_PRESENT | PTE_DIRTY | PTE_SOFT_DIRTY | PTE_WRITE;
  mm.rss += PMD_NR;
  k.touch(pfn);
  k.trace.event(EV['folio-alloc'], k.step, mm.index, k.vmaName(vma), vpn - vma.base, vpn, pfn, PMD_ORDER, -1);
  k.ev.clear();
  record(k, mm, vma, vpn, pfn, PMD_ORDER, T_WP, L_PMD, D_ALLOC, REASON.ALLOC_THP, k.rule(RULE_HUGE_ZERO_WP));
  return pfn + (vpn & 511);
}

/** do_anonymous_page: zeropage on read; on write the largest enabled mTHP order that fits, else order 0. */
function doAnonymousPage(k: Kernel, mm: Mm, vma: Vma, vpn: number, t: PteTable, kind: number): number {
  const i = vpn & 511;
  if (kind === FAULT_READ) {
    t.pfn[i] = ZERO_PFN;
    t.flags[i] = PTE_PRESENT;
    record(k, mm, vma, vpn, ZERO_PFN, 0, T_ANON, L_PTE, D_ALLOC, REASON.MAP_ZEROPAGE, k.rule(RULE_ZERO_READ));
    return ZERO_PFN;
  }
  if (kind === FAULT_UNSHARE) {
    // A R/O long-term pin of an unpopulated page: GUP faults it in as a write would (FOLL_LONGTERM breaks COW early).
    kind = FAULT_WRITE;
  }
  let order = 0;
  let f = -1;
  let fellBack = false;
  if (k.policy.mthp) {
    for (let o = PMD_ORDER - 1; o >= 2 && f < 0; o--) {
      if (!thpOrderAllowed(k, vma, o)) continue;
      const nr = 1 << o;
      const s = vpn - (vpn & (nr - 1));
      if (s < vma.start || s + nr > vma.end) continue;
      let none = true;
      for (let j = s & 511, e = j + nr; j < e; j++) if (t.flags[j] !== 0) none = false;
      if (!none) continue;
      f = allocAnonFolio(k, o);
      if (f >= 0) order = o;
      else fellBack = true;
    }
  }
  if (f < 0) f = allocAnonFolio(k, 0);
  if (f < 0) k.oom(`order-0 page for ${vma.name}[${vpn - vma.base}]`);
  const m = k.mem;
  const nr = 1 << order;
  const pfn = m.fPfn[f];
  const s = vpn - (vpn & (nr - 1));
  const flags = PTE_PRESENT | PTE_DIRTY | PTE_SOFT_DIRTY | (vma.prot === PROT_RW ? PTE_WRITE : 0);
  for (let j = 0; j < nr; j++) {
    t.pfn[(s & 511) + j] = pfn + j;
    t.flags[(s & 511) + j] = flags;
  }
  m.fRef[f] = nr;
  addPtes(k, f, pfn, nr, mm.mmId, true, true);
  mm.rss += nr;
  k.touch(pfn);
  k.trace.event(EV['folio-alloc'], k.step, mm.index, k.vmaName(vma), s - vma.base, s, pfn, order, -1);
  k.ev.clear();
  const reason = order > 0 ? REASON.ALLOC_MTHP : fellBack ? REASON.ALLOC_FALLBACK_ORDER0 : REASON.ALLOC_NEW_FOLIO;
  record(k, mm, vma, vpn, pfn + (vpn - s), order, T_ANON, L_PTE, D_ALLOC, reason, k.rule(order > 0 ? RULE_ANON_MTHP : RULE_ANON));
  return pfn + (vpn - s);
}

/**
 * do_huge_pmd_wp_page (v6.7..v6.15 alike, kernel-semantics 2.3). Returns the
 * pfn when the PMD was reused, or -1 after splitting the PMD (VM_FAULT_FALLBACK).
 */
function doHugePmdWpPage(k: Kernel, mm: Mm, vma: Vma, vpn: number, pmdIdx: number, kind: number): number {
  const pt = mm.pt;
  const m = k.mem;
  const head = pt.pmdPfn[pmdIdx];
  const f = m.frFolio[head];
  const unshare = kind === FAULT_UNSHARE;
  const type = unshare ? T_UNSHARE : T_WP;
  const rule = k.rule(RULE_HUGE_WP);
  const ev = k.ev.clear();
  const pae = (m.frFlags[head] & FR_ANON_EXCLUSIVE) !== 0;
  ev.folio(m.fRef[f], m.fMap[f], m.fEntire[f], PMD_NR).pins(m.fPin[f]).page(m.frMapcount[head] + m.fEntire[f], pae);
  let reason = -1;
  if (pae) reason = REASON.REUSE_ANON_EXCLUSIVE;
  else {
    const inCache = (m.fFlags[f] & F_SWAPCACHE) !== 0;
    ev.inSwapcache(inCache);
    if (m.fRef[f] <= 1 + (inCache ? PMD_NR : 0)) {
      if (inCache) folioFreeSwap(k, f);
      if (m.fRef[f] === 1) {
        m.frFlags[head] |= FR_ANON_EXCLUSIVE;
        reason = REASON.REUSE_REFCOUNT_ONE;
      }
    }
  }
  if (reason >= 0) {
    if (!unshare) pt.pmdFlags[pmdIdx] |= PTE_WRITE | PTE_DIRTY | PTE_SOFT_DIRTY;
    k.touch(head);
    record(k, mm, vma, vpn, head, PMD_ORDER, type, L_PMD, D_REUSE, reason, rule);
    return head + (vpn & 511);
  }
  record(k, mm, vma, vpn, head, PMD_ORDER, type, L_PMD, D_SPLIT, REASON.SPLIT_PMD_FALLBACK, rule);
  splitHugePmd(k, mm, pmdIdx, `${unshare ? 'unshare' : 'write'} fault could not reuse the THP (refcount ${m.fRef[f]})`);
  k.ev.clear();
  return -1;
}

/** do_wp_page for an anon PTE (write or unshare), kernel-semantics 2.2; the policy decides reuse. */
function doWpPage(k: Kernel, mm: Mm, vma: Vma, vpn: number, t: PteTable, unshare: boolean): number {
  const m = k.mem;
  const i = vpn & 511;
  const pfn = t.pfn[i];
  const type = unshare ? T_UNSHARE : T_WP;
  if (isZeroPfn(pfn)) {
    // wp_page_copy from the shared zeropage: a new zeroed order-0 page.
    const nf = wpPageCopy(k, mm, vma, vpn, t, -1, unshare);
    record(k, mm, vma, vpn, nf, 0, type, L_PTE, D_ALLOC, REASON.ALLOC_ZEROPAGE_COPY, k.rule(RULE_ZERO_COPY));
    return nf;
  }
  const f = m.frFolio[pfn];
  const ev = k.ev;
  let v: number;
  if (m.frFlags[pfn] & FR_ANON_EXCLUSIVE) {
    ev.folio(m.fRef[f], m.fMap[f], m.fEntire[f], 1 << m.fOrder[f]).page(m.frMapcount[pfn], true);
    v = REASON.REUSE_ANON_EXCLUSIVE | (k.rule(RULE_PAE) << 8);
  } else {
    v = k.policy.wpCanReuse(k, f, mm.mmId, ev);
    ev.page(m.frMapcount[pfn] + m.fEntire[f], false);
  }
  const reason = verdictReason(v);
  const order = m.fOrder[f];
  if (isReuse(reason)) {
    if (!(m.frFlags[pfn] & FR_ANON_EXCLUSIVE)) {
      m.frFlags[pfn] |= FR_ANON_EXCLUSIVE;
      m.fFlags[f] |= F_POLICY_REUSED;
    }
    if (!unshare) {
      // wp_page_reuse: young, dirty, writable (VM_WRITE); counts PGREUSE.
      t.flags[i] |= PTE_DIRTY | PTE_SOFT_DIRTY | (vma.prot === PROT_RW ? PTE_WRITE : 0);
      k.stat.pgreuse++;
      mm.pgreuse++;
    }
    k.touch(pfn);
    record(k, mm, vma, vpn, pfn, order, type, L_PTE, D_REUSE, reason, verdictRule(v));
    if (m.frMapcount[pfn] > 1) {
      // Only a wrong reuse gets here (rmapid's u64 overflow): say what a debug kernel would have done.
      k.note('policy-note', mm, 'page mapcount > 1 at reuse: the CONFIG_DEBUG_VM loop of WIP patch 10/20 would have refused (not part of production decisions)', vma.name, vpn - vma.base, vpn, pfn, order);
    }
    return pfn;
  }
  const nf = wpPageCopy(k, mm, vma, vpn, t, f, unshare);
  k.stat.cow_copies++;
  mm.cowCopies++;
  // The event names the faulting page; the folio-alloc event before it names the copy.
  record(k, mm, vma, vpn, pfn, order, type, L_PTE, D_COPY, reason, verdictRule(v));
  return nf;
}

/**
 * wp_page_copy: a new PageAnonExclusive order-0 page with the old contents,
 * mapped writable (or R/O for unshare, keeping soft-dirty), then the old page's
 * mapping and reference are dropped and its swapcache freed if unused.
 */
function wpPageCopy(k: Kernel, mm: Mm, vma: Vma, vpn: number, t: PteTable, oldF: number, unshare: boolean): number {
  const m = k.mem;
  const i = vpn & 511;
  const oldPfn = t.pfn[i];
  const oldFlags = t.flags[i];
  const nf = allocAnonFolio(k, 0);
  if (nf < 0) k.oom(`copy of ${vma.name}[${vpn - vma.base}]`);
  const npfn = m.fPfn[nf];
  m.frData[npfn] = m.frData[oldPfn];
  m.fRef[nf] = 1;
  addPtes(k, nf, npfn, 1, mm.mmId, true, true);
  t.pfn[i] = npfn;
  t.flags[i] = unshare
    ? PTE_PRESENT | (oldFlags & PTE_SOFT_DIRTY)
    : PTE_PRESENT | PTE_DIRTY | PTE_SOFT_DIRTY | (vma.prot === PROT_RW ? PTE_WRITE : 0);
  k.trace.event(EV['folio-alloc'], k.step, mm.index, k.vmaName(vma), vpn - vma.base, vpn, npfn, 0, -1);
  k.touch(npfn);
  if (oldF >= 0) {
    removePtes(k, oldF, oldPfn, 1, mm.mmId);
    // free_swap_cache: an unmapped swapcache folio leaves the cache.
    if (m.fFlags[oldF] & F_SWAPCACHE && m.fMap[oldF] === 0) folioFreeSwap(k, oldF);
    putFolio(k, oldF, 1);
  } else {
    mm.rss++; // the zeropage was not counted
  }
  return npfn;
}

/**
 * do_swap_page: find the page in the swapcache or read it into a new order-0
 * folio there, drop the swap entry's count, map it. Exclusive (PAE, writable if
 * allowed) when the swap PTE carried the exclusive marker or nothing else holds
 * the folio (v6.15 logic; swap device without SWP_SYNCHRONOUS_IO).
 */
function doSwapPage(k: Kernel, mm: Mm, vma: Vma, vpn: number, t: PteTable, kind: number): number {
  const m = k.mem;
  const s = k.swap;
  const i = vpn & 511;
  const slot = t.pfn[i];
  const swpFlags = t.flags[i];
  let f = s.cache[slot];
  let decision = D_REUSE;
  if (f < 0) {
    f = allocAnonFolio(k, 0);
    if (f < 0) k.oom(`swap-in of ${vma.name}[${vpn - vma.base}]`);
    m.frData[m.fPfn[f]] = s.data[slot];
    addToSwapcache(k, f, slot);
    k.stat.pswpin++;
    decision = D_ALLOC;
    k.note('swap-in', mm, 'swap_read_folio into a new order-0 page in the swapcache', vma.name, vpn - vma.base, vpn, m.fPfn[f], 0);
  }
  const pfn = m.fPfn[f] + (slot - m.fSwap[f]);
  m.fRef[f]++; // the reference the new mapping will own
  s.count[slot]--;
  mm.swapents--;
  // should_try_to_free_swap: a write fault where only we and the swapcache hold the folio.
  if (kind === FAULT_WRITE && m.fRef[f] === 1 + (1 << m.fOrder[f])) folioFreeSwap(k, f);
  const exclusive = (swpFlags & PTE_SWP_EXCLUSIVE) !== 0 || m.fRef[f] === 1;
  let flags = PTE_PRESENT | (swpFlags & PTE_SOFT_DIRTY);
  if (exclusive && vma.prot === PROT_RW && !needsSoftDirtyWp(vma, flags)) {
    flags |= PTE_WRITE;
    if (kind === FAULT_WRITE) flags |= PTE_DIRTY | PTE_SOFT_DIRTY;
  }
  t.pfn[i] = pfn;
  t.flags[i] = flags;
  addPtes(k, f, pfn, 1, mm.mmId, exclusive, false);
  if (!exclusive) m.frFlags[pfn] &= ~FR_ANON_EXCLUSIVE;
  mm.rss++;
  k.touch(pfn);
  const ev = k.ev.clear();
  ev.folio(m.fRef[f], m.fMap[f], m.fEntire[f], 1 << m.fOrder[f]).inSwapcache((m.fFlags[f] & F_SWAPCACHE) !== 0).page(m.frMapcount[pfn], exclusive);
  record(k, mm, vma, vpn, pfn, m.fOrder[f], T_SWAPIN, L_PTE, decision, exclusive ? REASON.REUSE_SWAP_EXCLUSIVE : REASON.SWAPIN_SHARED, k.rule(RULE_SWAPIN));
  return pfn;
}
