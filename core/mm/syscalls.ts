// Address-space system calls on explicit state: mmap, munmap, mprotect,
// madvise (flags and MADV_DONTNEED), mremap, clear_refs 4 and exit.

import { formatSize } from '../lang/text';
import {
  alignUp,
  FR_ANON_EXCLUSIVE,
  isZeroPfn,
  PAGE_SHIFT,
  PMD_HUGE,
  PMD_NONE,
  PMD_NR,
  PMD_TABLE,
  PROT_RW,
  PTE_SOFT_DIRTY,
  PTE_SWAP,
  PTE_WRITE,
  TASK_SIZE_PAGES,
  VM_DONTCOPY,
  VM_HUGEPAGE,
  VM_NOHUGEPAGE,
  VM_SOFTDIRTY,
  VM_WIPEONFORK,
} from './constants';
import { needsSoftDirtyWp } from './fault';
import { detachPins, releaseOnExit } from './gup';
import { type Kernel, SyscallError } from './kernel';
import type { Mm } from './mm';
import { PteTable } from './pagetable';
import { splitHugePmd } from './split-pmd';
import { insertVma, mergeVmas, removeRange, unmappedPages, Vma, vmasIn } from './vma';
import { zapRange } from './zap';

/** get_unmapped_area found no gap: the simulated address space is full. */
function noRoom(name: string): SyscallError {
  return new SyscallError(`ENOMEM: no room for ${name} in the ${formatSize(TASK_SIZE_PAGES * 2 ** PAGE_SHIFT)} simulated address space`);
}

export function mmap(mm: Mm, name: string, pages: number, prot: number): void {
  if (mm.mappings.has(name)) throw new SyscallError(`EEXIST: ${mm.name} already has a mapping named ${name}`);
  if (pages <= 0) throw new SyscallError('EINVAL: length 0');
  let start = mm.nextVpn;
  if (pages >= PMD_NR) start = alignUp(start, PMD_NR); // THP-aligned like thp_get_unmapped_area
  if (pages > TASK_SIZE_PAGES - start) throw noRoom(name);
  pages |= 0; // a small integer from here on (it came from a division)
  insertVma(mm.vmas, new Vma(start, start + pages, prot, VM_SOFTDIRTY, name, start));
  mm.mappings.set(name, { start, pages });
  mm.nextVpn = start + pages + 1; // a one-page gap keeps mappings apart
}

/** vma_adjust_trans_huge: a huge PMD straddling a new VMA boundary is split. */
export function splitPmdAt(k: Kernel, mm: Mm, vpn: number, why: string): void {
  if (vpn % PMD_NR === 0) return;
  const idx = vpn >>> 9;
  if (mm.pt.kind(idx) === PMD_HUGE) splitHugePmd(k, mm, idx, why);
}

function requireMapped(mm: Mm, s: number, e: number, what: string): void {
  if (unmappedPages(mm.vmas, s, e) > 0) throw new SyscallError(`ENOMEM: ${what} is not (fully) mapped`);
}

export function munmap(k: Kernel, mm: Mm, s: number, e: number): void {
  zapRange(k, mm, s, e, 'munmap');
  removeRange(mm.vmas, s, e);
  forget(k, mm, s, e);
}

/** The pages are gone (or zero again): the oracle starts afresh there. */
function forget(k: Kernel, mm: Mm, s: number, e: number): void {
  detachPins(k, mm, s, e);
  mm.pt.logicalZero(s, e);
  for (const v of mm.violated) if (v >= s && v < e) mm.violated.delete(v);
}

export function dontneed(k: Kernel, mm: Mm, s: number, e: number, what: string): void {
  requireMapped(mm, s, e, what);
  zapRange(k, mm, s, e, 'MADV_DONTNEED');
  forget(k, mm, s, e);
}

/** mprotect, with change_pte_range's PageAnonExclusive write upgrade (kernel-semantics 2.7). */
export function mprotect(k: Kernel, mm: Mm, s: number, e: number, prot: number, what: string): void {
  requireMapped(mm, s, e, what);
  splitPmdAt(k, mm, s, 'mprotect boundary');
  splitPmdAt(k, mm, e, 'mprotect boundary');
  const m = k.mem;
  const pt = mm.pt;
  for (const vma of vmasIn(mm.vmas, s, e)) {
    vma.prot = prot;
    for (let idx = vma.start >>> 9; idx * PMD_NR < vma.end && idx < pt.pmdKind.length; idx++) {
      const kind = pt.pmdKind[idx];
      if (kind === PMD_HUGE) {
        const head = pt.pmdPfn[idx];
        const ok = prot === PROT_RW && !isZeroPfn(head) && (m.frFlags[head] & FR_ANON_EXCLUSIVE) !== 0 && !needsSoftDirtyWp(vma, pt.pmdFlags[idx]);
        pt.pmdFlags[idx] = ok ? pt.pmdFlags[idx] | PTE_WRITE : pt.pmdFlags[idx] & ~PTE_WRITE;
      } else if (kind === PMD_TABLE) {
        const t = pt.tables[idx]!;
        const a = Math.max(vma.start, idx * PMD_NR) - idx * PMD_NR;
        const b = Math.min(vma.end, (idx + 1) * PMD_NR) - idx * PMD_NR;
        for (let i = a; i < b; i++) {
          const fl = t.flags[i];
          if (fl === 0 || fl & PTE_SWAP) continue;
          const pfn = t.pfn[i];
          const ok = prot === PROT_RW && !isZeroPfn(pfn) && (m.frFlags[pfn] & FR_ANON_EXCLUSIVE) !== 0 && !needsSoftDirtyWp(vma, fl);
          t.flags[i] = ok ? fl | PTE_WRITE : fl & ~PTE_WRITE;
        }
      }
    }
  }
  mergeVmas(mm.vmas);
}

