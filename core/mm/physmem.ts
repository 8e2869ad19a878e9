// Physical memory: per-frame state, the folio table and a buddy allocator of
// naturally aligned blocks of order 0..9, all in flat typed arrays grown by
// doubling (about 11 bytes per frame plus ~30 bytes per live folio).
//
// Folios are identified by a slot number (reused lowest-last, deterministic);
// `frFolio[pfn]` names the folio a frame belongs to.

import { alignUp, F_ANON, F_LRU, FIRST_PFN, MAX_ORDER } from './constants';

function grownI32(a: Int32Array, n: number, fill = 0): Int32Array {
  const b = new Int32Array(n);
  b.set(a);
  if (fill !== 0) b.fill(fill, a.length);
  return b;
}
function grownU8(a: Uint8Array, n: number): Uint8Array {
  const b = new Uint8Array(n);
  b.set(a);
  return b;
}
function grownI8(a: Int8Array, n: number, fill: number): Int8Array {
  const b = new Int8Array(n);
  b.set(a);
  b.fill(fill, a.length);
  return b;
}

export class PhysMem {
  /** Allocatable frames are [FIRST_PFN, limit). */
  readonly limit: number;
  // ---- frames, indexed by pfn
  frFolio: Int32Array;
  /** Per-page PTE mapcount (logical, 0 = unmapped). PMD mappings count in fEntire. */
  frMapcount: Int32Array;
  frFlags: Uint8Array;
  /** Page contents: one byte stands for the whole 4K page. */
  frData: Uint8Array;
  /** Order of the free block starting here, or -1. */
  private freeOrder: Int8Array;
  private readonly freeLists: number[][] = [];
  /** Bit o set: free list o is not empty (it may still hold only stale entries). */
  private freeMask = 0;
  /** Frames at or above `top` were never handed out. */
  private top = FIRST_PFN;
  used = 0;
  peak = 0;
  // ---- folios, indexed by slot
  fPfn: Int32Array;
  fOrder: Uint8Array;
  fRef: Int32Array;
  fPin: Int32Array;
  /** Total mapcount: PTE mappings + PMD mappings. */
  fMap: Int32Array;
  fEntire: Int32Array;
  /** Pages with a PTE mapcount > 0 (`nr_pages_mapped` without the entire bias). */
  fNrMapped: Int32Array;
  fFlags: Uint8Array;
  /** First swap slot while in the swapcache, else -1. */
  fSwap: Int32Array;
  private readonly freeSlots: number[] = [];
  nSlots = 0;
  constructor(memoryPages: number) {
    this.limit = FIRST_PFN + Math.max(0, Math.floor(memoryPages));
    const n = Math.min(this.limit, FIRST_PFN * 2);
    this.frFolio = new Int32Array(n).fill(-1);
    this.frMapcount = new Int32Array(n);
    this.frFlags = new Uint8Array(n);
    this.frData = new Uint8Array(n);
    this.freeOrder = new Int8Array(n).fill(-1);
    for (let o = 0; o <= MAX_ORDER; o++) this.freeLists.push([]);
    const c = 4096;
    this.fPfn = new Int32Array(c);
    this.fOrder = new Uint8Array(c);
    this.fRef = new Int32Array(c);
    this.fPin = new Int32Array(c);
    this.fMap = new Int32Array(c);
    this.fEntire = new Int32Array(c);
    this.fNrMapped = new Int32Array(c);
    this.fFlags = new Uint8Array(c);
    this.fSwap = new Int32Array(c).fill(-1);
  }

  get folioCapacity(): number {
    return this.fPfn.length;
  }

  private growFrames(need: number): void {
    let n = this.frFolio.length;
    if (need <= n) return;
    while (n < need) n *= 2;
    n = Math.min(Math.max(n, need), this.limit);
    this.frFolio = grownI32(this.frFolio, n, -1);
    this.frMapcount = grownI32(this.frMapcount, n);
    this.frFlags = grownU8(this.frFlags, n);
    this.frData = grownU8(this.frData, n);
    this.freeOrder = grownI8(this.freeOrder, n, -1);
  }

  private pushFree(pfn: number, order: number): void {
    this.freeOrder[pfn] = order;
    this.freeLists[order].push(pfn);
    this.freeMask |= 1 << order;
  }

