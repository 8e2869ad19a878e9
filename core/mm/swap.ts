// Swap space: slots with a swap count (swap PTEs referencing them), the byte
// written there, and the swapcache link slot -> folio (mm/swapfile.c,
// mm/swap_state.c in miniature). Contiguous runs serve large folios.

export class SwapSpace {
  readonly nrSlots: number;
  count: Int32Array;
  data: Uint8Array;
  /** Swapcache folio slot holding this swap slot, or -1. */
  cache: Int32Array;
  private next = 0;
  private readonly freeList: number[] = [];
  used = 0;

  constructor(nrSlots: number) {
    this.nrSlots = Math.max(0, Math.floor(nrSlots));
    const n = Math.min(this.nrSlots, 1024);
    this.count = new Int32Array(n);
    this.data = new Uint8Array(n);
    this.cache = new Int32Array(n).fill(-1);
  }

  private grow(need: number): void {
    let n = Math.max(this.count.length, 1);
    if (need <= this.count.length) return;
    while (n < need) n *= 2;
    n = Math.min(n, this.nrSlots);
    const c = new Int32Array(n);
    c.set(this.count);
    const d = new Uint8Array(n);
    d.set(this.data);
    const k = new Int32Array(n).fill(-1);
    k.set(this.cache);
    this.count = c;
    this.data = d;
    this.cache = k;
  }

  /** `nr` contiguous free slots (first one returned), or -1 when swap is full or fragmented. */
  alloc(nr: number): number {
    let s: number;
    if (nr === 1 && this.freeList.length > 0) {
      s = this.freeList.pop()!;
    } else {
      if (this.next + nr > this.nrSlots) return -1;
      s = this.next;
      this.next += nr;
      this.grow(this.next);
    }
    this.count.fill(0, s, s + nr);
    this.cache.fill(-1, s, s + nr);
    this.used += nr;
    return s;
  }

  /** Free a slot once nothing references it (no swap PTE, not in the swapcache). */
  maybeFree(slot: number): void {
    if (this.count[slot] === 0 && this.cache[slot] < 0) {
      this.freeList.push(slot);
      this.used--;
      this.count[slot] = -1; // marks "free" so a second call is a no-op
    }
  }
}