/** madvise flag changes: hugepage, nohugepage, dontfork, dofork, wipeonfork. */
export function madviseFlags(k: Kernel, mm: Mm, s: number, e: number, advice: string, what: string): void {
  requireMapped(mm, s, e, what);
  splitPmdAt(k, mm, s, `MADV_${advice.toUpperCase()} boundary`);
  splitPmdAt(k, mm, e, `MADV_${advice.toUpperCase()} boundary`);
  for (const vma of vmasIn(mm.vmas, s, e)) {
    switch (advice) {
      case 'hugepage':
        vma.flags = (vma.flags | VM_HUGEPAGE) & ~VM_NOHUGEPAGE;
        break;
      case 'nohugepage':
        vma.flags = (vma.flags | VM_NOHUGEPAGE) & ~VM_HUGEPAGE;
        break;
      case 'dontfork':
        vma.flags |= VM_DONTCOPY;
        break;
      case 'dofork':
        vma.flags &= ~VM_DONTCOPY;
        break;
      case 'wipeonfork':
        vma.flags |= VM_WIPEONFORK;
        break;
    }
  }
  mergeVmas(mm.vmas);
}

/**
 * mremap(MREMAP_MAYMOVE|MREMAP_FIXED) of [s, e) to a fresh address that is not
 * 2M-aligned: every huge PMD in the range is split first (move_huge_pmd needs
 * both ends aligned), then the PTEs move (move_ptes; rmap is unchanged).
 */
export function mremap(k: Kernel, mm: Mm, s: number, e: number, newName: string, what: string): void {
  requireMapped(mm, s, e, what);
  if (mm.mappings.has(newName)) throw new SyscallError(`EEXIST: ${mm.name} already has a mapping named ${newName}`);
  const pt = mm.pt;
  const pages = e - s;
  const dest = alignUp(mm.nextVpn, PMD_NR) + 1;
  if (pages > TASK_SIZE_PAGES - dest) throw noRoom(newName);
  for (let idx = s >>> 9; idx * PMD_NR < e; idx++) if (pt.kind(idx) === PMD_HUGE) splitHugePmd(k, mm, idx, 'mremap to an unaligned address');
  const moved = vmasIn(mm.vmas, s, e).map((v) => new Vma(v.start - s + dest, v.end - s + dest, v.prot, v.flags, newName, dest));
  for (let j = 0; j < pages; j++) {
    const from = s + j;
    const fi = from >>> 9;
    if (pt.kind(fi) === PMD_NONE && pt.logical[fi] === undefined) {
      j += (fi + 1) * PMD_NR - from - 1; // nothing mapped or written in this PMD range
      continue;
    }
    const to = dest + j;
    pt.logicalSet(to, pt.logicalGet(from));
    if (pt.kind(fi) !== PMD_TABLE) continue;
    const ft = pt.tables[fi]!;
    const fl = ft.flags[from & 511];
    if (fl === 0) continue;
    const ti = to >>> 9;
    pt.ensure(ti);
    if (pt.pmdKind[ti] === PMD_NONE) {
      pt.pmdKind[ti] = PMD_TABLE;
      pt.tables[ti] = new PteTable();
    }
    const tt = pt.tables[ti]!;
    tt.pfn[to & 511] = ft.pfn[from & 511];
    tt.flags[to & 511] = fl;
    ft.flags[from & 511] = 0;
  }
  pt.logicalZero(s, e);
  detachPins(k, mm, s, e);
  removeRange(mm.vmas, s, e);
  for (const v of moved) insertVma(mm.vmas, v);
  mm.mappings.set(newName, { start: dest, pages });
  mm.nextVpn = dest + pages + 1;
  k.tick(pages);
}

/** clear_refs 4: clear soft-dirty and write-protect every PTE/PMD; soft-dirty tracking on. */
export function clearSoftDirty(k: Kernel, mm: Mm): void {
  const pt = mm.pt;
  for (const vma of mm.vmas) {
    vma.flags &= ~VM_SOFTDIRTY;
    for (let idx = vma.start >>> 9; idx * PMD_NR < vma.end && idx < pt.pmdKind.length; idx++) {
      if (pt.pmdKind[idx] === PMD_HUGE) pt.pmdFlags[idx] &= ~(PTE_WRITE | PTE_SOFT_DIRTY);
      else if (pt.pmdKind[idx] === PMD_TABLE) {
        const t = pt.tables[idx]!;
        const a = Math.max(vma.start, idx * PMD_NR) - idx * PMD_NR;
        const b = Math.min(vma.end, (idx + 1) * PMD_NR) - idx * PMD_NR;
        for (let i = a; i < b; i++) if (t.flags[i] !== 0) t.flags[i] &= t.flags[i] & PTE_SWAP ? ~PTE_SOFT_DIRTY : ~(PTE_WRITE | PTE_SOFT_DIRTY);
      }
    }
    k.tick(vma.end - vma.start);
  }
  mergeVmas(mm.vmas);
}

/** exit_mmap + __mmdrop: zap everything, release the mm ID, then the process's pins and pipes. */
export function exitMm(k: Kernel, mm: Mm): void {
  for (const vma of mm.vmas) zapRange(k, mm, vma.start, vma.end, 'exit');
  mm.vmas = [];
  mm.alive = false;
  k.policy.mmDrop(mm.mmId);
  releaseOnExit(k, mm);
  mm.pt.reset();
}

