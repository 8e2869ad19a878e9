// What the command line prints: diagnostics in the `FILE:LINE:COL: error:
// MESSAGE` form, the human summary of a run, and the JSON document whose
// shape scenario-language.md fixes.
import type { Diagnostic } from '../core/lang/ast';
import { cliJsonDocument } from '../core/report/json';
import type { FileReport, RunSummary } from './job';

export function diagnosticLine(file: string, d: Diagnostic): string {
  return `${file}:${d.line}:${d.col}: ${d.severity}: ${d.message}`;
}

/** Everything a file has to say on standard error: a read error or its diagnostics. */
export function problemLines(r: FileReport): string[] {
  if (r.error !== undefined) return [`${r.file}: error: ${r.error}`];
  return r.diagnostics.map((d) => diagnosticLine(r.file, d));
}

const MAIN_COUNTERS = ['pgfault', 'pgreuse', 'cow_copies', 'thp_fault_alloc', 'violations'] as const;

function formatActual(a: number | boolean | null): string {
  return a === null ? 'none' : String(a);
}

function runLines(run: RunSummary, policyWidth: number): string[] {
  const counters = MAIN_COUNTERS.map((c) => `${c} ${run.counters[c] ?? 0}`).join('  ');
  const out = [`  ${run.policy.padEnd(policyWidth)}  ${run.passed ? 'PASS' : 'FAIL'}  ${counters}`];
  if (run.stopped) out.push(`      stopped: ${run.stopped}`);
  for (const e of run.expectations) {
    // The engine's message already states the actual value; without one, show the value.
    const detail = e.passed ? '' : `  (${e.message ?? `actual ${formatActual(e.actual)}`})`;
    out.push(`      ${e.passed ? 'ok  ' : 'FAIL'}  line ${e.line}: ${e.text}${detail}`);
  }
  for (const s of run.stepErrors) out.push(`      note  line ${s.line}: ${s.error}`);
  return out;
}

/** The human report of one file (standard output). */
export function humanReport(r: FileReport): string {
  if (r.error !== undefined || r.runs.length === 0) return '';
  const width = Math.max(...r.runs.map((x) => x.policy.length));
  const lines = [`${r.file}: ${r.scenario}`];
  for (const run of r.runs) lines.push(...runLines(run, width));
  return `${lines.join('\n')}\n`;
}

export function summaryLine(reports: FileReport[]): string {
  const runs = reports.flatMap((r) => r.runs);
  const failed = runs.filter((x) => !x.passed).length;
  const broken = reports.filter((r) => r.error !== undefined || r.diagnostics.some((d) => d.severity === 'error')).length;
  const files = `${reports.length} file${reports.length === 1 ? '' : 's'}`;
  return `${files}, ${runs.length} run${runs.length === 1 ? '' : 's'}: ${runs.length - failed} passed, ${failed} failed${broken ? `, ${broken} file${broken === 1 ? '' : 's'} with errors` : ''}\n`;
}

/**
 * The `--json` document: core's, with the command line's own fields added to
 * each run (expectation messages, refused steps, a stop, timing) and a file's
 * read error.
 */
export function jsonDocument(reports: FileReport[]): string {
  const doc = cliJsonDocument(reports.map((r) => ({ file: r.file, title: r.scenario ?? null, diagnostics: r.diagnostics, runs: r.runs })));
  const files = doc.files.map((f, i) => {
    const r = reports[i];
    const runs = f.runs.map((run, j) => {
      const x = r.runs[j];
      return {
        ...run,
        expectations: x.expectations,
        stepErrors: x.stepErrors,
        ...(x.stopped ? { stopped: x.stopped } : {}),
        elapsedMs: Math.round(x.elapsedMs * 100) / 100,
      };
    });
    return { ...f, runs, ...(r.error !== undefined ? { error: r.error } : {}) };
  });
  return `${JSON.stringify({ files }, null, 2)}\n`;
}
