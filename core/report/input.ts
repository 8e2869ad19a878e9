// What every report format is rendered from: one scenario file and its runs.

import type { Diagnostic } from '../lang/ast';
import type { RunResult } from '../mm/api';

/**
 * The final memory map of one VMA as cells (CELL bits from core/mm/api), one
 * byte per `pagesPerCell` pages (downsampled for large mappings).
 */
export interface MapImage {
  process: string;
  mapping: string;
  start: number;
  pages: number;
  pagesPerCell: number;
  cells: Uint8Array;
}

export interface ReportInput {
  /** The scenario's file name as the user knows it. */
  file: string;
  /** The scenario text. */
  source: string;
  title: string;
  diagnostics: Diagnostic[];
  runs: RunResult[];
  generatedAt: Date | string;
  /** Folio Lab version. */
  version: string;
  /** Final memory map; drawn in HTML when the report holds a single policy. */
  mapImages?: MapImage[];
}

export type ReportTextFormat = 'html' | 'md' | 'json' | 'csv';
export const REPORT_TEXT_FORMATS: readonly ReportTextFormat[] = ['html', 'md', 'json', 'csv'];
