// Counters as the kernel names them (/proc/vmstat) and per-process smaps
// figures computed from the page tables (kernel-semantics 7.2): Rss, Pss
// (PAGE_SIZE / mapcount per page), Uss (pages mapped once), AnonHugePages
// (PMD-mapped only) and Swap.

import { PAGE_SIZE } from '../lang/ast';
import type { Counters, ProcessCounters } from './api';
import { isZeroPfn, PMD_HUGE, PMD_NR, PMD_TABLE, PTE_SWAP } from './constants';
import type { Kernel } from './kernel';
import type { Mm } from './mm';

export function globalCounters(k: Kernel): Counters {
  const s = k.stat;
  return {
    pgfault: s.pgfault,
    pgreuse: s.pgreuse,
    cow_copies: s.cow_copies,
    fork_copies: s.fork_copies,
    thp_fault_alloc: s.thp_fault_alloc,
    thp_fault_fallback: s.thp_fault_fallback,
    thp_split_pmd: s.thp_split_pmd,
    thp_split_page: s.thp_split_page,
    thp_split_page_failed: s.thp_split_page_failed,
    thp_deferred_split_page: s.thp_deferred_split_page,
    thp_collapse_alloc: s.thp_collapse_alloc,
    pswpin: s.pswpin,
    pswpout: s.pswpout,
    violations: s.violations,
    'mem.used': k.mem.used * PAGE_SIZE,
    'mem.peak': k.mem.peak * PAGE_SIZE,
    'swap.used': k.swap.used * PAGE_SIZE,
  };
}

export function smaps(k: Kernel, mm: Mm): { rss: number; pss: number; uss: number; anon_huge: number; swap: number } {
  const m = k.mem;
  const pt = mm.pt;
  let rss = 0;
  let pss = 0;
  let uss = 0;
  let huge = 0;
  let swap = 0;
  if (mm.alive) {
    for (let idx = 0; idx < pt.pmdKind.length; idx++) {
      const kind = pt.pmdKind[idx];
      if (kind === PMD_HUGE) {
        const head = pt.pmdPfn[idx];
        if (isZeroPfn(head)) continue;
        const f = m.frFolio[head];
        huge += PMD_NR;
        for (let i = 0; i < PMD_NR; i++) {
          const mc = m.frMapcount[head + i] + m.fEntire[f];
          rss++;
          pss += 1 / mc;
          if (mc === 1) uss++;
        }
      } else if (kind === PMD_TABLE) {
        const t = pt.tables[idx]!;
        for (let i = 0; i < PMD_NR; i++) {
          const fl = t.flags[i];
          if (fl === 0) continue;
          if (fl & PTE_SWAP) {
            swap++;
            continue;
          }
          const pfn = t.pfn[i];
          if (isZeroPfn(pfn)) continue;
          const mc = m.frMapcount[pfn] + m.fEntire[m.frFolio[pfn]];
          rss++;
          pss += 1 / mc;
          if (mc === 1) uss++;
        }
      }
    }
  }
  return { rss: rss * PAGE_SIZE, pss: Math.round(pss * PAGE_SIZE), uss: uss * PAGE_SIZE, anon_huge: huge * PAGE_SIZE, swap: swap * PAGE_SIZE };
}

export function processCounters(k: Kernel): Record<string, ProcessCounters> {
  const out: Record<string, ProcessCounters> = {};
  for (const mm of k.mms) if (k.byName.get(mm.name) === mm) out[mm.name] = { pgfault: mm.pgfault, pgreuse: mm.pgreuse, cow_copies: mm.cowCopies, ...smaps(k, mm) };
  return out;
}
