// Expectations (scenario-language.md "Expectations"), evaluated after the last
// step for the policies they name: counters, per-process counters and page
// properties; a page range must hold on every page, two ranges pair pages.

import type { CmpOp, PolicyId, Scenario, Value } from '../lang/ast';
import { PAGE_SIZE } from '../lang/ast';
import type { Counters, ExpectationResult, ProcessCounters } from './api';
import type { Kernel } from './kernel';
import { pageProperty } from './query';

type Scalar = number | boolean | null;
interface Evaluated {
  /** One value, or one per page with the page's label. */
  values: Scalar[];
  labels: string[];
  paged: boolean;
  error?: string;
}

function cmp(a: Scalar, op: CmpOp, b: Scalar): boolean {
  if (a === null || b === null) return false;
  const x = Number(a);
  const y = Number(b);
  switch (op) {
    case '==':
      return x === y;
    case '!=':
      return x !== y;
    case '<':
      return x < y;
    case '<=':
      return x <= y;
    case '>':
      return x > y;
    case '>=':
      return x >= y;
  }
}

function evaluate(v: Value, k: Kernel, counters: Counters, processes: Record<string, ProcessCounters>): Evaluated {
  const one = (x: Scalar, error?: string): Evaluated => ({ values: [x], labels: [''], paged: false, error });
  switch (v.kind) {
    case 'number':
      return one(v.value);
    case 'bool':
      return one(v.value);
    case 'counter':
      return one(counters[v.name] ?? null);
    case 'process-counter': {
      const p = processes[v.process.text];
      if (p === undefined) return one(null, `no process ${v.process.text}`);
      return one(p[v.name] ?? null);
    }
    case 'page': {
      const mm = k.byName.get(v.process.text);
      if (mm === undefined) return { values: [], labels: [], paged: true, error: `no process ${v.process.text}` };
      const name = v.range.mapping.text;
      const mp = mm.mappings.get(name);
      if (mp === undefined) return { values: [], labels: [], paged: true, error: `${mm.name} has no mapping ${name}` };
      const idx = (x: { kind: 'page' | 'bytes'; value: number }): number => (x.kind === 'page' ? x.value : x.value / PAGE_SIZE);
      const i = v.range.start ? idx(v.range.start) : 0;
      const j = v.range.single ? i + 1 : v.range.end ? idx(v.range.end) : mp.pages;
      if (i < 0 || j > mp.pages || i >= j) return { values: [], labels: [], paged: true, error: `${name}[${i}..${j}] is outside the mapping (${mp.pages} pages)` };
      const values: Scalar[] = [];
      const labels: string[] = [];
      for (let p = i; p < j; p++) {
        values.push(pageProperty(k, mm, mp.start + p, v.property));
        labels.push(`${mm.name} ${name}[${p}].${v.property}`);
      }
      return { values, labels, paged: true };
    }
  }
}

export function evaluateExpectations(
  scenario: Scenario,
  policy: PolicyId,
  k: Kernel,
  counters: Counters,
  processes: Record<string, ProcessCounters>,
): ExpectationResult[] {
  const out: ExpectationResult[] = [];
  for (const ex of scenario.expectations) {
    if (ex.policies && !ex.policies.some((p) => p.text === policy)) continue;
    const { lhs, op, rhs } = ex.condition;
    const a = evaluate(lhs, k, counters, processes);
    const b = evaluate(rhs, k, counters, processes);
    const base = { line: ex.span.line, text: ex.text, span: ex.span };
    if (a.error || b.error) {
      out.push({ ...base, passed: false, actual: null, message: `cannot evaluate: ${a.error ?? b.error}` });
      continue;
    }
    if (a.paged && b.paged && a.values.length !== b.values.length) {
      out.push({ ...base, passed: false, actual: null, message: `ranges differ in length (${a.values.length} and ${b.values.length} pages)` });
      continue;
    }
    const n = Math.max(a.values.length, b.values.length);
    let failed = -1;
    for (let i = 0; i < n && failed < 0; i++) {
      if (!cmp(a.values[a.paged ? i : 0], op, b.values[b.paged ? i : 0])) failed = i;
    }
    if (failed < 0) {
      out.push({ ...base, passed: true, actual: a.values[0] ?? null });
      continue;
    }
    const x = a.values[a.paged ? failed : 0];
    const y = b.values[b.paged ? failed : 0];
    const who = a.paged ? a.labels[failed] : b.paged ? b.labels[failed] : ex.text;
    out.push({ ...base, passed: false, actual: x ?? null, message: `${who} is ${x === null ? 'not applicable' : x}${b.paged ? ` vs ${b.labels[failed]} ${y}` : ''}: ${x} ${op} ${y} does not hold` });
  }
  return out;
}
