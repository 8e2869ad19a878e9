// The rmap-ID arithmetic of David Hildenbrand's WIP series "mm: precise 'mapped
// shared' vs. 'mapped exclusively' detection for PTE-mapped THP" (Nov 2023,
// kernel-semantics.md 1.3 to 1.7):
//
// - patch 07 ("mm/rmap_id: track if one ore multiple MMs map a partially-mappable
//   folio") gives every mm a 24-bit rmap ID and every large folio up to six
//   64-bit "rmap values"; each (un)map of k pages by mm M adds k * subid_j(M)
//   to value j, wrapping like an unsigned long;
// - patch 09 compares the values with mapcount * subid_j(M)
//   (`__folio_has_large_matching_rmap_val`): equal for every j means "every
//   mapping is M's", as long as the sums never wrapped;
// - patch 11 ("support for 1, 2 and 3 values by manual calculation") fixes the
//   class layout below and computes a sub-ID by reading the ID chunk's bits as
//   base-(n+1) digits (`calc_rmap_subid`);
// - patches 06/16/18 protect the values with an atomic seqcount; we keep the
//   patch-18 word layout so that an interleaving explorer can run writers step
//   by step.
//
// The arithmetic is exact unsigned 64-bit: BigUint64Array stores reduce every
// sum modulo 2^64 exactly as the kernel's atomic_long wraps, which is what makes
// the order 6..9 class overflow (section 9 item 1) reproducible.

export interface RmapClass {
  /** Pages of the largest order in the class; sub-ID digits are base n+1. */
  readonly n: number;
  /** Rmap values used (`_rmap_val0` ..). */
  readonly nrValues: number;
  /** ID bits per value (chunk j = bits [j*chunkBits, (j+1)*chunkBits)). */
  readonly chunkBits: number;
}

export const RMAP_ID_MAX = 2 ** 24 - 1;
export const RMAP_MAX_ORDER = 15;
export const RMAP_MAX_VALUES = 6;

const CLASSES: readonly RmapClass[] = [
  { n: 4, nrValues: 1, chunkBits: 24 },
  { n: 32, nrValues: 2, chunkBits: 12 },
  { n: 512, nrValues: 3, chunkBits: 8 },
  { n: 1024, nrValues: 4, chunkBits: 6 },
  { n: 4096, nrValues: 5, chunkBits: 5 },
  { n: 32768, nrValues: 6, chunkBits: 4 },
].map((c) => Object.freeze(c));

/** Class index per folio order 0..15. */
const CLASS_OF_ORDER = [0, 0, 0, 1, 1, 1, 2, 2, 2, 2, 3, 4, 4, 5, 5, 5];

function classIndex(order: number): number {
  const c = CLASS_OF_ORDER[order];
  if (c === undefined) throw new RangeError(`rmap IDs support folio orders 0..${RMAP_MAX_ORDER}, not ${order}`);
  return c;
}

export function rmapClass(order: number): RmapClass {
  return CLASSES[classIndex(order)];
}

/** Sum of (n+1)^i over the set bits i of `chunk`, as an unsigned long. */
export function calcRmapSubid(n: number, chunk: number): bigint {
  const base = BigInt(n + 1);
  let pow = 1n;
  let subid = 0n;
  for (let bits = chunk; bits > 0; bits = Math.floor(bits / 2)) {
    if (bits % 2 === 1) subid += pow;
    pow *= base;
  }
  return BigInt.asUintN(64, subid);
}

const subidCache: Map<number, readonly bigint[]>[] = CLASSES.map(() => new Map());

/** The sub-IDs of rmap ID `rmapId` for the class of `order`; index j is for `_rmap_valj`. */
export function rmapSubids(order: number, rmapId: number): readonly bigint[] {
  const ci = classIndex(order);
  const cache = subidCache[ci];
  let subids = cache.get(rmapId);
  if (subids === undefined) {
    if (!Number.isInteger(rmapId) || rmapId < 0 || rmapId > RMAP_ID_MAX) {
      throw new RangeError(`rmap ID ${rmapId} is outside 0..${RMAP_ID_MAX}`);
    }
    const { n, nrValues, chunkBits } = CLASSES[ci];
    const chunkMask = 2 ** chunkBits - 1;
    const list: bigint[] = [];
    for (let j = 0; j < nrValues; j++) {
      list.push(calcRmapSubid(n, Math.floor(rmapId / 2 ** (j * chunkBits)) & chunkMask));
    }
    subids = Object.freeze(list);
    cache.set(rmapId, subids);
  }
  return subids;
}

// Seqcount word, patch 18 layout on 64-bit: shared writers in bits 0..15, exclusive
// writer attempts in bits 16..31, the sequence above. We keep the sequence modulo
// 2^21 so the whole word stays an exact JavaScript number (< 2^53); readers only
// compare words for equality, so the narrower wrap changes nothing observable.
export const RMAP_SEQ_SHARED_UNIT = 1;
export const RMAP_SEQ_EXCLUSIVE_UNIT = 2 ** 16;
export const RMAP_SEQ_STEP = 2 ** 32;
const RMAP_SEQ_WRAP = 2 ** 53;

