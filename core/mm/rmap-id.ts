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
// The arithmetic is exact unsigned 64-bit without BigInt on the hot path: a
// value is two 32-bit limbs (lo, hi) in a Uint32Array, products are built from
// 16/32-bit partial products that stay exact in doubles, and every store
// reduces modulo 2^32 per limb, so sums wrap modulo 2^64 exactly as the
// kernel's atomic_long does; that is what makes the order 6..9 class overflow
// (section 9 item 1) reproducible.

// Numeric constants first: esbuild inlines only a module's leading constants
// (core/mm/trace-layout.ts says why that matters).
export const RMAP_ID_MAX = 2 ** 24 - 1;
export const RMAP_MAX_ORDER = 15;
export const RMAP_MAX_VALUES = 6;
const TWO32 = 2 ** 32;
const TWO16 = 2 ** 16;

// Seqcount word, patch 18 layout on 64-bit: shared writers in bits 0..15, exclusive
// writer attempts in bits 16..31, the sequence above. We keep the sequence modulo
// 2^21 so the whole word stays an exact JavaScript number (< 2^53); readers only
// compare words for equality, so the narrower wrap changes nothing observable.
export const RMAP_SEQ_SHARED_UNIT = 1;
export const RMAP_SEQ_EXCLUSIVE_UNIT = 2 ** 16;
export const RMAP_SEQ_STEP = 2 ** 32;
const RMAP_SEQ_WRAP = 2 ** 53;

/** Words per folio slot: lo/hi limbs of up to six values. */
const SLOT_WORDS = 2 * RMAP_MAX_VALUES;

export interface RmapClass {
  /** Pages of the largest order in the class; sub-ID digits are base n+1. */
  readonly n: number;
  /** Rmap values used (`_rmap_val0` ..). */
  readonly nrValues: number;
  /** ID bits per value (chunk j = bits [j*chunkBits, (j+1)*chunkBits)). */
  readonly chunkBits: number;
}

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

// Result limbs of mulU64. A typed array, not two module-level numbers: a number
// past 2^31 stored in a variable is boxed as a new heap number on every store,
// which made each rmapid (un)map allocate.
const prod = new Uint32Array(2);

/**
 * (hi * 2^32 + lo) * d modulo 2^64 into prod[0] (lo) / prod[1] (hi), for a safe
 * integer d >= 0. Stores into the Uint32Array reduce modulo 2^32 exactly (for
 * integers, negative ones included), so only the carry out of the low limb
 * needs care: below 2^21, lo * d < 2^53 is exact; above, the low limb times
 * d's low 32 bits is split at 16 bits so every partial product stays below 2^53.
 */
function mulU64(lo: number, hi: number, d: number): void {
  if (d < 0x200000) {
    // The common case: d is a page count or a mapcount.
    const p = lo * d;
    const pLo = p >>> 0;
    prod[0] = pLo;
    prod[1] = (p - pLo) / TWO32 + Math.imul(d, hi);
    return;
  }
  const dl = d >>> 0;
  const dh = (d - dl) / TWO32;
  const a = dl * (lo & 0xffff);
  const b = dl * (lo >>> 16);
  const bl = b & 0xffff;
  const s = a + bl * TWO16;
  const sLo = s >>> 0;
  prod[0] = sLo;
  prod[1] = (s - sLo) / TWO32 + (b - bl) / TWO16 + Math.imul(dl, hi) + Math.imul(dh, lo);
}

const u64 = (lo: number, hi: number): bigint => (BigInt(hi) << 32n) | BigInt(lo);

/** Sum of (n+1)^i over the set bits i of `chunk`, modulo 2^64, into limbs out[o], out[o+1]. */
function calcRmapSubidInto(n: number, chunk: number, out: Uint32Array, o: number): void {
  let powLo = 1;
  let powHi = 0;
  let lo = 0;
  let hi = 0;
  for (let bits = chunk; bits > 0; bits = Math.floor(bits / 2)) {
    if (bits % 2 === 1) {
      const l = lo + powLo;
      lo = l >>> 0;
      hi = (hi + powHi + (l >= TWO32 ? 1 : 0)) >>> 0;
    }
    mulU64(powLo, powHi, n + 1);
    powLo = prod[0];
    powHi = prod[1];
  }
  out[o] = lo;
  out[o + 1] = hi;
}

