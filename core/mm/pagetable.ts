// Two-level page tables of one mm: a PMD directory (none / huge / table) indexed
// by `vpn >> 9`, and 512-entry PTE tables as typed arrays (pfn or swap slot,
// plus the PTE_* bits of constants.ts).

import { PMD_NONE, PMD_NR } from './constants';

export class PteTable {
  readonly pfn = new Int32Array(PMD_NR);
  readonly flags = new Uint8Array(PMD_NR);
}

export class PageTable {
  pmdKind = new Uint8Array(64);
  /** Head pfn of a huge PMD. */
  pmdPfn = new Int32Array(64);
  pmdFlags = new Uint8Array(64);
  tables: (PteTable | undefined)[] = [];
  /** Logical memory (the oracle's POSIX view), 512 bytes per PMD range, lazily allocated. */
  logical: (Uint8Array | undefined)[] = [];

  /** Drop everything (exit_mmap after the zap). */
  reset(): void {
    this.pmdKind = new Uint8Array(64);
    this.pmdPfn = new Int32Array(64);
    this.pmdFlags = new Uint8Array(64);
    this.tables = [];
    this.logical = [];
  }

  ensure(pmdIdx: number): void {
    if (pmdIdx < this.pmdKind.length) return;
    let n = this.pmdKind.length;
    while (n <= pmdIdx) n *= 2;
    const k = new Uint8Array(n);
    k.set(this.pmdKind);
    const p = new Int32Array(n);
    p.set(this.pmdPfn);
    const f = new Uint8Array(n);
    f.set(this.pmdFlags);
    this.pmdKind = k;
    this.pmdPfn = p;
    this.pmdFlags = f;
  }

  kind(pmdIdx: number): number {
    return pmdIdx < this.pmdKind.length ? this.pmdKind[pmdIdx] : PMD_NONE;
  }

  logicalGet(vpn: number): number {
    const c = this.logical[vpn >>> 9];
    return c === undefined ? 0 : c[vpn & 511];
  }

  logicalSet(vpn: number, b: number): void {
    const i = vpn >>> 9;
    let c = this.logical[i];
    if (c === undefined) {
      if (b === 0) return;
      c = this.logical[i] = new Uint8Array(PMD_NR);
    }
    c[vpn & 511] = b;
  }

  logicalZero(start: number, end: number): void {
    for (let v = start; v < end; ) {
      const i = v >>> 9;
      const stop = Math.min(end, (i + 1) * PMD_NR);
      const c = this.logical[i];
      if (c !== undefined) c.fill(0, v & 511, (v & 511) + (stop - v));
      v = stop;
    }
  }
}
