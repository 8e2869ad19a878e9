// Folio map/unmap accounting (mm/rmap.c): per-page and total mapcounts, the
// entire (PMD) mapcount, PageAnonExclusive, the policy's tracking updated on
// every change, deferred-split queueing, and dropping references.

import {
  F_DEFERRED_SPLIT,
  F_PARTIALLY_MAPPED,
  F_SWAPCACHE,
  FR_ANON_EXCLUSIVE,
  PMD_ORDER,
} from './constants';
import type { Kernel } from './kernel';
import { EV } from './trace';

/** A new anon folio (zeroed), refcount 0 until its first mapping, or -1 when memory is short. */
export function allocAnonFolio(k: Kernel, order: number): number {
  const f = k.mem.allocFolio(order);
  if (f >= 0 && order > 0) k.policy.folioReset(f);
  return f;
}

/**
 * Add PTE mappings of pages [pfn, pfn+n) of folio `f` by mm `mmId`
 * (`folio_add_new_anon_rmap` when `isNew`, else `folio_add_anon_rmap_ptes` /
 * `folio_dup_file_rmap`-style dup). `exclusive` sets PageAnonExclusive (RMAP_EXCLUSIVE).
 * The caller takes the references.
 */
export function addPtes(k: Kernel, f: number, pfn: number, n: number, mmId: number, exclusive: boolean, isNew: boolean): void {
  const m = k.mem;
  const mc = m.frMapcount;
  let newly = 0;
  for (let p = pfn, e = pfn + n; p < e; p++) {
    if (mc[p]++ === 0) newly++;
    if (exclusive) m.frFlags[p] |= FR_ANON_EXCLUSIVE;
  }
  m.fNrMapped[f] += newly;
  m.fMap[f] += n;
  const order = m.fOrder[f];
  if (order > 0) {
    if (isNew) k.policy.folioSet(f, order, n, mmId);
    else k.policy.folioAdd(f, order, n, mmId);
  }
}

/** Remove PTE mappings of [pfn, pfn+n) by mm `mmId` (`folio_remove_rmap_ptes`). References are the caller's. */
export function removePtes(k: Kernel, f: number, pfn: number, n: number, mmId: number): void {
  const m = k.mem;
  const mc = m.frMapcount;
  const order = m.fOrder[f];
  m.fMap[f] -= n;
  if (order > 0) k.policy.folioAdd(f, order, -n, mmId);
  let gone = 0;
  for (let p = pfn, e = pfn + n; p < e; p++) if (--mc[p] === 0) gone++;
  m.fNrMapped[f] -= gone;
  if (gone > 0 && order > 0) maybeDeferredSplit(k, f, false);
}

/** Map folio `f` by one PMD (`folio_add_new_anon_rmap` / `folio_add_anon_rmap_pmd`). */
export function addPmd(k: Kernel, f: number, mmId: number, exclusive: boolean, isNew: boolean): void {
  const m = k.mem;
  m.fEntire[f]++;
  m.fMap[f]++;
  if (exclusive) m.frFlags[m.fPfn[f]] |= FR_ANON_EXCLUSIVE;
  if (isNew) k.policy.folioSet(f, m.fOrder[f], 1, mmId);
  else k.policy.folioAdd(f, m.fOrder[f], 1, mmId);
}

/** `folio_remove_rmap_pmd`. */
export function removePmd(k: Kernel, f: number, mmId: number): void {
  const m = k.mem;
  m.fEntire[f]--;
  m.fMap[f]--;
  k.policy.folioAdd(f, m.fOrder[f], -1, mmId);
  const nr = 1 << m.fOrder[f];
  // Pages that were mapped only through this PMD are unmapped now.
  if (m.fEntire[f] === 0 && m.fNrMapped[f] > 0 && m.fNrMapped[f] < nr) maybeDeferredSplit(k, f, true);
}

/**
 * `deferred_split_folio` after an unmap that fully unmapped some page
 * (kernel-semantics 5.2), by the policy's kernel generation:
 * - v6.7 (`page_remove_rmap`): PMD-mappable anon folios, on any PTE unmap that
 *   fully unmapped a page, even when nothing stays mapped;
 * - v6.9 (`__folio_remove_rmap`): any anon large folio, only while some page is
 *   still mapped;
 * - v6.12+ (v6.15): as v6.9 and sets PG_partially_mapped, counted once.
 * Folios in the swapcache are never queued.
 */
function maybeDeferredSplit(k: Kernel, f: number, pmdRemoval: boolean): void {
  const m = k.mem;
  const flags = m.fFlags[f];
  const rule = k.policy.deferredSplit;
  // Already queued (the common case: every later COW of the folio), or in the swapcache.
  const queued = rule === 'v6.12' ? F_PARTIALLY_MAPPED : F_DEFERRED_SPLIT;
  if (flags & (queued | F_SWAPCACHE)) return;
  const order = m.fOrder[f];
  const stillMapped = m.fNrMapped[f] > 0 || m.fEntire[f] > 0;
  if (rule === 'v6.7') {
    if (order !== PMD_ORDER) return;
    if (pmdRemoval && !stillMapped) return;
  } else if (!stillMapped || order < 2) return;
  m.fFlags[f] = flags | F_DEFERRED_SPLIT | (rule === 'v6.12' ? F_PARTIALLY_MAPPED : 0);
  if (order === PMD_ORDER) k.stat.thp_deferred_split_page++;
  k.note('deferred-split', null, `partially mapped folio queued for deferred split (${rule} rule)`, undefined, -1, -1, m.fPfn[f], order);
}

/** Drop `n` references; the last one frees the folio (`folio_put_refs`). */
export function putFolio(k: Kernel, f: number, n: number): void {
  const m = k.mem;
  const r = (m.fRef[f] -= n);
  if (r > 0) return;
  if (r < 0) k.invariant('refcount >= 0', `folio at pfn ${m.fPfn[f]} dropped below zero references`, false);
  const pfn = m.fPfn[f];
  const order = m.fOrder[f];
  k.trace.event(EV['folio-free'], k.step, -1, -1, -1, -1, pfn, order, -1);
  if (order > 0) k.policy.folioReset(f);
  m.freeFolio(f);
}
