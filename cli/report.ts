// `foliolab run FILE --report PATH [--report-format F]`: writes one report
// file. The format follows the extension unless forced; the file is written
// to a temporary name and renamed, so a crash leaves the old file or the new
// one, never half a report.

import { open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import type { PolicyId } from '../core/lang/ast';
import { createSession } from '../core/mm/index';
import { mapImagesFromState, REPORT_TEXT_FORMATS, renderReportParts, type MapImage, type ReportInput, type ReportTextFormat } from '../core/report/index';
import { analyzeFile, runFile, type FileReport } from './job';

const EXTENSIONS: Record<string, ReportTextFormat> = {
  '.html': 'html',
  '.htm': 'html',
  '.md': 'md',
  '.markdown': 'md',
  '.json': 'json',
  '.csv': 'csv',
};

const WRITE_ERRORS: Record<string, string> = {
  ENOENT: 'the folder does not exist',
  ENOTDIR: 'a part of the path is not a folder',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EISDIR: 'it is a folder',
  ENOSPC: 'no space left on the device',
  EROFS: 'read-only file system',
};

const PDF_NOTE = 'PDF reports come from the app (File > Export Report); the command line writes html, md, json or csv';

/** The format to write `path` in: `forced` (from --report-format) or the extension's. */
export function resolveReportFormat(path: string, forced?: string): { format: ReportTextFormat } | { error: string } {
  if (forced !== undefined) {
    if ((REPORT_TEXT_FORMATS as readonly string[]).includes(forced)) return { format: forced as ReportTextFormat };
    if (forced === 'pdf') return { error: `--report-format pdf: ${PDF_NOTE}` };
    return { error: `--report-format ${forced}: unknown report format; expected one of ${REPORT_TEXT_FORMATS.join(', ')}` };
  }
  const ext = extname(path).toLowerCase();
  const format = EXTENSIONS[ext];
  if (format) return { format };
  if (ext === '.pdf') return { error: `${path}: ${PDF_NOTE}` };
  return {
    error: `${path}: cannot tell the report format from ${ext ? `the extension "${ext}"` : 'a name without extension'}; ` +
      `use .html, .htm, .md, .markdown, .json or .csv, or --report-format ${REPORT_TEXT_FORMATS.join('|')}`,
  };
}

/** Bytes gathered before each write when writing many small pieces. */
const WRITE_CHUNK = 1 << 20;

/**
 * Writes `parts` one after the other to `path`, atomically: a temporary file
 * in the same folder, flushed, then renamed over `path`.
 */
export async function writeFileAtomic(path: string, parts: string[]): Promise<void> {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now().toString(36)}.tmp`);
  try {
    const file = await open(tmp, 'w');
    try {
      let chunk: string[] = [];
      let size = 0;
      for (const part of parts) {
        chunk.push(part);
        size += part.length;
        if (size >= WRITE_CHUNK) {
          await file.write(chunk.join(''));
          chunk = [];
          size = 0;
        }
      }
      if (chunk.length) await file.write(chunk.join(''));
      await file.sync();
    } finally {
      await file.close();
    }
    await rename(tmp, path);
  } catch (err) {
    await unlink(tmp).catch(() => undefined);
    throw err;
  }
}

/**
 * Renders and writes a report. Throws an Error whose message is one sentence
 * for the user (unknown format, unwritable path), never a stack trace's worth.
 */
export async function writeReport(path: string, format: string | undefined, input: ReportInput): Promise<ReportTextFormat> {
  const resolved = resolveReportFormat(path, format);
  if ('error' in resolved) throw new Error(resolved.error);
  const parts = renderReportParts(resolved.format, input);
  try {
    await writeFileAtomic(path, parts);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? '';
    throw new Error(`${path}: cannot write the report: ${WRITE_ERRORS[code] ?? (err as Error).message}`);
  }
  return resolved.format;
}

/**
 * `--report` / `--report-format` of `foliolab run`: where and how to write, or
 * why not (checked before anything runs). Empty when no report was asked for.
 */
export function reportRequest(files: string[], path: string | undefined, format: string | undefined): { path?: string; format?: ReportTextFormat } | { error: string } {
  if (path === undefined) return format === undefined ? {} : { error: '--report-format needs --report FILE' };
  if (files.length !== 1) return { error: `--report writes the report of one scenario file; ${files.length} files were given` };
  const resolved = resolveReportFormat(path, format);
  return 'error' in resolved ? resolved : { path, format: resolved.format };
}

/**
 * Everything a report shows for one file that `run` handled with
 * `keepResults` (the scenario text and the engine's full results). For a
 * single policy the final memory map is read from a fresh session of that
 * policy (the results hold no state). Null when the file could not be read.
 */
export function reportInputFromFileReport(r: FileReport, version: string): ReportInput | null {
  if (r.error !== undefined) return null;
  const { text, scenario } = r.source !== undefined && r.results?.length !== 1 ? { text: r.source, scenario: undefined } : analyzeFile(r.file);
  if (text === undefined) return null;
  const runs = r.results ?? [];
  let mapImages: MapImage[] | undefined;
  if (runs.length === 1 && scenario) {
    const session = createSession(scenario, runs[0].policy, {});
    mapImages = mapImagesFromState(session.at(session.result.steps.length - 1));
  }
  return {
    file: basename(r.file),
    source: text,
    title: r.scenario ?? basename(r.file),
    diagnostics: r.diagnostics,
    runs,
    generatedAt: new Date(),
    version,
    mapImages,
  };
}

/** Runs one scenario file and gathers its report (tests and tools; `foliolab run` reuses its own run). */
export function reportInputForFile(file: string, policies: PolicyId[] | undefined, version: string): ReportInput | null {
  return reportInputFromFileReport(runFile(file, { policies, keepResults: true }), version);
}

/** Writes the report of a file `run` handled; the error to print, or null when written. */
export async function writeRunReport(r: FileReport, path: string, format: ReportTextFormat, version: string): Promise<string | null> {
  try {
    const input = reportInputFromFileReport(r, version);
    if (!input) return `${path}: no report written: ${r.file} could not be read`;
    await writeReport(path, format, input);
    return null;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}