/** Sum of (n+1)^i over the set bits i of `chunk`, as an unsigned long. */
export function calcRmapSubid(n: number, chunk: number): bigint {
  const w = new Uint32Array(2);
  calcRmapSubidInto(n, chunk, w, 0);
  return u64(w[0], w[1]);
}

const limbCache: Map<number, Uint32Array>[] = CLASSES.map(() => new Map());
// One-entry memo in front of the cache: runs of updates come from one mm.
let memoClass = -1;
let memoId = -1;
let memoLimbs: Uint32Array = new Uint32Array(0);

/** The sub-IDs of `rmapId` for the class of `order` as limbs: lo of subid j at 2j, hi at 2j+1. */
export function rmapSubidLimbs(order: number, rmapId: number): Uint32Array {
  const ci = classIndex(order);
  if (ci === memoClass && rmapId === memoId) return memoLimbs;
  const cache = limbCache[ci];
  let limbs = cache.get(rmapId);
  if (limbs === undefined) {
    if (!Number.isInteger(rmapId) || rmapId < 0 || rmapId > RMAP_ID_MAX) {
      throw new RangeError(`rmap ID ${rmapId} is outside 0..${RMAP_ID_MAX}`);
    }
    const { n, nrValues, chunkBits } = CLASSES[ci];
    const chunkMask = 2 ** chunkBits - 1;
    limbs = new Uint32Array(2 * nrValues);
    for (let j = 0; j < nrValues; j++) calcRmapSubidInto(n, Math.floor(rmapId / 2 ** (j * chunkBits)) & chunkMask, limbs, 2 * j);
    cache.set(rmapId, limbs);
  }
  memoClass = ci;
  memoId = rmapId;
  memoLimbs = limbs;
  return limbs;
}

const subidCache: Map<number, readonly bigint[]>[] = CLASSES.map(() => new Map());

/** The sub-IDs of rmap ID `rmapId` for the class of `order`; index j is for `_rmap_valj`. */
export function rmapSubids(order: number, rmapId: number): readonly bigint[] {
  const cache = subidCache[classIndex(order)];
  let subids = cache.get(rmapId);
  if (subids === undefined) {
    const limbs = rmapSubidLimbs(order, rmapId);
    const list: bigint[] = [];
    for (let j = 0; j < limbs.length; j += 2) list.push(u64(limbs[j], limbs[j + 1]));
    subids = Object.freeze(list);
    cache.set(rmapId, subids);
  }
  return subids;
}

/** True when a writer is inside (any of bits 0..31 set): the patch-10 reader must give up. */
export function rmapSeqHasWriters(seq: number): boolean {
  return seq >>> 0 !== 0; // bits 0..31: seq mod 2^32 (RMAP_SEQ_STEP)
}

export class RmapValues {
  private capacity: number;
  /** Folio slot f, value j: lo limb at f*12 + 2j, hi limb at f*12 + 2j + 1. */
  private words: Uint32Array;
  private seqs: Float64Array;

  constructor(capacity: number) {
    this.capacity = capacity;
    this.words = new Uint32Array(capacity * SLOT_WORDS);
    this.seqs = new Float64Array(capacity);
  }

  grow(capacity: number): void {
    if (capacity <= this.capacity) return;
    const words = new Uint32Array(capacity * SLOT_WORDS);
    words.set(this.words);
    const seqs = new Float64Array(capacity);
    seqs.set(this.seqs);
    this.words = words;
    this.seqs = seqs;
    this.capacity = capacity;
  }

  /**
   * Room for slot `folio`. Only large folios are tracked, so the arrays grow
   * when a large folio first lands on a higher slot, not with every order-0 copy.
   */
  private ensure(folio: number): void {
    if (folio >= this.capacity) this.grow(Math.max(this.capacity * 2, folio + 1));
  }

