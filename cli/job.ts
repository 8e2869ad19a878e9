// One file's work for `run`, `check` and `fmt`: read, parse, check and (for
// run) execute under each policy, reduced to plain data that crosses a worker
// boundary and prints in input order.
import { BUILTIN_POLICIES, type Diagnostic, type PolicyId, type Scenario } from '../core/lang/ast';
import { analyze } from '../core/lang/checker';
import type { Counters, ProcessCounters } from '../core/mm/api';
import { runPolicy } from './engine';
import { readScenarioFile } from './files';

export interface ExpectationSummary {
  line: number;
  text: string;
  passed: boolean;
  actual: number | boolean | null;
  message?: string;
}

export interface RunSummary {
  policy: PolicyId;
  passed: boolean;
  expectations: ExpectationSummary[];
  counters: Counters;
  processes: Record<string, ProcessCounters>;
  /** Steps the kernel would refuse: the syscall's error, on its line. */
  stepErrors: { line: number; error: string }[];
  stopped?: string;
  elapsedMs: number;
}

export interface FileReport {
  file: string;
  /** The scenario's title (the file name when it has none). */
  scenario?: string;
  /** Set when the file could not be used at all (missing, binary, ...). */
  error?: string;
  diagnostics: Diagnostic[];
  runs: RunSummary[];
}

export interface Analyzed {
  report: FileReport;
  text?: string;
  scenario?: Scenario;
}

const baseName = (file: string) => file.split(/[\\/]/).pop() || file;

export function analyzeFile(file: string): Analyzed {
  const read = readScenarioFile(file);
  if ('error' in read) return { report: { file, error: read.error, diagnostics: [], runs: [] } };
  const { scenario, diagnostics } = analyze(read.text, file);
  return { report: { file, scenario: scenario.header.title?.value ?? baseName(file), diagnostics, runs: [] }, text: read.text, scenario };
}

export const hasErrors = (r: FileReport) => r.error !== undefined || r.diagnostics.some((d) => d.severity === 'error');

/** Policies of a run: the command line's `--policy` list, else the file's `policies`, else every built-in one. */
export function policiesFor(scenario: Scenario, override: PolicyId[] | undefined): PolicyId[] {
  if (override?.length) return override;
  const ids = scenario.header.policies?.ids.map((n) => n.text as PolicyId);
  return ids?.length ? [...new Set(ids)] : [...BUILTIN_POLICIES];
}

export function runFile(file: string, override?: PolicyId[]): FileReport {
  const { report, scenario } = analyzeFile(file);
  if (!scenario || hasErrors(report)) return report;
  for (const policy of policiesFor(scenario, override)) {
    try {
      const r = runPolicy(scenario, policy);
      report.runs.push({
        policy,
        passed: r.passed,
        expectations: r.expectations.map((e) => {
          const s: ExpectationSummary = { line: e.line, text: e.text, passed: e.passed, actual: e.actual };
          if (e.message) s.message = e.message;
          return s;
        }),
        counters: r.counters,
        processes: r.processes,
        stepErrors: r.steps.filter((s) => s.error).map((s) => ({ line: s.line, error: s.error! })),
        stopped: r.stopped?.message,
        elapsedMs: r.elapsedMs,
      });
    } catch (e) {
      report.error = `the engine failed under ${policy}: ${e instanceof Error ? e.message : String(e)}`;
      break;
    }
  }
  return report;
}
