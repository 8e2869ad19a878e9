// split_huge_page / split_folio to order 0 (mm/huge_memory.c, kernel-semantics
// 5.3): refused unless every reference is a mapping or the swapcache's
// (folio_expected_ref_count == refcount - 1 with the caller's ref); PMD
// mappings are split first; each page becomes an order-0 folio keeping its
// mappings and PageAnonExclusive; unmapped pages are freed; from v6.12 an
// all-zero page is remapped to the shared zeropage.

import { F_ANON, F_LRU, F_POLICY_REUSED, F_SWAPCACHE, PMD_ORDER, PTE_PRESENT, ZERO_PFN } from './constants';
import type { Kernel } from './kernel';
import { putFolio } from './rmap';
import { rmapWalk } from './rmap-walk';
import { splitHugePmd } from './split-pmd';

/** Split folio `f` to order 0. Returns an error sentence when the kernel would refuse. */
export function splitFolio(k: Kernel, f: number): string | null {
  const m = k.mem;
  const order = m.fOrder[f];
  if (order === 0) return null;
  const nr = 1 << order;
  const pfn = m.fPfn[f];
  const inCache = (m.fFlags[f] & F_SWAPCACHE) !== 0;
  const expected = m.fMap[f] + (inCache ? nr : 0);
  if (m.fRef[f] !== expected) {
    if (order === PMD_ORDER) k.stat.thp_split_page_failed++;
    const why = `-EAGAIN: refcount ${m.fRef[f]} but only ${expected} expected from mappings${inCache ? ' and swapcache' : ''} (pinned or GUP references)`;
    k.note('split-folio-failed', null, `split refused: ${why}`, undefined, -1, -1, pfn, order);
    return why;
  }
  // Unmap: PMD mappings are split (freeze) first; PTE mappings stay in place.
  for (const r of rmapWalk(k, new Set([f])).get(f) ?? []) {
    if (r.pmd) splitHugePmd(k, r.mm, r.vpn >>> 9, 'folio split');
  }
  k.policy.folioReset(f);
  const firstSlot = m.fSwap[f];
  const baseFlags = m.fFlags[f] & (F_ANON | F_LRU | F_SWAPCACHE);
  m.fOrder[f] = 0;
  m.fFlags[f] = baseFlags | (m.fFlags[f] & F_POLICY_REUSED);
  const slots: number[] = [f];
  for (let i = 1; i < nr; i++) slots.push(m.newSlotFor(pfn + i, 0, baseFlags));
  for (let i = 0; i < nr; i++) {
    const g = slots[i];
    const mc = m.frMapcount[pfn + i];
    m.fMap[g] = mc;
    m.fEntire[g] = 0;
    m.fNrMapped[g] = mc > 0 ? 1 : 0;
    m.fPin[g] = 0;
    m.fRef[g] = mc + (inCache ? 1 : 0);
    if (inCache) {
      m.fSwap[g] = firstSlot + i;
      k.swap.cache[firstSlot + i] = g;
    } else m.fSwap[g] = -1;
  }
  if (order === PMD_ORDER) k.stat.thp_split_page++;
  k.note('split-folio', null, `split into ${nr} order-0 folios`, undefined, -1, -1, pfn, order);
  if (k.policy.splitToZeropage && !inCache) remapZeroPages(k, slots);
  for (const g of slots) if (m.fRef[g] === 0) putFolio(k, g, 0);
  return null;
}

/** TTU_USE_SHARED_ZEROPAGE (v6.12+): mapped all-zero pages become the shared zeropage. */
function remapZeroPages(k: Kernel, slots: number[]): void {
  const m = k.mem;
  const zero = new Set(slots.filter((g) => m.fMap[g] > 0 && m.frData[m.fPfn[g]] === 0));
  if (zero.size === 0) return;
  for (const [g, refs] of rmapWalk(k, zero)) {
    for (const r of refs) {
      const t = r.mm.pt.tables[r.vpn >>> 9]!;
      const i = r.vpn & 511;
      t.pfn[i] = ZERO_PFN;
      t.flags[i] = PTE_PRESENT;
      r.mm.rss--;
      m.frMapcount[m.fPfn[g]]--;
      m.fMap[g]--;
      m.fNrMapped[g] = 0;
      m.fRef[g]--;
    }
  }
}

