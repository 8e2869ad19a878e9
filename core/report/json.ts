// The JSON report: the command line's `--json` document (scenario-language.md
// "Command line") unchanged under `files`, plus everything a run recorded
// under `report`: steps, timeline, violations, and the whole trace as rows of
// decoded decisions and events.

import type { Diagnostic } from '../lang/ast';
import type { RunResult } from '../mm/api';
import { forEachEvent } from './decisions';
import { isoDate } from './format';
import type { ReportInput } from './input';

export interface CliJsonRun {
  policy: string;
  passed: boolean;
  expectations: { line: number; text: string; passed: boolean; actual: number | boolean | null }[];
  counters: Record<string, number>;
  processes: Record<string, Record<string, number>>;
}

export interface CliJsonFile {
  file: string;
  /** The scenario's title; null when the file could not be read. */
  scenario: string | null;
  diagnostics: Diagnostic[];
  runs: CliJsonRun[];
}

export interface CliJsonDocument {
  files: CliJsonFile[];
}

/** What the document needs of a run: a RunResult has it, and so has the command line's run summary. */
export interface CliJsonRunSource {
  policy: string;
  passed: boolean;
  expectations: { line: number; text: string; passed: boolean; actual: number | boolean | null }[];
  counters: Record<string, number>;
  processes: Record<string, Record<string, number>>;
}

/**
 * The `foliolab run --json` document (scenario-language.md "Command line"),
 * exactly the spec's fields; the command line may add its own to each run.
 */
export function cliJsonDocument(files: { file: string; title: string | null; diagnostics: Diagnostic[]; runs: CliJsonRunSource[] }[]): CliJsonDocument {
  return {
    files: files.map((f) => ({
      file: f.file,
      scenario: f.title,
      diagnostics: f.diagnostics.map((d) => ({ line: d.line, col: d.col, endLine: d.endLine, endCol: d.endCol, severity: d.severity, code: d.code, message: d.message })),
      runs: f.runs.map((r) => ({
        policy: r.policy,
        passed: r.passed,
        expectations: r.expectations.map((e) => ({ line: e.line, text: e.text, passed: e.passed, actual: e.actual })),
        counters: { ...r.counters },
        processes: Object.fromEntries(Object.entries(r.processes).map(([p, c]) => [p, { ...c }])),
      })),
    })),
  };
}

export const DECISION_FIELDS = ['index', 'step', 'process', 'mapping', 'page', 'address', 'type', 'level', 'decision', 'reason', 'rule'] as const;
export const EVENT_FIELDS = ['index', 'step', 'kind', 'process', 'mapping', 'page', 'address', 'pfn', 'order', 'message'] as const;

/** Rows already written as JSON arrays, one line each (built while the trace is walked). */
class JsonRows {
  constructor(readonly lines: string[]) {}
}

/**
 * The decoded trace as two tables of rows, in one pass that keeps no decoded
 * event. A decision's `rule` indexes `rules`: a rule is a long sentence that a
 * run repeats for every fault.
 */
function traceTables(run: RunResult, strings: Map<string, string>) {
  const rules: string[] = [];
  const ruleIndex = new Map<string, number>();
  const decisions: string[] = [];
  const events: string[] = [];
  forEachEvent(
    run,
    (d) => {
      let r = ruleIndex.get(d.rule);
      if (r === undefined) {
        r = rules.push(d.rule) - 1;
        ruleIndex.set(d.rule, r);
      }
      decisions.push(plainArray([d.index, d.step, d.process, d.mapping, d.page, d.address ?? null, d.type, d.level, d.decision, d.reason, r], strings));
    },
    (e) => events.push(plainArray(EVENT_FIELDS.map((f) => e[f] ?? null), strings)),
  );
  return {
    decisions: { fields: DECISION_FIELDS, rules, rows: new JsonRows(decisions) },
    events: { fields: EVENT_FIELDS, rows: new JsonRows(events) },
  };
}

