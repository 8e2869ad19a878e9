// Who maps a folio, in words, shared by the folios view and the page inspector.

import type { FolioView } from '../../../../core/mm/api';
import { formatRanges } from './format';

export type Mapper = FolioView['mappers'][number];

/** "P0 A[0-4, 6-511] (PMD)" with virtual pages when the engine says where the folio lines up, else folio pages. */
export function mapperText(m: Mapper): string {
  const pmd = m.pmd ? ' (PMD)' : '';
  if (m.firstPage === undefined) return `${m.process} ${m.mapping} folio pages ${formatRanges(m.pages)}${pmd}`;
  return `${m.process} ${m.mapping}[${formatRanges(m.pages.map((k) => m.firstPage! + k))}]${pmd}`;
}

/** The mapping page of folio page `k` for a mapper, or null when the engine does not say. */
export function mappingPage(m: Mapper, k: number): number | null {
  return m.firstPage === undefined ? null : m.firstPage + k;
}
