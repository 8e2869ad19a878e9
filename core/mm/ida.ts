// The ID allocator the kernel uses for per-mm IDs (lib/idr.c, `ida_alloc_range`):
// an allocation returns the lowest free ID in [min, max], a freed ID becomes
// the first candidate again. The 2023 rmap-ID series allocates `mm->mm_rmap_id`
// this way in [1, 2^24-1] (patch 07, "mm/rmap_id: track if one ore multiple MMs
// map a partially-mappable folio"), and v6.15 allocates `mm->mm_id` in
// [1, 2^31-1] (commit 6af8cb80d3a9, "mm/rmap: basic MM owner tracking for large
// folios"); both free the ID in `__mmdrop`. kernel-semantics.md 0.2.
//
// IDs handed out so far lie in [min, next); the freed ones among them are kept
// in a binary min-heap, so alloc and free cost O(log n), never O(max).

export class Ida {
  private readonly min: number;
  private readonly max: number;
  /** Lowest ID never handed out. */
  private next: number;
  /** Freed IDs below `next`, as a min-heap. */
  private readonly holes: number[] = [];
  private readonly live = new Set<number>();

  constructor(min: number, max: number) {
    if (!Number.isSafeInteger(min) || !Number.isSafeInteger(max) || min < 0 || max < min) {
      throw new RangeError(`Ida: invalid range [${min}, ${max}]`);
    }
    this.min = min;
    this.max = max;
    this.next = min;
  }

  /** Lowest free ID >= min; RangeError when every ID up to max is taken. */
  alloc(): number {
    let id: number;
    if (this.holes.length > 0) {
      id = this.popHole();
    } else if (this.next <= this.max) {
      id = this.next++;
    } else {
      throw new RangeError(`Ida: all IDs in [${this.min}, ${this.max}] are in use`);
    }
    this.live.add(id);
    return id;
  }

  free(id: number): void {
    if (!this.live.delete(id)) throw new RangeError(`Ida: freeing ID ${id} that is not allocated`);
    this.pushHole(id);
  }

  private pushHole(id: number): void {
    const h = this.holes;
    let i = h.length;
    h.push(id);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (h[parent] <= id) break;
      h[i] = h[parent];
      i = parent;
    }
    h[i] = id;
  }

  private popHole(): number {
    const h = this.holes;
    const top = h[0];
    const last = h.pop() as number;
    if (h.length > 0) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= h.length) break;
        const c = l + 1 < h.length && h[l + 1] < h[l] ? l + 1 : l;
        if (h[c] >= last) break;
        h[i] = h[c];
        i = c;
      }
      h[i] = last;
    }
    return top;
  }
}