  /** A naturally aligned block of 2^order frames, or -1 when none is free. */
  allocFrames(order: number): number {
    // Only the non-empty lists are visited: a run of allocations with nothing
    // freed (a COW copy per fault) goes straight to the bump allocator below.
    for (let o = order; o <= MAX_ORDER && this.freeMask >>> o !== 0; o++) {
      if (!(this.freeMask & (1 << o))) continue;
      const list = this.freeLists[o];
      while (list.length > 0) {
        const pfn = list.pop()!;
        // Lazy deletion: merged buddies leave stale entries behind.
        if (this.freeOrder[pfn] !== o) continue;
        if (list.length === 0) this.freeMask &= ~(1 << o);
        this.freeOrder[pfn] = -1;
        for (let s = o - 1; s >= order; s--) this.pushFree(pfn + (1 << s), s);
        return this.took(pfn, order);
      }
      this.freeMask &= ~(1 << o);
    }
    const size = 1 << order;
    let pfn = this.top;
    const aligned = alignUp(pfn - FIRST_PFN, size) + FIRST_PFN;
    if (aligned + size > this.limit) return -1;
    this.growFrames(aligned + size);
    // The alignment gap becomes free blocks of the largest fitting orders.
    while (pfn < aligned) {
      let o = 0;
      while (o < order && (pfn - FIRST_PFN) % (2 << o) === 0 && pfn + (2 << o) <= aligned) o++;
      this.pushFree(pfn, o);
      pfn += 1 << o;
    }
    this.top = aligned + size;
    return this.took(aligned, order);
  }

  private took(pfn: number, order: number): number {
    this.used += 1 << order;
    if (this.used > this.peak) this.peak = this.used;
    return pfn;
  }

  freeFrames(pfn: number, order: number): void {
    this.used -= 1 << order;
    while (order < MAX_ORDER) {
      const buddy = FIRST_PFN + ((pfn - FIRST_PFN) ^ (1 << order));
      if (buddy + (1 << order) > this.top || this.freeOrder[buddy] !== order) break;
      this.freeOrder[buddy] = -1;
      pfn = Math.min(pfn, buddy);
      order++;
    }
    this.pushFree(pfn, order);
  }

  /** A new anon folio of `order` (zero-filled, refcount 0, unmapped), or -1 when memory is short. */
  allocFolio(order: number): number {
    const pfn = this.allocFrames(order);
    if (pfn < 0) return -1;
    // Large folios go to the LRU at once; small ones after the (drained) batch.
    const f = this.initSlot(pfn, order, F_ANON | F_LRU);
    if (order === 0) {
      // The common COW case: plain stores beat four fill() calls.
      this.frFolio[pfn] = f;
      this.frMapcount[pfn] = 0;
      this.frFlags[pfn] = 0;
      this.frData[pfn] = 0;
    } else {
      const end = pfn + (1 << order);
      this.frFolio.fill(f, pfn, end);
      this.frMapcount.fill(0, pfn, end);
      this.frFlags.fill(0, pfn, end);
      this.frData.fill(0, pfn, end);
    }
    return f;
  }

  /** Give the frames back; the caller has dropped every reference. */
  freeFolio(f: number): void {
    const pfn = this.fPfn[f];
    const order = this.fOrder[f];
    if (order === 0) this.frFolio[pfn] = -1;
    else this.frFolio.fill(-1, pfn, pfn + (1 << order));
    this.fRef[f] = 0;
    this.fFlags[f] = 0;
    this.fPfn[f] = -1;
    this.freeSlots.push(f);
    this.freeFrames(pfn, order);
  }

  /** A new folio slot for frames that already belong to another folio (folio split). */
  newSlotFor(pfn: number, order: number, flags: number): number {
    const f = this.initSlot(pfn, order, flags);
    this.frFolio.fill(f, pfn, pfn + (1 << order));
    return f;
  }

  /** A free folio slot describing `pfn`/`order`, unreferenced and unmapped. */
  private initSlot(pfn: number, order: number, flags: number): number {
    let f = this.freeSlots.pop();
    if (f === undefined) {
      f = this.nSlots++;
      if (f >= this.fPfn.length) this.growFolios(this.fPfn.length * 2);
    }
    this.fPfn[f] = pfn;
    this.fOrder[f] = order;
    this.fRef[f] = 0;
    this.fPin[f] = 0;
    this.fMap[f] = 0;
    this.fEntire[f] = 0;
    this.fNrMapped[f] = 0;
    this.fFlags[f] = flags;
    this.fSwap[f] = -1;
    return f;
  }

  private growFolios(n: number): void {
    this.fPfn = grownI32(this.fPfn, n);
    this.fOrder = grownU8(this.fOrder, n);
    this.fRef = grownI32(this.fRef, n);
    this.fPin = grownI32(this.fPin, n);
    this.fMap = grownI32(this.fMap, n);
    this.fEntire = grownI32(this.fEntire, n);
    this.fNrMapped = grownI32(this.fNrMapped, n);
    this.fFlags = grownU8(this.fFlags, n);
    this.fSwap = grownI32(this.fSwap, n, -1);
  }
}
