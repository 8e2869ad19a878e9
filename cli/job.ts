// One file's work for `run`, `check` and `fmt`: read, parse, check and (for
// run) execute under each policy, reduced to plain data that crosses a worker
// boundary and prints in input order.
import type { Diagnostic, PolicyId, Scenario } from '../core/lang/ast';
import { analyze, EMPTY_SCENARIO } from '../core/lang/checker';
import type { Counters, ProcessCounters, RunOptions, RunResult } from '../core/mm/api';
import { runAll, scenarioPolicies } from '../core/mm/index';
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
  /** With `keepResults`: the scenario text and the engine's full results (for report writers). */
  source?: string;
  results?: RunResult[];
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
  const report: FileReport = { file, scenario: scenario.header.title?.value ?? baseName(file), diagnostics, runs: [] };
  // The editor only warns about an empty document; on the command line it is an unusable file.
  const empty = diagnostics.find((d) => d.code === EMPTY_SCENARIO);
  if (empty) report.error = empty.message;
  return { report, text: read.text, scenario };
}

export const hasErrors = (r: FileReport) => r.error !== undefined || r.diagnostics.some((d) => d.severity === 'error');

/** Policies of a run: the command line's `--policy` list, else the file's (or every built-in one). */
export function policiesFor(scenario: Scenario, override: PolicyId[] | undefined): PolicyId[] {
  return override?.length ? override : scenarioPolicies(scenario);
}

function summarize(r: RunResult): RunSummary {
  const s: RunSummary = {
    policy: r.policy,
    passed: r.passed,
    expectations: r.expectations.map((e) => {
      const x: ExpectationSummary = { line: e.line, text: e.text, passed: e.passed, actual: e.actual };
      if (e.message) x.message = e.message;
      return x;
    }),
    counters: r.counters,
    processes: r.processes,
    stepErrors: r.steps.filter((st) => st.error).map((st) => ({ line: st.line, error: st.error! })),
    elapsedMs: r.elapsedMs,
  };
  if (r.stopped) s.stopped = r.stopped.message;
  return s;
}

/** What `run` asks of each file. */
export interface RunRequest {
  /** `--policy` list; absent = the file's own. */
  policies?: PolicyId[];
  /** Keep the source and full results on the report (for `--report`). */
  keepResults?: boolean;
  /** Budgets from `--max-steps`, `--max-page-ops`, `--time-budget`; a run past one stops and fails. */
  budget?: Pick<RunOptions, 'maxSteps' | 'maxPageOps' | 'timeBudgetMs'>;
}

export function runFile(file: string, req: RunRequest = {}): FileReport {
  const { report, scenario, text } = analyzeFile(file);
  if (!scenario || hasErrors(report)) return report;
  const results = runAll(scenario, policiesFor(scenario, req.policies), req.budget);
  report.runs = results.map(summarize);
  if (req.keepResults) {
    report.source = text;
    report.results = results;
  }
  return report;
}
