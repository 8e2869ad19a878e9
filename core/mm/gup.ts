// GUP (mm/gup.c, v6.15; kernel-semantics 2.5): long-term FOLL_PIN with
// `pin`, FOLL_GET with `vmsplice`. A R/W pin write-faults first; a R/O pin of a
// page that is not PageAnonExclusive (or the zeropage, FOLL_LONGTERM) takes an
// unshare fault first. FOLL_GET never unshares.

import {
  FAULT_READ,
  FAULT_UNSHARE,
  FAULT_WRITE,
  FR_ANON_EXCLUSIVE,
  FR_PIPE,
  GUP_PIN_COUNTING_BIAS,
  isZeroPfn,
  PMD_HUGE,
  PMD_TABLE,
  PROT_NONE,
  PROT_RW,
  PTE_PRESENT,
  PTE_SWAP,
  PTE_WRITE,
} from './constants';
import { handleFault } from './fault';
import { type Kernel, type Pin, type Pipe, SyscallError } from './kernel';
import type { Mm } from './mm';
import { putFolio } from './rmap';
import { findVma } from './vma';

/** What the page at `vpn` needs before GUP may take it: -1 nothing, else a FAULT_* kind. */
function gupNeeds(k: Kernel, mm: Mm, vpn: number, write: boolean, unshare: boolean): number {
  const pt = mm.pt;
  const idx = vpn >>> 9;
  const kind = pt.kind(idx);
  let pfn: number;
  let writable: boolean;
  if (kind === PMD_HUGE) {
    pfn = pt.pmdPfn[idx];
    writable = (pt.pmdFlags[idx] & PTE_WRITE) !== 0;
  } else if (kind === PMD_TABLE && (pt.tables[idx]!.flags[vpn & 511] & (PTE_PRESENT | PTE_SWAP)) === PTE_PRESENT) {
    pfn = pt.tables[idx]!.pfn[vpn & 511];
    writable = (pt.tables[idx]!.flags[vpn & 511] & PTE_WRITE) !== 0;
  } else return write ? FAULT_WRITE : FAULT_READ;
  if (write) return writable ? -1 : FAULT_WRITE;
  // gup_must_unshare: anon and not PageAnonExclusive, or the zeropage under FOLL_LONGTERM.
  if (unshare && (isZeroPfn(pfn) || !(k.mem.frFlags[pfn] & FR_ANON_EXCLUSIVE))) return FAULT_UNSHARE;
  return -1;
}

/** Fault the page in as GUP would and return its pfn. */
function gupPage(k: Kernel, mm: Mm, vpn: number, write: boolean, unshare: boolean, label: (vpn: number) => string): number {
  const vma = findVma(mm.vmas, vpn);
  if (vma === undefined) throw new SyscallError(`EFAULT: ${label(vpn)} is not mapped`);
  if (vma.prot === PROT_NONE || (write && vma.prot !== PROT_RW)) throw new SyscallError(`EFAULT: ${label(vpn)} is not ${write ? 'writable' : 'readable'}`);
  for (let tries = 0; tries < 3; tries++) {
    const need = gupNeeds(k, mm, vpn, write, unshare);
    if (need < 0) break;
    handleFault(k, mm, vma, vpn, need);
  }
  const pt = mm.pt;
  const idx = vpn >>> 9;
  return pt.kind(idx) === PMD_HUGE ? pt.pmdPfn[idx] + (vpn & 511) : pt.tables[idx]!.pfn[vpn & 511];
}

export function pinRange(k: Kernel, mm: Mm, name: string, s: number, e: number, rw: boolean, label: (vpn: number) => string): void {
  if (k.pins.has(name)) throw new SyscallError(`EEXIST: pin ${name} already exists`);
  mm.hasPinned = true; // mm_set_has_pinned_flag, before faulting
  const n = e - s;
  const pin: Pin = { name, owner: mm, vpns: new Int32Array(n), pfns: new Int32Array(n), reported: new Uint8Array(n) };
  const m = k.mem;
  let done = 0;
  try {
    for (let j = 0; j < n; j++) {
      const pfn = gupPage(k, mm, s + j, rw, true, label);
      const f = m.frFolio[pfn];
      if (m.fOrder[f] > 0) {
        m.fPin[f]++;
        m.fRef[f]++;
      } else m.fRef[f] += GUP_PIN_COUNTING_BIAS;
      pin.vpns[j] = s + j;
      pin.pfns[j] = pfn;
      done++;
      k.touch(pfn);
    }
  } catch (err) {
    unpinPages(k, pin.pfns, done); // GUP failure releases what it pinned
    throw err;
  }
  k.pins.set(name, pin);
  k.note('pin', mm, `${rw ? 'R/W' : 'R/O'} FOLL_PIN|FOLL_LONGTERM of ${n} pages as ${name}`, undefined, -1, s);
}

