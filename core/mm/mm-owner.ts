// MM owner tracking for large folios as merged in v6.15 (commit 6af8cb80d3a9,
// "mm/rmap: basic MM owner tracking for large folios (!hugetlb)", and
// 003fde4492c8 for `folio_maybe_mapped_shared`); kernel-semantics.md 3.2 to 3.4.
//
// Each large folio remembers up to two mms with their number of mappings
// (`_mm_id[2]`, `_mm_id_mapcount[2]`) plus a "maybe mapped shared" bit, all kept
// under a per-folio bit spinlock together with the large mapcount. A third mm
// that maps the folio while both slots are taken is simply not tracked; the
// bit is then already set and stays set until a slot is freed (or an untracked
// mm unmaps) and one slot alone accounts for every mapping. The result is never
// a false "exclusive", but can be a stale "maybe shared" (section 8, trace T3).
//
// Counts are logical here (free slot: id 0, count 0); the kernel stores them
// biased by -1 in a 32-bit int, so a slot overflows past 2^31 mappings.

/** MM_ID_DUMMY: the id of a free slot. */
export const MM_ID_FREE = 0;
/** mm_id_t on 64-bit: 31 bits (MM_ID_MAX), 0 = MM_ID_DUMMY. */
export const MM_ID_MAX = 2 ** 31 - 1;
const SLOT_COUNT_MAX = 2 ** 31;

export class MmOwnerSlots {
  private capacity: number;
  /** Total (large) mapcount per folio slot. */
  private totals: Int32Array;
  /** Folio f: slot s at index 2*f+s. */
  private ids: Int32Array;
  private counts: Uint32Array;
  private sharedBit: Uint8Array;

  constructor(capacity: number) {
    this.capacity = capacity;
    this.totals = new Int32Array(capacity);
    this.ids = new Int32Array(capacity * 2);
    this.counts = new Uint32Array(capacity * 2);
    this.sharedBit = new Uint8Array(capacity);
  }

  grow(capacity: number): void {
    if (capacity <= this.capacity) return;
    const totals = new Int32Array(capacity);
    totals.set(this.totals);
    const ids = new Int32Array(capacity * 2);
    ids.set(this.ids);
    const counts = new Uint32Array(capacity * 2);
    counts.set(this.counts);
    const sharedBit = new Uint8Array(capacity);
    sharedBit.set(this.sharedBit);
    this.totals = totals;
    this.ids = ids;
    this.counts = counts;
    this.sharedBit = sharedBit;
    this.capacity = capacity;
  }

  /**
   * Room for folio `folio`. Only large folios are tracked, so the arrays grow
   * when a large folio first lands on a higher slot, not with every order-0 copy.
   */
  private ensure(folio: number): void {
    if (folio >= this.capacity) this.grow(Math.max(this.capacity * 2, folio + 1));
  }

  /** Compound-page preparation: no mappings, both slots free, bit clear. */
  reset(folio: number): void {
    this.ensure(folio);
    this.totals[folio] = 0;
    this.freeSlot(2 * folio);
    this.freeSlot(2 * folio + 1);
    this.sharedBit[folio] = 0;
  }

  /** `folio_set_large_mapcount`: first map of a new folio, `k` mappings by `mmId`. */
  set(folio: number, k: number, mmId: number): void {
    this.reset(folio);
    this.totals[folio] = k;
    this.ids[2 * folio] = mmId;
    this.counts[2 * folio] = k;
  }

  /** `folio_add_large_mapcount`: `k` more mappings by `mmId` (fault, fork, swap-in, split batch). */
  add(folio: number, k: number, mmId: number): void {
    this.ensure(folio);
    const before = this.totals[folio];
    this.totals[folio] = before + k;
    const s0 = 2 * folio;
    const s1 = s0 + 1;
    if (this.ids[s0] === mmId) {
      this.addToSlot(folio, s0, k);
    } else if (this.ids[s1] === mmId) {
      this.addToSlot(folio, s1, k);
    } else if (this.ids[s0] === MM_ID_FREE) {
      this.ids[s0] = mmId;
      this.counts[s0] = k;
      // Slot 0 may be free while an untracked mm still maps the folio.
      if (before !== 0) this.sharedBit[folio] = 1;
    } else if (this.ids[s1] === MM_ID_FREE) {
      this.ids[s1] = mmId;
      this.counts[s1] = k;
      this.sharedBit[folio] = 1;
    }
    // Otherwise both slots belong to other mms: `mmId` stays untracked and the
    // bit is already set (a second mm took slot 1 earlier).
  }

  /** `folio_sub_large_mapcount`: `k` mappings of `mmId` removed (zap, COW, unmap, PMD removal). */
  sub(folio: number, k: number, mmId: number): void {
    this.ensure(folio);
    const total = this.totals[folio] - k;
    this.totals[folio] = total;
    const s0 = 2 * folio;
    const slot = this.ids[s0] === mmId ? s0 : this.ids[s0 + 1] === mmId ? s0 + 1 : -1;
    if (slot >= 0) {
      const left = this.counts[slot] - k;
      if (left >= 1) {
        this.counts[slot] = left;
        return;
      }
      this.freeSlot(slot);
    }
    // A slot was freed or an untracked mm unmapped: exclusive again iff one slot
    // holds every mapping (a fully unmapped folio has total 0 == a free slot's 0).
    if (this.counts[s0] === total || this.counts[s0 + 1] === total) this.sharedBit[folio] = 0;
  }

  /** `folio_maybe_mapped_shared` for a large folio: false at <= 1 mapping, else the bit. */
  maybeMappedShared(folio: number): boolean {
    return this.totals[folio] > 1 && this.sharedBit[folio] === 1;
  }

  /** Slot `s` (0 or 1) without allocating: for per-fault evidence in the engine's hot path. */
  slotId(folio: number, s: number): number {
    return this.ids[2 * folio + s];
  }
  slotCount(folio: number, s: number): number {
    return this.counts[2 * folio + s];
  }

  slots(folio: number): { mmId: number; mapcount: number }[] {
    const s0 = 2 * folio;
    return [
      { mmId: this.ids[s0], mapcount: this.counts[s0] },
      { mmId: this.ids[s0 + 1], mapcount: this.counts[s0 + 1] },
    ];
  }

  total(folio: number): number {
    return this.totals[folio];
  }

  private addToSlot(folio: number, slot: number, k: number): void {
    const count = this.counts[slot] + k;
    if (count > SLOT_COUNT_MAX) {
      // The biased 32-bit counter would overflow: stop tracking this mm.
      this.freeSlot(slot);
      this.sharedBit[folio] = 1;
    } else {
      this.counts[slot] = count;
    }
  }

  private freeSlot(slot: number): void {
    this.ids[slot] = MM_ID_FREE;
    this.counts[slot] = 0;
  }
}
