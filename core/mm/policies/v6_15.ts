// Upstream v6.15: MM owner tracking (commit 6af8cb80d3a9 "mm/rmap: basic MM
// owner tracking for large folios (!hugetlb)") and COW reuse of PTE-mapped THP
// (commit 1da190f4d0a6, `__wp_can_reuse_large_anon_folio`); kernel-semantics
// 3.3 and 3.5. Later paths follow v6.12+ (PG_partially_mapped, split to zeropage).

import { F_SWAPCACHE } from '../constants';
import { Ida } from '../ida';
import type { Kernel } from '../kernel';
import { MM_ID_MAX, MmOwnerSlots } from '../mm-owner';
import { folioFreeSwap } from '../swapcache';
import { defineRule } from '../rules';
import { REASON, type EvidenceScratch } from '../trace';
import { folioEvidence, smallFolioRule } from './legacy';
import { verdict, type Policy, type WpVerdict } from './types';

const RULE_SMALL = defineRule('wp_can_reuse_anon_folio (v6.15): small folio, reuse at refcount 1');
const RULE_LARGE = defineRule('__wp_can_reuse_large_anon_folio (v6.15, commit 1da190f4d0a6)');

export class PolicyV615 implements Policy {
  readonly id = 'v6.15' as const;
  readonly base = 'v6.15';
  readonly mthp = true;
  readonly deferredSplit = 'v6.12' as const;
  readonly splitToZeropage = true;
  readonly hugeZeroWpAllocates = true;
  private readonly ida = new Ida(1, MM_ID_MAX);
  readonly slots = new MmOwnerSlots(64);

  mmCreate(): number {
    return this.ida.alloc();
  }
  mmDrop(id: number): void {
    this.ida.free(id);
  }
  growFolios(capacity: number): void {
    this.slots.grow(capacity);
  }
  folioSet(f: number, _order: number, count: number, mmId: number): void {
    this.slots.set(f, count, mmId);
  }
  folioAdd(f: number, _order: number, delta: number, mmId: number): void {
    if (delta > 0) this.slots.add(f, delta, mmId);
    else this.slots.sub(f, -delta, mmId);
  }
  folioReset(f: number): void {
    this.slots.reset(f);
  }
  folioState(f: number): { mmSlots: { mmId: number; mapcount: number }[]; maybeMappedShared: boolean } {
    return { mmSlots: this.slots.slots(f), maybeMappedShared: this.slots.maybeMappedShared(f) };
  }

  wpCanReuse(k: Kernel, f: number, _mmId: number, ev: EvidenceScratch): WpVerdict {
    const m = k.mem;
    if (m.fOrder[f] === 0) return smallFolioRule(k, f, ev, k.rule(RULE_SMALL));
    const rule = k.rule(RULE_LARGE);
    folioEvidence(k, f, ev);
    const shared = this.slots.maybeMappedShared(f);
    const o = this.slots;
    ev.mmSlots(o.slotId(f, 0), o.slotCount(f, 0), o.slotId(f, 1), o.slotCount(f, 1), shared);
    if (m.fMap[f] <= 1) return verdict(REASON.COPY_SINGLE_PAGE_FREES_FOLIO, rule);
    if (shared) return verdict(REASON.COPY_MAYBE_SHARED_BIT, rule);
    if (m.fFlags[f] & F_SWAPCACHE) folioFreeSwap(k, f); // trylock always succeeds here
    if (m.fMap[f] !== m.fRef[f]) {
      return verdict(m.fFlags[f] & F_SWAPCACHE ? REASON.COPY_SWAPCACHE : REASON.COPY_REFCOUNT_NE_MAPCOUNT, rule);
    }
    // Under the large-mapcount bit lock the same two checks repeat; a sequential run sees the same answer.
    return verdict(REASON.REUSE_ALL_MAPPINGS_OURS, rule);
  }
}
