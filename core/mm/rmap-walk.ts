// rmap_walk in miniature: every (mm, address) mapping a set of folios. The
// engine keeps no per-page reverse map (that would cost memory per page), so
// the rare operations that need one (swap-out, folio split) scan the page
// tables of the live mms once per step.

import { isZeroPfn, PMD_HUGE, PMD_NR, PMD_TABLE, PTE_SWAP } from './constants';
import type { Kernel } from './kernel';
import type { Mm } from './mm';

export interface RmapRef {
  mm: Mm;
  vpn: number;
  pmd: boolean;
}

export function rmapWalk(k: Kernel, folios: Set<number>): Map<number, RmapRef[]> {
  const out = new Map<number, RmapRef[]>();
  const m = k.mem;
  const push = (f: number, r: RmapRef): void => {
    let l = out.get(f);
    if (l === undefined) out.set(f, (l = []));
    l.push(r);
  };
  for (const mm of k.mms) {
    if (!mm.alive) continue;
    const pt = mm.pt;
    for (let idx = 0; idx < pt.pmdKind.length; idx++) {
      const kind = pt.pmdKind[idx];
      if (kind === PMD_HUGE) {
        const pfn = pt.pmdPfn[idx];
        if (!isZeroPfn(pfn) && folios.has(m.frFolio[pfn])) push(m.frFolio[pfn], { mm, vpn: idx * PMD_NR, pmd: true });
      } else if (kind === PMD_TABLE) {
        const t = pt.tables[idx]!;
        for (let i = 0; i < PMD_NR; i++) {
          const fl = t.flags[i];
          if (fl === 0 || fl & PTE_SWAP || isZeroPfn(t.pfn[i])) continue;
          const f = m.frFolio[t.pfn[i]];
          if (folios.has(f)) push(f, { mm, vpn: idx * PMD_NR + i, pmd: false });
        }
      }
    }
  }
  return out;
}
