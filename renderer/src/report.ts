// Export Report: renders the last run with core/report and saves it through
// the platform (Electron: native dialog, atomic write, printToPDF; browser:
// download, PDF through the print dialog).
import type { ReportFormat } from '../../core/contract/protocol';
import { mapImageFromCells, renderReport, renderReportParts, type MapImage, type ReportInput } from '../../core/report/index';
import { services } from './platform/services';
import { useDocumentStore } from './stores/document';
import { useRunStore } from './stores/run';

export const REPORT_FORMATS: ReportFormat[] = ['html', 'pdf', 'md', 'json', 'csv'];

/** The final memory map of a single-policy run, read through the same queries the views use. */
async function mapImages(): Promise<MapImage[] | undefined> {
  const run = useRunStore();
  const only = run.runs.length === 1 ? run.runs[0] : null;
  if (!only) return undefined;
  const last = only.steps.length - 1;
  const procs = await run.query(only.policy, last, { kind: 'processes' });
  if (procs.kind !== 'processes') return undefined;
  const images: MapImage[] = [];
  for (const p of procs.processes.filter((x) => x.alive)) {
    for (const vma of p.vmas) {
      const cells = await run.query(only.policy, last, { kind: 'cells', process: p.name, mapping: vma.mapping, from: 0, count: vma.pages });
      // Downsampled above MAX_CELLS pages (core/report/memory-map.ts).
      if (cells.kind === 'cells') images.push(mapImageFromCells(p.name, vma, cells.cells));
    }
  }
  return images;
}

export async function reportInput(): Promise<ReportInput> {
  const run = useRunStore();
  const doc = useDocumentStore();
  const reply = run.reply;
  if (!reply) throw new Error('Run the scenario first.');
  return {
    file: doc.name,
    source: run.lastRun?.source ?? doc.text,
    title: reply.title,
    diagnostics: reply.diagnostics,
    runs: reply.runs,
    generatedAt: new Date(),
    version: services().platform.version,
    mapImages: await mapImages().catch(() => undefined),
  };
}

/** Renders and saves; returns the saved path, or null when the user cancelled. */
export async function exportReport(format: ReportFormat): Promise<string | null> {
  const { platform } = services();
  const input = await reportInput();
  const base = input.file.replace(/\.mms$/, '') || 'scenario';
  if (format === 'pdf') {
    const saved = await platform.reports.savePdf(`${base}-report.pdf`, renderReport('html', input));
    return saved?.path ?? null;
  }
  const saved = await platform.reports.save(format, `${base}-report.${format}`, reportContent(format, input));
  return saved?.path ?? null;
}

/**
 * HTML and Markdown are small (decisions summarised); JSON and CSV keep every
 * fault and can exceed what one string holds, so they travel as UTF-8 bytes
 * encoded part by part.
 */
function reportContent(format: Exclude<ReportFormat, 'pdf'>, input: ReportInput): string | Uint8Array {
  if (format === 'html' || format === 'md') return renderReport(format, input);
  const encoder = new TextEncoder();
  const parts = renderReportParts(format, input).map((p) => encoder.encode(p));
  const bytes = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let at = 0;
  for (const p of parts) {
    bytes.set(p, at);
    at += p.byteLength;
  }
  return bytes;
}
