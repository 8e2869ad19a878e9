// VMAs of one mm: a sorted array of non-overlapping [start, end) page ranges.
// Splitting at a boundary and merging equal neighbours model vma_modify /
// vma_merge closely enough for the operations of the scenario language.

// A class, not object literals: every VMA has one V8 hidden class, so the
// fault path's reads of it stay monomorphic.
export class Vma {
  /** Interned trace string of `name` (cached by the trace recorder), -1 = not yet. */
  nameIdx = -1;
  constructor(
    public start: number, // vpn
    public end: number, // vpn, exclusive
    public prot: number, // PROT_*
    public flags: number, // VM_*
    /** The scenario's mapping name and the vpn of its page 0 (page index = vpn - base). */
    public name: string,
    public base: number,
  ) {}

  /** A copy of this VMA from `start` to its end (vma split, dup_mmap). */
  slice(start = this.start): Vma {
    const v = new Vma(start, this.end, this.prot, this.flags, this.name, this.base);
    v.nameIdx = this.nameIdx;
    return v;
  }
}

export function findVma(vmas: Vma[], vpn: number): Vma | undefined {
  let lo = 0;
  let hi = vmas.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const v = vmas[mid];
    if (vpn < v.start) hi = mid - 1;
    else if (vpn >= v.end) lo = mid + 1;
    else return v;
  }
  return undefined;
}

/** Split the VMA containing `vpn` so that a VMA starts at `vpn` (no-op if one already does). */
export function splitAt(vmas: Vma[], vpn: number): void {
  const i = vmas.findIndex((v) => v.start < vpn && vpn < v.end);
  if (i < 0) return;
  const v = vmas[i];
  vmas.splice(i + 1, 0, v.slice(vpn));
  v.end = vpn;
}

/** VMAs fully inside [start, end) after splitting at both ends. */
export function vmasIn(vmas: Vma[], start: number, end: number): Vma[] {
  splitAt(vmas, start);
  splitAt(vmas, end);
  return vmas.filter((v) => v.start >= start && v.end <= end);
}

/** Pages of [start, end) not covered by any VMA (0 = fully mapped). */
export function unmappedPages(vmas: Vma[], start: number, end: number): number {
  let covered = 0;
  for (const v of vmas) covered += Math.max(0, Math.min(end, v.end) - Math.max(start, v.start));
  return end - start - covered;
}

/** Merge adjacent VMAs with identical attributes (vma_merge). */
export function mergeVmas(vmas: Vma[]): void {
  for (let i = vmas.length - 1; i > 0; i--) {
    const a = vmas[i - 1];
    const b = vmas[i];
    if (a.end === b.start && a.prot === b.prot && a.flags === b.flags && a.name === b.name && a.base === b.base) {
      a.end = b.end;
      vmas.splice(i, 1);
    }
  }
}

export function removeRange(vmas: Vma[], start: number, end: number): void {
  splitAt(vmas, start);
  splitAt(vmas, end);
  for (let i = vmas.length - 1; i >= 0; i--) {
    if (vmas[i].start >= start && vmas[i].end <= end) vmas.splice(i, 1);
  }
}

export function insertVma(vmas: Vma[], v: Vma): void {
  let i = 0;
  while (i < vmas.length && vmas[i].start < v.start) i++;
  vmas.splice(i, 0, v);
}
