// Swapcache membership of a folio (mm/swap_state.c, mm/swapfile.c).

import { F_SWAPCACHE } from './constants';
import type { Kernel } from './kernel';

/**
 * `folio_free_swap`: drop the folio from the swapcache when no swap entry
 * references its slots any more (the P swapcache references go with it).
 * Returns true when it was removed.
 */
export function folioFreeSwap(k: Kernel, f: number): boolean {
  const m = k.mem;
  if (!(m.fFlags[f] & F_SWAPCACHE)) return false;
  const s = k.swap;
  const first = m.fSwap[f];
  const nr = 1 << m.fOrder[f];
  for (let i = 0; i < nr; i++) if (s.count[first + i] > 0) return false;
  for (let i = 0; i < nr; i++) {
    s.cache[first + i] = -1;
    s.maybeFree(first + i);
  }
  m.fFlags[f] &= ~F_SWAPCACHE;
  m.fSwap[f] = -1;
  m.fRef[f] -= nr;
  return true;
}

/** Add folio `f` to the swapcache at `first` (P references, P slots). */
export function addToSwapcache(k: Kernel, f: number, first: number): void {
  const m = k.mem;
  const nr = 1 << m.fOrder[f];
  for (let i = 0; i < nr; i++) k.swap.cache[first + i] = f;
  m.fFlags[f] |= F_SWAPCACHE;
  m.fSwap[f] = first;
  m.fRef[f] += nr;
}
