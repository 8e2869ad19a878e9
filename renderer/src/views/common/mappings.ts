// A process's mappings as the scenario names them. mprotect and madvise split
// a mapping into several VMAs that share its name; the map draws the whole
// mapping (page indexes as the scenario writes them), so regroup them here.

import type { ProcessView, VmaView } from '../../../../core/mm/api';
import { PAGE_SIZE } from './format';

export interface MappingExtent {
  mapping: string;
  /** Address of page 0. */
  base: number;
  /** Pages from page 0 to the end of the last VMA. */
  pages: number;
  vmas: VmaView[];
}

/** The index of a VMA's first page in its mapping (older engines: counted from the lowest VMA). */
function firstPageOf(v: VmaView, lowest: number): number {
  return v.firstPage ?? (v.start - lowest) / PAGE_SIZE;
}

export function mappingsOf(p: ProcessView | null): MappingExtent[] {
  const byName = new Map<string, VmaView[]>();
  for (const v of p?.vmas ?? []) {
    const list = byName.get(v.mapping);
    if (list) list.push(v);
    else byName.set(v.mapping, [v]);
  }
  return [...byName].map(([mapping, vmas]) => {
    const lowest = Math.min(...vmas.map((v) => v.start));
    const first = vmas.find((v) => v.start === lowest)!;
    return {
      mapping,
      base: lowest - firstPageOf(first, lowest) * PAGE_SIZE,
      pages: Math.max(...vmas.map((v) => firstPageOf(v, lowest) + v.pages)),
      vmas,
    };
  });
}
