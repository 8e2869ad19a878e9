// The `read` and `write` operations: one access per page, faulting where the
// hardware would (missing page, write to a read-only PTE/PMD, swap entry), then
// the oracle's checks for the page touched.

import { FAULT_READ, FAULT_WRITE, FR_PIPE, PMD_HUGE, PMD_TABLE, PROT_NONE, PROT_RW, PTE_PRESENT, PTE_SWAP, PTE_WRITE } from './constants';
import { handleFault } from './fault';
import { type Kernel, SyscallError } from './kernel';
import type { Mm } from './mm';
import { checkPage, checkPipes, checkSharedWrite } from './oracle';
import { findVma } from './vma';

/** Write `b` to every page of [s, e). */
export function writeRange(k: Kernel, mm: Mm, s: number, e: number, b: number, label: (vpn: number) => string): void {
  const m = k.mem;
  const pt = mm.pt;
  for (let vpn = s; vpn < e; ) {
    const vma = findVma(mm.vmas, vpn);
    if (vma === undefined) throw new SyscallError(`SIGSEGV: ${label(vpn)} is not mapped`);
    if (vma.prot !== PROT_RW) throw new SyscallError(`SIGSEGV: ${label(vpn)} is not writable (${vma.prot === PROT_NONE ? 'PROT_NONE' : 'read-only'})`);
    const stop = Math.min(e, vma.end);
    for (; vpn < stop; vpn++) {
      const idx = vpn >>> 9;
      const kind = pt.kind(idx);
      let pfn = -1;
      if (kind === PMD_HUGE) {
        if (pt.pmdFlags[idx] & PTE_WRITE) pfn = pt.pmdPfn[idx] + (vpn & 511);
      } else if (kind === PMD_TABLE) {
        const t = pt.tables[idx]!;
        if ((t.flags[vpn & 511] & (PTE_PRESENT | PTE_WRITE | PTE_SWAP)) === (PTE_PRESENT | PTE_WRITE)) pfn = t.pfn[vpn & 511];
      }
      if (pfn < 0) pfn = handleFault(k, mm, vma, vpn, FAULT_WRITE);
      m.frData[pfn] = b;
      pt.logicalSet(vpn, b);
      if (mm.violated.size > 0) mm.violated.delete(vpn);
      if (m.frMapcount[pfn] + m.fEntire[m.frFolio[pfn]] > 1) checkSharedWrite(k, mm, vpn, pfn);
      if (m.frFlags[pfn] & FR_PIPE) checkPipes(k, mm, pfn);
      if ((++k.pageOps & 4095) === 0) k.poll();
    }
  }
}

/** Read every page of [s, e); a read is also an oracle check of that page. */
export function readRange(k: Kernel, mm: Mm, s: number, e: number, label: (vpn: number) => string): void {
  const pt = mm.pt;
  for (let vpn = s; vpn < e; ) {
    const vma = findVma(mm.vmas, vpn);
    if (vma === undefined) throw new SyscallError(`SIGSEGV: ${label(vpn)} is not mapped`);
    if (vma.prot === PROT_NONE) throw new SyscallError(`SIGSEGV: ${label(vpn)} is PROT_NONE`);
    const stop = Math.min(e, vma.end);
    for (; vpn < stop; vpn++) {
      const idx = vpn >>> 9;
      const kind = pt.kind(idx);
      let present = kind === PMD_HUGE;
      if (kind === PMD_TABLE) present = (pt.tables[idx]!.flags[vpn & 511] & (PTE_PRESENT | PTE_SWAP)) === PTE_PRESENT;
      if (!present) handleFault(k, mm, vma, vpn, FAULT_READ);
      checkPage(k, mm, vpn, `${mm.name} read`);
      if ((++k.pageOps & 4095) === 0) k.poll();
    }
  }
}
