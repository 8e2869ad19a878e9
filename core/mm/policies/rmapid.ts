// The 2023 proposal on a v6.7-rc1 base: "mm/memory: COW reuse support for
// PTE-mapped THP with rmap IDs" (WIP patch 10/20, 24 Nov 2023,
// 20231124132626.235350-11-david@redhat.com) with the rmap-ID math of patches
// 07/11 (kernel-semantics 1.3-1.8). Values wrap modulo 2^64 exactly like the
// kernel's, so the order-6..9 overflow of section 9 item 1 is reachable.

import { Ida } from '../ida';
import type { Kernel } from '../kernel';
import { RMAP_ID_MAX, RmapValues, rmapSeqHasWriters } from '../rmap-id';
import { defineRule } from '../rules';
import { REASON, type EvidenceScratch } from '../trace';
import { folioEvidence, smallFolioRule } from './legacy';
import { verdict, type Policy, type WpVerdict } from './types';

const RULE_SMALL = defineRule('wp_can_reuse_anon_folio (v6.7-rc1): small folio, reuse at refcount 1');
const RULE_RMAP_ID = defineRule('wp_can_reuse_anon_folio + CONFIG_RMAP_ID (WIP patch 10/20, Nov 2023)');
const RULE_DEBUG_VM = defineRule('wp_can_reuse_anon_folio CONFIG_DEBUG_VM check: page_mapcount > 1 (WIP patch 10/20)');

export class PolicyRmapId implements Policy {
  readonly id = 'rmapid' as const;
  readonly base = 'v6.7-rc1 + rmap-ID WIP series';
  /** The WIP predates mTHP; mTHP folios are tracked with count = P (section 9 item 4). */
  readonly mthp = true;
  readonly deferredSplit = 'v6.7' as const;
  readonly splitToZeropage = false;
  readonly hugeZeroWpAllocates = false;
  private readonly ida = new Ida(1, RMAP_ID_MAX);
  private readonly vals = new RmapValues(64);
  // One-entry memo of the last decision's folio: its values only change with its
  // seqcount (every update is a writer section), so a run of faults on one folio
  // copies the evidence words and does the limb products once. set/reset
  // (no writer section) invalidate it.
  private memoF = -1;
  private memoSeq = -1;
  private memoEv: EvidenceScratch | null = null;
  private memoMm = -1;
  private memoMap = -1;
  private memoMatch = false;

  mmCreate(): number {
    return this.ida.alloc();
  }
  mmDrop(id: number): void {
    this.ida.free(id);
  }
  growFolios(capacity: number): void {
    this.vals.grow(capacity);
  }
  folioSet(f: number, order: number, count: number, mmId: number): void {
    // folio_add_new_anon_rmap: the folio is not visible yet, no seqcount.
    this.vals.set(f, order, count, mmId);
    if (f === this.memoF) this.memoF = -1;
  }
  folioAdd(f: number, order: number, delta: number, mmId: number): void {
    // Every (un)map is one writer section (patches 07/17); sequentially always exclusive.
    this.vals.writerBegin(f);
    this.vals.add(f, order, delta, mmId);
    this.vals.writerEnd(f);
  }
  folioReset(f: number): void {
    this.vals.reset(f);
    if (f === this.memoF) this.memoF = -1;
  }
  folioState(f: number, order: number): { rmapValues: string[]; rmapSeq: number } {
    return { rmapValues: this.vals.values(f, order).map(String), rmapSeq: this.vals.seq(f) };
  }

  wpCanReuse(k: Kernel, f: number, mmId: number, ev: EvidenceScratch): WpVerdict {
    const m = k.mem;
    const order = m.fOrder[f];
    if (order === 0) return smallFolioRule(k, f, ev, k.rule(RULE_SMALL));
    const rule = k.rule(RULE_RMAP_ID);
    folioEvidence(k, f, ev);
    const start = this.vals.seq(f);
    if (f !== this.memoF || start !== this.memoSeq || ev !== this.memoEv) {
      // Only this policy writes ev.rmapWords, so on a memo hit they still hold this folio's values.
      this.memoF = f;
      this.memoSeq = start;
      this.memoEv = ev;
      this.memoMm = -1;
      this.vals.copyWords(f, order, ev.rmapWords);
    }
    ev.rmap(mmId, start);
    if (rmapSeqHasWriters(start)) return verdict(REASON.COPY_SEQCOUNT_WRITER, rule);
    const mapcount = m.fMap[f];
    if (mapcount > 1 << order) return verdict(REASON.COPY_MAPCOUNT_GT_NR_PAGES, rule);
    if (m.fEntire[f] > 0) return verdict(REASON.COPY_ENTIRE_MAPPED, rule);
    if (m.fRef[f] !== mapcount) return verdict(REASON.COPY_REFCOUNT_NE_MAPCOUNT, rule);
    if (mmId !== this.memoMm || mapcount !== this.memoMap) {
      this.memoMm = mmId;
      this.memoMap = mapcount;
      this.memoMatch = this.vals.matches(f, order, mapcount, mmId);
    }
    if (!this.memoMatch) return verdict(REASON.COPY_MAPPED_BY_OTHER_MM, rule);
    if (this.vals.seq(f) !== start) return verdict(REASON.COPY_SEQCOUNT_WRITER, rule);
    if (k.opts.debugVm) {
      // CONFIG_DEBUG_VM-only checks of the patch: a page mapped twice refuses reuse.
      const pfn = m.fPfn[f];
      for (let i = 0; i < 1 << order; i++) {
        if (m.frMapcount[pfn + i] > 1) return verdict(REASON.COPY_MAPPED_BY_OTHER_MM, k.rule(RULE_DEBUG_VM));
      }
    }
    return verdict(REASON.REUSE_ALL_MAPPINGS_OURS, rule);
  }
}