function unpinPages(k: Kernel, pfns: Int32Array, n: number): void {
  const m = k.mem;
  for (let j = 0; j < n; j++) {
    const f = m.frFolio[pfns[j]];
    if (m.fOrder[f] > 0) {
      m.fPin[f]--;
      putFolio(k, f, 1);
    } else putFolio(k, f, GUP_PIN_COUNTING_BIAS);
  }
}

export function unpin(k: Kernel, name: string): void {
  const pin = k.pins.get(name);
  if (pin === undefined) throw new SyscallError(`EINVAL: no pin named ${name}`);
  k.pins.delete(name);
  unpinPages(k, pin.pfns, pin.pfns.length);
  k.note('unpin', pin.owner, `unpin_user_pages of ${name} (${pin.pfns.length} pages)`);
}

export function vmspliceRange(k: Kernel, mm: Mm, name: string, s: number, e: number, label: (vpn: number) => string): void {
  if (k.pipes.has(name)) throw new SyscallError(`EEXIST: pipe ${name} already exists`);
  const n = e - s;
  const pipe: Pipe = { name, owner: mm, holders: new Set([mm]), pfns: new Int32Array(n), data: new Uint8Array(n), vpns: new Int32Array(n), reported: new Uint8Array(n) };
  const m = k.mem;
  let done = 0;
  try {
    for (let j = 0; j < n; j++) {
      const pfn = gupPage(k, mm, s + j, false, false, label);
      if (!isZeroPfn(pfn)) {
        m.fRef[m.frFolio[pfn]]++;
        m.frFlags[pfn] |= FR_PIPE;
      }
      pipe.pfns[j] = pfn;
      pipe.data[j] = m.frData[pfn];
      pipe.vpns[j] = s + j;
      done++;
    }
  } catch (err) {
    releasePipePages(k, pipe, done);
    throw err;
  }
  k.pipes.set(name, pipe);
  k.note('gup-get', mm, `vmsplice of ${n} pages into pipe ${name} (FOLL_GET, no unsharing)`, undefined, -1, s);
}

function releasePipePages(k: Kernel, pipe: Pipe, n: number): void {
  const m = k.mem;
  for (let j = 0; j < n; j++) {
    const pfn = pipe.pfns[j];
    if (isZeroPfn(pfn)) continue;
    putFolio(k, m.frFolio[pfn], 1);
  }
  // Keep FR_PIPE only on frames another pipe still references.
  const still = new Set<number>();
  for (const p of k.pipes.values()) if (p !== pipe) for (const x of p.pfns) still.add(x);
  for (let j = 0; j < n; j++) if (!still.has(pipe.pfns[j])) m.frFlags[pipe.pfns[j]] &= ~FR_PIPE;
}

export function closePipe(k: Kernel, name: string): void {
  const pipe = k.pipes.get(name);
  if (pipe === undefined) throw new SyscallError(`EBADF: no pipe named ${name}`);
  k.pipes.delete(name);
  releasePipePages(k, pipe, pipe.pfns.length);
  k.note('pipe-close', pipe.owner, `pipe ${name} closed, ${pipe.pfns.length} page references dropped`);
}

/** At exit: the process's pins go (io_uring ring closed) and it stops holding its pipes. */
export function releaseOnExit(k: Kernel, mm: Mm): void {
  for (const [name, pin] of [...k.pins]) if (pin.owner === mm) unpin(k, name);
  for (const [name, pipe] of [...k.pipes]) {
    pipe.holders.delete(mm);
    if (pipe.holders.size === 0) closePipe(k, name);
  }
}

/** The process unmapped or moved [s, e): its pins there no longer describe its mapping. */
export function detachPins(k: Kernel, mm: Mm, s: number, e: number): void {
  for (const pin of k.pins.values()) {
    if (pin.owner !== mm) continue;
    for (let j = 0; j < pin.vpns.length; j++) if (pin.vpns[j] >= s && pin.vpns[j] < e) pin.reported[j] = 1;
  }
}
