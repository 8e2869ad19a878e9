// The kernel's own invariants (engine-model.md), checked cheaply after each
// step on what the step touched, and fully at the end of the run.

import { FR_ANON_EXCLUSIVE, isZeroPfn, PMD_HUGE, PMD_NR, PMD_TABLE, PTE_SWAP, PTE_WRITE } from './constants';
import type { Kernel } from './kernel';
import type { Mm } from './mm';

/** refcount >= mapcount, and a PageAnonExclusive page mapped by one mm only, for touched pages. */
export function checkTouched(k: Kernel): void {
  const m = k.mem;
  for (let j = 0; j < k.nTouched; j++) {
    const pfn = k.touched[j];
    const f = m.frFolio[pfn];
    if (f < 0) continue;
    checkFolioPage(k, f, pfn);
  }
}

function checkFolioPage(k: Kernel, f: number, pfn: number): void {
  const m = k.mem;
  if (m.fRef[f] < m.fMap[f]) {
    k.invariant('refcount >= mapcount', `folio at pfn ${m.fPfn[f]}: refcount ${m.fRef[f]} < mapcount ${m.fMap[f]}`, k.policyReused(f), f);
  }
  if (m.frFlags[pfn] & FR_ANON_EXCLUSIVE) {
    const mc = m.frMapcount[pfn] + m.fEntire[f];
    if (mc > 1) {
      k.invariant('PageAnonExclusive page mapped by one mm only', `pfn ${pfn} is PageAnonExclusive but mapped ${mc} times`, k.policyReused(f), pfn);
    }
  }
}

/** A writable PTE/PMD maps a PageAnonExclusive page, over [s, e) of `mm`. */
export function checkWritable(k: Kernel, mm: Mm, s: number, e: number): void {
  const m = k.mem;
  const pt = mm.pt;
  for (let idx = s >>> 9; idx * PMD_NR < e && idx < pt.pmdKind.length; idx++) {
    const kind = pt.pmdKind[idx];
    if (kind === PMD_HUGE) {
      const head = pt.pmdPfn[idx];
      if (pt.pmdFlags[idx] & PTE_WRITE && (isZeroPfn(head) || !(m.frFlags[head] & FR_ANON_EXCLUSIVE))) {
        k.invariant('writable PTE maps a PageAnonExclusive page', `${mm.name}: writable PMD at ${(idx * PMD_NR * 4096).toString(16)} maps a page that is not PageAnonExclusive`, k.policyReused(m.frFolio[head]));
      }
    } else if (kind === PMD_TABLE) {
      const t = pt.tables[idx]!;
      const a = Math.max(s, idx * PMD_NR) - idx * PMD_NR;
      const b = Math.min(e, (idx + 1) * PMD_NR) - idx * PMD_NR;
      for (let i = a; i < b; i++) {
        const fl = t.flags[i];
        if (!(fl & PTE_WRITE) || fl & PTE_SWAP) continue;
        const pfn = t.pfn[i];
        if (isZeroPfn(pfn) || !(m.frFlags[pfn] & FR_ANON_EXCLUSIVE)) {
          k.invariant('writable PTE maps a PageAnonExclusive page', `${mm.name}: writable PTE at ${((idx * PMD_NR + i) * 4096).toString(16)} maps pfn ${pfn}, not PageAnonExclusive`, !isZeroPfn(pfn) && k.policyReused(m.frFolio[pfn]));
        }
      }
    }
  }
}

/** End of run: every mapping checked, and the mm counters against the page tables. */
export function checkAllInvariants(k: Kernel): void {
  const m = k.mem;
  for (const mm of k.mms) {
    if (!mm.alive) continue;
    const pt = mm.pt;
    let rss = 0;
    let swap = 0;
    for (let idx = 0; idx < pt.pmdKind.length; idx++) {
      const kind = pt.pmdKind[idx];
      if (kind === PMD_HUGE) {
        const head = pt.pmdPfn[idx];
        if (isZeroPfn(head)) continue;
        rss += PMD_NR;
        checkFolioPage(k, m.frFolio[head], head);
      } else if (kind === PMD_TABLE) {
        const t = pt.tables[idx]!;
        for (let i = 0; i < PMD_NR; i++) {
          const fl = t.flags[i];
          if (fl === 0) continue;
          if (fl & PTE_SWAP) swap++;
          else if (!isZeroPfn(t.pfn[i])) {
            rss++;
            checkFolioPage(k, m.frFolio[t.pfn[i]], t.pfn[i]);
          }
        }
      }
    }
    for (const v of mm.vmas) checkWritable(k, mm, v.start, v.end);
    if (rss !== mm.rss || swap !== mm.swapents) {
      k.invariant('counters match page tables', `${mm.name}: rss counter ${mm.rss} / swap ${mm.swapents}, page tables hold ${rss} / ${swap}`, false);
    }
  }
}