  /** `__folio_prep_large_rmap`: all values and the seqcount 0. */
  reset(folio: number): void {
    this.ensure(folio);
    this.words.fill(0, folio * SLOT_WORDS, (folio + 1) * SLOT_WORDS);
    this.seqs[folio] = 0;
  }

  /** First map of a new folio (`folio_add_new_anon_rmap`): value j = count * subid_j. */
  set(folio: number, order: number, count: number, rmapId: number): void {
    this.ensure(folio);
    const sub = rmapSubidLimbs(order, rmapId);
    const w = this.words;
    const base = folio * SLOT_WORDS;
    w.fill(0, base, base + SLOT_WORDS);
    // count >= 0: a first map never has a negative count.
    for (let j = 0; j < sub.length; j += 2) {
      mulU64(sub[j], sub[j + 1], count);
      w[base + j] = prod[0];
      w[base + j + 1] = prod[1];
    }
  }

  /** (Un)map of |delta| pages by the mm with `rmapId`: value j += delta * subid_j, mod 2^64. */
  add(folio: number, order: number, delta: number, rmapId: number): void {
    this.ensure(folio);
    const sub = rmapSubidLimbs(order, rmapId);
    const w = this.words;
    const base = folio * SLOT_WORDS;
    const d = delta < 0 ? -delta : delta;
    // A negative delta subtracts |delta| * subid with a borrow (two's complement
    // of the addition); the Uint32Array stores reduce each limb modulo 2^32.
    for (let j = 0; j < sub.length; j += 2) {
      mulU64(sub[j], sub[j + 1], d);
      const i = base + j;
      if (delta >= 0) {
        const lo = w[i] + prod[0];
        w[i] = lo;
        w[i + 1] = w[i + 1] + prod[1] + (lo >= TWO32 ? 1 : 0);
      } else {
        const lo = w[i] - prod[0];
        w[i] = lo;
        w[i + 1] = w[i + 1] - prod[1] - (lo < 0 ? 1 : 0);
      }
    }
  }

  values(folio: number, order: number): bigint[] {
    const w = this.words;
    const base = folio * SLOT_WORDS;
    const out: bigint[] = [];
    for (let j = 0; j < rmapClass(order).nrValues; j++) out.push(u64(w[base + 2 * j], w[base + 2 * j + 1]));
    return out;
  }

  /** Limbs of the first `dst.length / 2` values into `dst` (lo, hi, ...), zero past the class's values. */
  copyWords(folio: number, order: number, dst: Int32Array): void {
    const w = this.words;
    const base = folio * SLOT_WORDS;
    const n = 2 * rmapClass(order).nrValues;
    for (let j = 0; j < dst.length; j++) dst[j] = j < n ? w[base + j] : 0;
  }

  /** What the values are when all `mapcount` mappings belong to the mm with `rmapId`. */
  expected(order: number, mapcount: number, rmapId: number): bigint[] {
    const m = BigInt(mapcount);
    return rmapSubids(order, rmapId).map((s) => BigInt.asUintN(64, m * s));
  }

  /** `__folio_has_large_matching_rmap_val` (patch 09): every used value == mapcount * subid. */
  matches(folio: number, order: number, mapcount: number, rmapId: number): boolean {
    const sub = rmapSubidLimbs(order, rmapId);
    const w = this.words;
    const base = folio * SLOT_WORDS;
    for (let j = 0; j < sub.length; j += 2) {
      mulU64(sub[j], sub[j + 1], mapcount);
      if (w[base + j] !== prod[0] || w[base + j + 1] !== prod[1]) return false;
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
    this.ensure(folio);
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
    const writers = s >>> 0; // s mod RMAP_SEQ_STEP
    if (writers === 0) throw new Error(`rmap seqcount of folio slot ${folio}: writerEnd without writerBegin`);
    const unit = writers >= RMAP_SEQ_EXCLUSIVE_UNIT ? RMAP_SEQ_EXCLUSIVE_UNIT : RMAP_SEQ_SHARED_UNIT;
    const next = s - unit + RMAP_SEQ_STEP;
    this.seqs[folio] = next >= RMAP_SEQ_WRAP ? next - RMAP_SEQ_WRAP : next;
  }
}
