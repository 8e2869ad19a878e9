// Reports: one run (every policy of one scenario) rendered as text in each
// format. Pure: the app saves the text through its file dialog (and prints the
// HTML to PDF), the command line writes it with cli/report.ts.

import { renderCsv } from './csv';
import { renderHtml } from './html';
import type { ReportInput, ReportTextFormat } from './input';
import { renderJson } from './json';
import { renderMarkdown } from './markdown';

export type { MapImage, ReportInput, ReportTextFormat } from './input';
export { REPORT_TEXT_FORMATS } from './input';
export { cliJsonDocument, type CliJsonDocument, type CliJsonFile, type CliJsonRun } from './json';
export { mapImageFromCells, mapImagesFromState } from './memory-map';
export { REPORT_CSP } from './html';

const RENDERERS: Record<ReportTextFormat, (input: ReportInput) => string> = {
  html: renderHtml,
  md: renderMarkdown,
  json: renderJson,
  csv: renderCsv,
};

export function renderReport(format: ReportTextFormat, input: ReportInput): string {
  return RENDERERS[format](input);
}
