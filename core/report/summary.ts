// What the human-readable formats (HTML, Markdown) show, computed once from
// the runs: counters side by side with differences marked, expectations per
// policy, step errors, violations with their step, and the decision summaries.

import { GLOBAL_COUNTERS, PROCESS_COUNTERS } from '../lang/ast';
import type { ExpectationResult, InvariantFailure, RunResult, StepRecord, Violation } from '../mm/api';
import {
  differingDecisions,
  groupDecisions,
  headAndTail,
  runDecisions,
  type Decision,
  type DecisionGroup,
  type DifferenceSummary,
} from './decisions';

export interface CounterRow {
  /** `''` for the totals, else the process name. */
  process: string;
  counter: string;
  /** Per policy, in run order; null when that run has no such counter (or process). */
  values: (number | null)[];
  /** The policies disagree on this counter. */
  differs: boolean;
}

/** Known names first in the spec's order, then any others the engine added, sorted. */
function orderedKeys(known: readonly string[], present: Iterable<string>): string[] {
  const extra = new Set(present);
  for (const k of known) extra.delete(k);
  const all = new Set([...known, ...[...extra].sort()]);
  return [...all];
}

function row(process: string, counter: string, values: (number | null)[]): CounterRow {
  return { process, counter, values, differs: values.some((v) => v !== values[0]) };
}

/** Total counters, one row per counter. */
export function totalCounterRows(runs: RunResult[]): CounterRow[] {
  const present = runs.flatMap((r) => Object.keys(r.counters));
  return orderedKeys(GLOBAL_COUNTERS, present)
    .filter((c) => runs.some((r) => c in r.counters))
    .map((c) => row('', c, runs.map((r) => r.counters[c] ?? null)));
}

/** Per-process counters, one row per process and counter. */
export function processCounterRows(runs: RunResult[]): CounterRow[] {
  const processes = [...new Set(runs.flatMap((r) => Object.keys(r.processes)))];
  return processes.flatMap((p) => {
    const present = runs.flatMap((r) => Object.keys(r.processes[p] ?? {}));
    return orderedKeys(PROCESS_COUNTERS, present)
      .filter((c) => runs.some((r) => r.processes[p] && c in r.processes[p]))
      .map((c) => row(p, c, runs.map((r) => r.processes[p]?.[c] ?? null)));
  });
}

export interface ExpectationRow {
  line: number;
  text: string;
  /** Per policy; null when the expectation does not apply to it (`for ...`). */
  results: (ExpectationResult | null)[];
}

/** Expectations by source line, with each policy's result. */
export function expectationRows(runs: RunResult[]): ExpectationRow[] {
  const rows = new Map<string, ExpectationRow>();
  runs.forEach((run, p) => {
    for (const e of run.expectations) {
      const key = `${e.line}\0${e.text}`;
      let r = rows.get(key);
      if (!r) {
        r = { line: e.line, text: e.text, results: runs.map(() => null) };
        rows.set(key, r);
      }
      r.results[p] = e;
    }
  });
  return [...rows.values()].sort((a, b) => a.line - b.line);
}

export interface StepError {
  policy: string;
  step: StepRecord;
  error: string;
}

/** Steps the kernel refused, per policy. */
export function stepErrors(runs: RunResult[]): StepError[] {
  return runs.flatMap((run) => run.steps.filter((s) => s.error).map((s) => ({ policy: run.policy, step: s, error: s.error ?? '' })));
}

export interface ViolationRow {
  policy: string;
  violation: Violation;
  /** The statement of the step that caused it, when the run recorded it. */
  statement: string;
}

export function violationRows(runs: RunResult[]): ViolationRow[] {
  return runs.flatMap((run) =>
    run.violations.map((v) => ({ policy: run.policy, violation: v, statement: run.steps[v.step]?.text ?? '' })),
  );
}

export interface InvariantRow {
  policy: string;
  failure: InvariantFailure;
  statement: string;
}

export function invariantRows(runs: RunResult[]): InvariantRow[] {
  return runs.flatMap((run) =>
    run.invariants.map((f) => ({ policy: run.policy, failure: f, statement: run.steps[f.step]?.text ?? '' })),
  );
}

/** The statements of the scenario, from the run with the most steps (a stopped run has fewer). */
export function scenarioSteps(runs: RunResult[]): StepRecord[] {
  return runs.reduce<StepRecord[]>((best, r) => (r.steps.length > best.length ? r.steps : best), []);
}

/** Expectation actual value as text. */
export function formatActual(actual: ExpectationResult['actual']): string {
  return actual === null ? 'n/a' : String(actual);
}

/** Rows of the decisions table kept at each end in HTML and Markdown. */
export const DECISION_ROWS_EACH_END = 25;
/** Differing fault sites listed per pattern in HTML and Markdown (all are counted). */
export const DIFFERENCE_ROWS_PER_PATTERN = 20;

export interface PolicyDecisions {
  policy: string;
  total: number;
  groups: DecisionGroup[];
  head: Decision[];
  tail: Decision[];
  omitted: number;
}

/** Everything the human-readable formats show, computed once. */
export interface ReportSummary {
  policies: string[];
  steps: StepRecord[];
  totals: CounterRow[];
  perProcess: CounterRow[];
  expectations: ExpectationRow[];
  stepErrors: StepError[];
  violations: ViolationRow[];
  invariants: InvariantRow[];
  decisions: PolicyDecisions[];
  /** Null for a single-policy report. */
  differences: DifferenceSummary | null;
}

export function summarise(runs: RunResult[]): ReportSummary {
  const decoded = runs.map(runDecisions);
  return {
    policies: runs.map((r) => r.policy),
    steps: scenarioSteps(runs),
    totals: totalCounterRows(runs),
    perProcess: processCounterRows(runs),
    expectations: expectationRows(runs),
    stepErrors: stepErrors(runs),
    violations: violationRows(runs),
    invariants: invariantRows(runs),
    decisions: decoded.map((d, i) => ({ policy: runs[i].policy, total: d.length, groups: groupDecisions(d), ...headAndTail(d, DECISION_ROWS_EACH_END) })),
    differences: runs.length > 1 ? differingDecisions(decoded, DIFFERENCE_ROWS_PER_PATTERN) : null,
  };
}
