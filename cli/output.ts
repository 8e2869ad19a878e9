// What the command line prints: diagnostics in the `FILE:LINE:COL: error:
// MESSAGE` form, the human summary of a run, and the JSON document whose
// shape scenario-language.md fixes.
import type { Diagnostic } from '../core/lang/ast';
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

/** The `--json` document. */
export function jsonDocument(reports: FileReport[]): string {
  const files = reports.map((r) => {
    const f: Record<string, unknown> = {
      file: r.file,
      scenario: r.scenario ?? null,
      diagnostics: r.diagnostics.map((d) => ({ line: d.line, col: d.col, endLine: d.endLine, endCol: d.endCol, severity: d.severity, code: d.code, message: d.message })),
      runs: r.runs.map((x) => ({
        policy: x.policy,
        passed: x.passed,
        expectations: x.expectations,
        counters: x.counters,
        processes: x.processes,
        stepErrors: x.stepErrors,
        ...(x.stopped ? { stopped: x.stopped } : {}),
        elapsedMs: Math.round(x.elapsedMs * 100) / 100,
      })),
    };
    if (r.error !== undefined) f.error = r.error;
    return f;
  });
  return `${JSON.stringify({ files }, null, 2)}\n`;
}
