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
export { cliJsonDocument, type CliJsonDocument, type CliJsonFile, type CliJsonRun, type CliJsonRunSource } from './json';
export { mapImageFromCells, mapImagesFromState } from './memory-map';
export { REPORT_CSP } from './html';

const RENDERERS: Record<ReportTextFormat, (input: ReportInput) => string | string[]> = {
  html: renderHtml,
  md: renderMarkdown,
  json: renderJson,
  csv: renderCsv,
};

/**
 * The report as pieces to write one after the other (a Blob's parts, a file
 * stream): JSON and CSV of a large run can be larger than the longest string
 * a JavaScript engine holds (about 512 MiB in V8).
 */
export function renderReportParts(format: ReportTextFormat, input: ReportInput): string[] {
  const out = RENDERERS[format](input);
  return typeof out === 'string' ? [out] : out;
}

export function renderReport(format: ReportTextFormat, input: ReportInput): string {
  return renderReportParts(format, input).join('');
}
