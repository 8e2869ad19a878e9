// Rules shared by every generation: the small-folio logic of
// `wp_can_reuse_anon_folio` (mm/memory.c, v6.7 through v6.15; kernel-semantics 2.2).

import { F_SWAPCACHE } from '../constants';
import type { Kernel } from '../kernel';
import { folioFreeSwap } from '../swapcache';
import { REASON, type EvidenceScratch } from '../trace';
import { verdict, type WpVerdict } from './types';

/** The evidence every rule starts from: the folio's counters. */
export function folioEvidence(k: Kernel, f: number, ev: EvidenceScratch): EvidenceScratch {
  const m = k.mem;
  return ev
    .folio(m.fRef[f], m.fMap[f], m.fEntire[f], 1 << m.fOrder[f])
    .pins(m.fPin[f])
    .inSwapcache((m.fFlags[f] & F_SWAPCACHE) !== 0);
}

/**
 * Small-folio reuse (v6.7+, `wp_can_reuse_anon_folio` without the large-folio
 * branch): refcount > 3 -> copy; (lru_add_drain: the engine's single CPU has
 * drained its LRU batch, so no batch reference is left); refcount > 1 +
 * swapcache -> copy; in swapcache -> folio_free_swap; refcount == 1 -> reuse
 * (folio_move_anon_rmap).
 */
export function smallFolioRule(k: Kernel, f: number, ev: EvidenceScratch, rule: number): WpVerdict {
  folioEvidence(k, f, ev);
  const m = k.mem;
  const inCache = (m.fFlags[f] & F_SWAPCACHE) !== 0;
  if (m.fRef[f] > 3) return verdict(REASON.COPY_REFCOUNT_GT_ONE, rule);
  if (m.fRef[f] > 1 + (inCache ? 1 : 0)) return verdict(REASON.COPY_REFCOUNT_GT_ONE, rule);
  if (inCache) folioFreeSwap(k, f);
  if (m.fRef[f] !== 1) {
    return verdict(m.fFlags[f] & F_SWAPCACHE ? REASON.COPY_SWAPCACHE : REASON.COPY_REFCOUNT_GT_ONE, rule);
  }
  return verdict(REASON.REUSE_REFCOUNT_ONE, rule);
}

/** Policies without per-folio tracking. */
export abstract class UntrackedPolicy {
  mmCreate(): number {
    return 0;
  }
  mmDrop(): void {}
  growFolios(): void {}
  folioSet(): void {}
  folioAdd(): void {}
  folioReset(): void {}
  folioState(): undefined {
    return undefined;
  }
}
