// The correctness oracle (engine-model.md): each process's logical memory
// (what POSIX says it reads) against what it reads through its page tables.
// A mismatch is a violation, reported once per page until the process writes
// that page again; the logical memory itself is never bent to the physical one.

import { F_SWAPCACHE, FR_PIPE, isZeroPfn, PMD_HUGE, PMD_NONE, PMD_TABLE, PTE_SWAP } from './constants';
import type { Kernel } from './kernel';
import type { Mm } from './mm';
import { findVma } from './vma';

/** The byte `mm` reads at `vpn` through its page tables (swap included), or -1 if unmapped. */
export function readThrough(k: Kernel, mm: Mm, vpn: number): number {
  const pfn = pfnAt(mm, vpn);
  if (pfn >= 0) return k.mem.frData[pfn];
  const pt = mm.pt;
  const idx = vpn >>> 9;
  if (pt.kind(idx) === PMD_TABLE) {
    const t = pt.tables[idx]!;
    const fl = t.flags[vpn & 511];
    if (fl & PTE_SWAP) {
      const slot = t.pfn[vpn & 511];
      const f = k.swap.cache[slot];
      if (f >= 0 && k.mem.fFlags[f] & F_SWAPCACHE) return k.mem.frData[k.mem.fPfn[f] + slot - k.mem.fSwap[f]];
      return k.swap.data[slot];
    }
  }
  return 0; // pte_none: a fault would map zeroes
}

/** The pfn mapped at `vpn` (PTE or PMD, zeropage included), or -1. */
export function pfnAt(mm: Mm, vpn: number): number {
  const pt = mm.pt;
  const idx = vpn >>> 9;
  const kind = pt.kind(idx);
  if (kind === PMD_HUGE) return pt.pmdPfn[idx] + (vpn & 511);
  if (kind === PMD_TABLE) {
    const t = pt.tables[idx]!;
    const fl = t.flags[vpn & 511];
    if (fl !== 0 && !(fl & PTE_SWAP)) return t.pfn[vpn & 511];
  }
  return -1;
}

function where(mm: Mm, vpn: number): [string | undefined, number] {
  const v = findVma(mm.vmas, vpn);
  return v ? [v.name, vpn - v.base] : [undefined, -1];
}

/** Compare one page; report and re-sync on mismatch. */
export function checkPage(k: Kernel, mm: Mm, vpn: number, why: string): void {
  const actual = readThrough(k, mm, vpn);
  const expected = mm.pt.logicalGet(vpn);
  if (actual === expected || actual < 0 || mm.violated.has(vpn)) return;
  mm.violated.add(vpn);
  const pfn = pfnAt(mm, vpn);
  const shared = pfn >= 0 && !isZeroPfn(pfn) && pageMapcount(k, pfn) > 1;
  const [name, page] = where(mm, vpn);
  k.violation(shared ? 'leak' : 'lost-write', mm, name, page, vpn, expected, actual, why);
}

export function pageMapcount(k: Kernel, pfn: number): number {
  const m = k.mem;
  return m.frMapcount[pfn] + m.fEntire[m.frFolio[pfn]];
}

/**
 * After `writer` stored `b` at `vpn` into a page that is mapped more than once:
 * every other mm mapping the same page at the same address sees the write (the
 * usual fork layout; other addresses are caught by the end-of-run sweep).
 */
export function checkSharedWrite(k: Kernel, writer: Mm, vpn: number, pfn: number): void {
  for (const mm of k.mms) {
    if (mm === writer || !mm.alive || pfnAt(mm, vpn) !== pfn) continue;
    checkPage(k, mm, vpn, `${writer.name} wrote a page ${mm.name} still maps`);
  }
}

/** A write by `writer` into a page a vmsplice pipe of another process references. */
export function checkPipes(k: Kernel, writer: Mm, pfn: number): void {
  if (!(k.mem.frFlags[pfn] & FR_PIPE)) return;
  for (const p of k.pipes.values()) {
    if (p.owner === writer) continue;
    for (let j = 0; j < p.pfns.length; j++) {
      if (p.pfns[j] !== pfn || p.reported[j]) continue;
      const actual = k.mem.frData[pfn];
      if (actual === p.data[j]) continue;
      p.reported[j] = 1;
      const [name, page] = where(p.owner, p.vpns[j]);
      k.violation('pipe-changed', p.owner, name, page, p.vpns[j], p.data[j], actual, `${writer.name} wrote through a page pipe ${p.name} references`);
    }
  }
}

/** Pins of live processes whose page is no longer the page the process maps. */
export function checkPins(k: Kernel): void {
  for (const pin of k.pins.values()) {
    const mm = pin.owner;
    if (!mm.alive) continue;
    for (let j = 0; j < pin.vpns.length; j++) {
      if (pin.reported[j]) continue;
      const now = pfnAt(mm, pin.vpns[j]);
      if (now < 0 || now === pin.pfns[j]) continue;
      pin.reported[j] = 1;
      const [name, page] = where(mm, pin.vpns[j]);
      k.violation('pin-incoherent', mm, name, page, pin.vpns[j], k.mem.frData[pin.pfns[j]], k.mem.frData[now],
        `pin ${pin.name} holds pfn ${pin.pfns[j]} but ${mm.name} now maps pfn ${now}`);
    }
  }
}

/**
 * Compare pages [s, e) of `mm`. Present pages are compared inline per PMD
 * range; a PMD range with no page table and no logical byte ever written is
 * skipped whole (both read zero), so the cost follows what is populated, not
 * the size of the mappings.
 */
function sweep(k: Kernel, mm: Mm, s: number, e: number, why: string): void {
  const data = k.mem.frData;
  const pt = mm.pt;
  for (let vpn = s; vpn < e; ) {
    const idx = vpn >>> 9;
    const stop = Math.min(e, (idx + 1) * 512);
    const kind = pt.kind(idx);
    const chunk = pt.logical[idx];
    if (kind === PMD_NONE && chunk === undefined) {
      vpn = stop;
      continue;
    }
    const t = kind === PMD_TABLE ? pt.tables[idx]! : undefined;
    for (; vpn < stop; vpn++) {
      const i = vpn & 511;
      const want = chunk === undefined ? 0 : chunk[i];
      let have = -1;
      if (kind === PMD_HUGE) have = data[pt.pmdPfn[idx] + i];
      else if (t === undefined || t.flags[i] === 0) have = 0;
      else if (!(t.flags[i] & PTE_SWAP)) have = data[t.pfn[i]];
      if (have !== want) checkPage(k, mm, vpn, why);
    }
  }
}

/** Every mapped page of every live process (end of run). */
export function checkAll(k: Kernel): void {
  for (const mm of k.mms) {
    if (!mm.alive) continue;
    for (const v of mm.vmas) sweep(k, mm, v.start, v.end, 'end-of-run check');
  }
}

/** Pages [s, e) of one process after a step that rearranged them. */
export function checkRange(k: Kernel, mm: Mm, s: number, e: number, why: string): void {
  for (const v of mm.vmas) {
    const a = Math.max(s, v.start);
    const b = Math.min(e, v.end);
    if (a < b) sweep(k, mm, a, b, why);
  }
}
