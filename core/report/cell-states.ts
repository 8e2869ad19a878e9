// The memory map's page states and their colours, in one table for both maps
// that draw them: the app's canvas (renderer/src/views/common/palette.ts) and
// a report's SVG (memory-map.ts), so a report looks like the view it came
// from. Pure data: core may not import the renderer, the renderer imports this.

import { CELL } from '../mm/api';

export type CellStateId =
  | 'empty'
  | 'swapped'
  | 'writable'
  | 'writable-not-exclusive'
  | 'ro-exclusive'
  | 'ro-shared'
  | 'ro';

export interface PaletteEntry<Id extends string> {
  id: Id;
  label: string;
  light: string;
  dark: string;
}

/** Base fill of a cell: exactly one state per page, in the order the legend lists them. */
export const CELL_STATES: readonly PaletteEntry<CellStateId>[] = [
  { id: 'empty', label: 'not present', light: '#e3e5e8', dark: '#30333a' },
  { id: 'ro', label: 'read-only (may be shared)', light: '#d4b106', dark: '#e6d36a' },
  { id: 'ro-shared', label: 'read-only, shared with another mm', light: '#ef8a00', dark: '#fbbc54' },
  { id: 'ro-exclusive', label: 'read-only, PageAnonExclusive', light: '#2b9fb0', dark: '#6fd0dc' },
  { id: 'writable', label: 'writable (PageAnonExclusive)', light: '#2e9d52', dark: '#5cc281' },
  { id: 'writable-not-exclusive', label: 'writable, not PageAnonExclusive (broken invariant)', light: '#d93025', dark: '#f28b82' },
  { id: 'swapped', label: 'swapped out', light: '#8e6bbf', dark: '#b39ddb' },
];

/** A pinned (FOLL_PIN) page: a mark over its state in the app, a state of its own in a report. */
export const PINNED: PaletteEntry<'pinned'> = { id: 'pinned', label: 'pinned (FOLL_PIN)', light: '#c2185b', dark: '#ff80ab' };

/** PMD-mapped pages are drawn in a darker shade of their state's colour. */
export const PMD_SHADE = 0.68;

export function cellState(cell: number): CellStateId {
  if (!(cell & CELL.PRESENT)) return cell & CELL.SWAPPED ? 'swapped' : 'empty';
  if (cell & CELL.WRITABLE) return cell & CELL.ANON_EXCLUSIVE ? 'writable' : 'writable-not-exclusive';
  if (cell & CELL.ANON_EXCLUSIVE) return 'ro-exclusive';
  if (cell & CELL.SHARED) return 'ro-shared';
  return 'ro';
}
