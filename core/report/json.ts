// The JSON report: the command line's `--json` document (scenario-language.md
// "Command line") unchanged under `files`, plus everything a run recorded
// under `report`: steps, timeline, violations, and the whole trace as rows of
// decoded decisions and events.

import type { Diagnostic } from '../lang/ast';
import type { RunResult } from '../mm/api';
import { decodeRun, type Decision } from './decisions';
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
  scenario: string;
  diagnostics: Diagnostic[];
  runs: CliJsonRun[];
}

export interface CliJsonDocument {
  files: CliJsonFile[];
}

/** The `foliolab run --json` document; the command line prints exactly this. */
export function cliJsonDocument(files: { file: string; title: string; diagnostics: Diagnostic[]; runs: RunResult[] }[]): CliJsonDocument {
  return {
    files: files.map((f) => ({
      file: f.file,
      scenario: f.title,
      diagnostics: f.diagnostics,
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

function decisionRow(d: Decision): unknown[] {
  return [d.index, d.step, d.process, d.mapping, d.page, d.address ?? null, d.type, d.level, d.decision, d.reason, d.rule];
}

function runDetails(run: RunResult) {
  const { decisions, events } = decodeRun(run);
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
    decisions: { fields: DECISION_FIELDS, rows: decisions.map(decisionRow) },
    events: {
      fields: EVENT_FIELDS,
      rows: events.map((e) => EVENT_FIELDS.map((f) => e[f] ?? null)),
    },
  };
}

/**
 * Indented JSON where an array of plain values stays on one line: the trace's
 * rows and the timeline read one line per row instead of one per number.
 */
function toJson(value: unknown, indent = ''): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    if (value.every((v) => v === null || typeof v !== 'object')) return JSON.stringify(value);
    return `[\n${value.map((v) => inner + toJson(v, inner)).join(',\n')}\n${indent}]`;
  }
  if (ArrayBuffer.isView(value)) return JSON.stringify(Array.from(value as unknown as ArrayLike<number>));
  const entries = Object.entries(value).filter(([, v]) => v !== undefined);
  if (entries.length === 0) return '{}';
  return `{\n${entries.map(([k, v]) => `${inner}${JSON.stringify(k)}: ${toJson(v, inner)}`).join(',\n')}\n${indent}}`;
}

export function renderJson(input: ReportInput): string {
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
      runs: input.runs.map(runDetails),
    },
  };
  return `${toJson(doc)}\n`;
}
