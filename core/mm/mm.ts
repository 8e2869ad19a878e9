// One process and its mm_struct: VMAs, page tables, the oracle's logical
// memory, the policy's mm ID, MMF_HAS_PINNED and the per-process counters.

import { MMAP_BASE_VPN } from './constants';
import { PageTable } from './pagetable';
import type { Vma } from './vma';

/** A named mapping as the scenario sees it (page i of `A` is vpn start + i). */
export interface Mapping {
  start: number;
  pages: number;
}

export class Mm {
  alive = true;
  /** The policy's ID for this mm (rmap ID / MM ID); 0 when the policy has none. */
  mmId = 0;
  /** MMF_HAS_PINNED: sticky once FOLL_PIN was used on this mm. */
  hasPinned = false;
  vmas: Vma[] = [];
  readonly pt = new PageTable();
  mappings = new Map<string, Mapping>();
  nextVpn = MMAP_BASE_VPN;
  /** Resident pages (PTE and PMD mapped, zeropage excluded) and swap entries. */
  rss = 0;
  swapents = 0;
  /** Pages already reported as violations (reported once until the process writes them again). */
  readonly violated = new Set<number>();
  pgfault = 0;
  pgreuse = 0;
  cowCopies = 0;

  constructor(
    readonly index: number,
    readonly name: string,
    readonly parent?: string,
  ) {}
}
