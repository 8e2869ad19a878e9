// The one interface every kernel generation implements. The engine keeps the
// same folio state for all of them; each policy owns its tracking structure
// (rmap values, MM slots, ...) and is the only one that consults it.

import type { PolicyId } from '../../lang/ast';
import type { EvidenceScratch } from '../trace';
import type { Kernel } from '../kernel';

/** Which kernel's deferred-split queueing rule the policy follows (kernel-semantics 5.2). */
export type DeferredSplitRule = 'v6.7' | 'v6.9' | 'v6.12';

/**
 * A decision packed in one number (no allocation per fault): the index into
 * REASON_CODES (REUSE_* = reuse, COPY_* = copy) in the low 8 bits, the interned
 * rule string (kernel function and version) above.
 */
export type WpVerdict = number;
export const verdict = (reason: number, rule: number): WpVerdict => reason | (rule << 8);
export const verdictReason = (v: WpVerdict): number => v & 0xff;
export const verdictRule = (v: WpVerdict): number => v >>> 8;

export interface Policy {
  readonly id: PolicyId;
  /** The kernel release whose non-COW paths this policy follows (shown in docs and views). */
  readonly base: string;
  /** mTHP orders from the `thp` header at anonymous faults (v6.8+). */
  readonly mthp: boolean;
  readonly deferredSplit: DeferredSplitRule;
  /** split_huge_page maps all-zero subpages to the shared zeropage (v6.12+). */
  readonly splitToZeropage: boolean;
  /**
   * A write fault on the huge zeropage allocates a THP (do_huge_zero_wp_pmd,
   * "newer kernels" in kernel-semantics 2.3); older kernels split the zero PMD.
   */
  readonly hugeZeroWpAllocates: boolean;

  /** mm creation / `__mmdrop`: the policy's per-mm ID (0 when it has none). */
  mmCreate(): number;
  mmDrop(id: number): void;

  /**
   * Tracking of large folios, called on every map/unmap; `delta` may be negative.
   * `growFolios` sizes the tracking for a first `capacity` slots; beyond them it
   * grows on demand when a large folio is first tracked on a higher slot.
   */
  growFolios(capacity: number): void;
  folioSet(f: number, order: number, count: number, mmId: number): void;
  folioAdd(f: number, order: number, delta: number, mmId: number): void;
  folioReset(f: number): void;

  /**
   * `wp_can_reuse_anon_folio`: may a write (or unshare) fault on a
   * non-PageAnonExclusive page of anon folio `f`, faulted by the mm with
   * `mmId`, reuse the page? Fills `ev` with what it looked at.
   */
  wpCanReuse(k: Kernel, f: number, mmId: number, ev: EvidenceScratch): WpVerdict;

  /** Tracking state for views (rmap values / MM slots). */
  folioState(f: number, order: number): { rmapValues?: string[]; rmapSeq?: number; mmSlots?: { mmId: number; mapcount: number }[]; maybeMappedShared?: boolean } | undefined;
}