/** True when a writer is inside (any of bits 0..31 set): the patch-10 reader must give up. */
export function rmapSeqHasWriters(seq: number): boolean {
  return seq % RMAP_SEQ_STEP !== 0;
}

export class RmapValues {
  private capacity: number;
  /** Folio slot f uses vals[f*6 .. f*6+5]. */
  private vals: BigUint64Array;
  private seqs: Float64Array;

  constructor(capacity: number) {
    this.capacity = capacity;
    this.vals = new BigUint64Array(capacity * RMAP_MAX_VALUES);
    this.seqs = new Float64Array(capacity);
  }

  grow(capacity: number): void {
    if (capacity <= this.capacity) return;
    const vals = new BigUint64Array(capacity * RMAP_MAX_VALUES);
    vals.set(this.vals);
    const seqs = new Float64Array(capacity);
    seqs.set(this.seqs);
    this.vals = vals;
    this.seqs = seqs;
    this.capacity = capacity;
  }

  /** `__folio_prep_large_rmap`: all values and the seqcount 0. */
  reset(folio: number): void {
    this.vals.fill(0n, folio * RMAP_MAX_VALUES, (folio + 1) * RMAP_MAX_VALUES);
    this.seqs[folio] = 0;
  }

  /** First map of a new folio (`folio_add_new_anon_rmap`): value j = count * subid_j. */
  set(folio: number, order: number, count: number, rmapId: number): void {
    const subids = rmapSubids(order, rmapId);
    const base = folio * RMAP_MAX_VALUES;
    const k = BigInt(count);
    this.vals.fill(0n, base, base + RMAP_MAX_VALUES);
    for (let j = 0; j < subids.length; j++) this.vals[base + j] = k * subids[j];
  }

  /** (Un)map of |delta| pages by the mm with `rmapId`: value j += delta * subid_j, mod 2^64. */
  add(folio: number, order: number, delta: number, rmapId: number): void {
    const subids = rmapSubids(order, rmapId);
    const base = folio * RMAP_MAX_VALUES;
    const k = BigInt(delta);
    const vals = this.vals;
    // The typed-array store reduces a negative or oversized sum modulo 2^64.
    for (let j = 0; j < subids.length; j++) vals[base + j] = vals[base + j] + k * subids[j];
  }

  values(folio: number, order: number): bigint[] {
    const base = folio * RMAP_MAX_VALUES;
    return Array.from(this.vals.subarray(base, base + rmapClass(order).nrValues));
  }

  /** What the values are when all `mapcount` mappings belong to the mm with `rmapId`. */
  expected(order: number, mapcount: number, rmapId: number): bigint[] {
    const m = BigInt(mapcount);
    return rmapSubids(order, rmapId).map((s) => BigInt.asUintN(64, m * s));
  }

  /** `__folio_has_large_matching_rmap_val` (patch 09): every used value == mapcount * subid. */
  matches(folio: number, order: number, mapcount: number, rmapId: number): boolean {
    const subids = rmapSubids(order, rmapId);
    const base = folio * RMAP_MAX_VALUES;
    const m = BigInt(mapcount);
    for (let j = 0; j < subids.length; j++) {
      if (this.vals[base + j] !== BigInt.asUintN(64, m * subids[j])) return false;
    }
    return true;
  }

  seq(folio: number): number {
    return this.seqs[folio];
  }

  /**
   * Writer entry (patch 18). With no writer inside, the writer takes the exclusive
   * unit and returns true; otherwise it registers as a shared writer and returns
   * false (the kernel then spins until the exclusive field is clear; a caller that
   * interleaves writers must let the exclusive one finish first). In a sequential
   * run every writer is exclusive.
   */
  writerBegin(folio: number): boolean {
    const s = this.seqs[folio];
    const exclusive = !rmapSeqHasWriters(s);
    this.seqs[folio] = s + (exclusive ? RMAP_SEQ_EXCLUSIVE_UNIT : RMAP_SEQ_SHARED_UNIT);
    return exclusive;
  }

  /**
   * Writer exit: drop this writer's unit and advance the sequence one step. While
   * the exclusive field is set, shared writers are still waiting in writerBegin,
   * so the writer that ends is the exclusive one.
   */
  writerEnd(folio: number): void {
    const s = this.seqs[folio];
    const writers = s % RMAP_SEQ_STEP;
    if (writers === 0) throw new Error(`rmap seqcount of folio slot ${folio}: writerEnd without writerBegin`);
    const unit = writers >= RMAP_SEQ_EXCLUSIVE_UNIT ? RMAP_SEQ_EXCLUSIVE_UNIT : RMAP_SEQ_SHARED_UNIT;
    const next = s - unit + RMAP_SEQ_STEP;
    this.seqs[folio] = next >= RMAP_SEQ_WRAP ? next - RMAP_SEQ_WRAP : next;
  }
}