function runDetails(run: RunResult, strings: Map<string, string>) {
  return {
    policy: run.policy,
    passed: run.passed,
    ...(run.stopped ? { stopped: run.stopped } : {}),
    elapsedMs: run.elapsedMs,
    expectations: run.expectations,
    steps: run.steps,
    violations: run.violations,
    invariants: run.invariants,
    timeline: run.timeline,
    ...traceTables(run, strings),
  };
}

const isPlain = (v: unknown) => v === null || (typeof v !== 'object' && typeof v !== 'function');

/**
 * JSON of an array of plain values; the same few strings (process names,
 * fault kinds, reason codes) fill a million rows, so their JSON is cached.
 */
function plainArray(values: unknown[], strings: Map<string, string>): string {
  const parts = new Array<string>(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v === 'string') {
      let j = strings.get(v);
      if (j === undefined) strings.set(v, (j = JSON.stringify(v)));
      parts[i] = j;
    } else parts[i] = typeof v === 'number' && Number.isFinite(v) ? String(v) : (JSON.stringify(v) ?? 'null');
  }
  return `[${parts.join(',')}]`;
}

/**
 * Indented JSON, appended to `out` in pieces (a report of a million faults
 * stays far from the longest string an engine allows). An array of plain
 * values stays on one line, so the trace reads one row per line.
 */
function emit(value: unknown, indent: string, out: string[], strings: Map<string, string>): void {
  // A function stands for a value built only when written (one run's decoded trace at a time).
  if (typeof value === 'function') {
    emit(value(), indent, out, strings);
    return;
  }
  if (isPlain(value)) {
    out.push(JSON.stringify(value) ?? 'null');
    return;
  }
  if (ArrayBuffer.isView(value)) {
    out.push(JSON.stringify(Array.from(value as unknown as ArrayLike<number>)));
    return;
  }
  const inner = `${indent}  `;
  if (value instanceof JsonRows) {
    const n = value.lines.length;
    if (n === 0) out.push('[]');
    else {
      out.push('[\n');
      for (let i = 0; i < n; i++) out.push(`${inner}${value.lines[i]}${i < n - 1 ? ',\n' : '\n'}`);
      out.push(`${indent}]`);
    }
    return;
  }
  if (Array.isArray(value)) {
    if (value.every(isPlain)) {
      out.push(plainArray(value, strings));
      return;
    }
    out.push('[\n');
    value.forEach((v, i) => {
      const sep = i < value.length - 1 ? ',\n' : '\n';
      if (Array.isArray(v) && v.every(isPlain)) out.push(inner + plainArray(v, strings) + sep);
      else {
        out.push(inner);
        emit(v, inner, out, strings);
        out.push(sep);
      }
    });
    out.push(`${indent}]`);
    return;
  }
  const entries = Object.entries(value as object).filter(([, v]) => v !== undefined);
  if (entries.length === 0) {
    out.push('{}');
    return;
  }
  out.push('{\n');
  entries.forEach(([k, v], i) => {
    out.push(`${inner}${JSON.stringify(k)}: `);
    emit(v, inner, out, strings);
    out.push(i < entries.length - 1 ? ',\n' : '\n');
  });
  out.push(`${indent}}`);
}

export function renderJson(input: ReportInput): string[] {
  const strings = new Map<string, string>();
  const doc = {
    ...cliJsonDocument([{ file: input.file, title: input.title, diagnostics: input.diagnostics, runs: input.runs }]),
    report: {
      generator: 'Folio Lab',
      version: input.version,
      generatedAt: isoDate(input.generatedAt),
      title: input.title,
      file: input.file,
      source: input.source,
      policies: input.runs.map((r) => r.policy),
      runs: input.runs.map((run) => () => runDetails(run, strings)),
    },
  };
  const out: string[] = [];
  emit(doc, '', out, strings);
  out.push('\n');
  return out;
}
