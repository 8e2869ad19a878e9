// The Markdown report, for mailing lists and issues: GitHub tables (every
// cell escaped, `|` included) and the scenario as a fenced code block whose
// fence is longer than any backtick run in it, so it can be copied and run.

import type { RunResult } from '../mm/api';
import { headAndTail, type Decision } from './decisions';
import { escapeMarkdown as md, markdownCode as code, markdownFence } from './escape';
import { count, formatAddress, formatBytes, formatCounter, formatInt, isoDate } from './format';
import type { ReportInput } from './input';
import { DECISION_ROWS_EACH_END, DIFFERENCE_ROWS_PER_PATTERN, formatActual, summarise, type CounterRow, type ReportSummary } from './summary';

/** A GitHub table; cells must already be escaped. */
function table(headers: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(headers), line(headers.map(() => '---')), ...rows.map(line)].join('\n');
}

function policies(runs: RunResult[], s: ReportSummary): string {
  return table(
    ['policy', 'result', 'expectations held', 'violations', 'steps run', 'faults', 'stopped'],
    runs.map((r, i) => {
      const held = r.expectations.filter((e) => e.passed).length;
      return [
        code(r.policy),
        r.passed ? 'passed' : '**FAILED**',
        `${held} of ${r.expectations.length}`,
        formatInt(r.violations.length),
        formatInt(r.steps.length),
        formatInt(s.decisions[i].total),
        r.stopped ? md(`${r.stopped.reason} at step ${r.stopped.atStep}: ${r.stopped.message}`) : '',
      ];
    }),
  );
}

function expectations(s: ReportSummary): string {
  if (s.expectations.length === 0) return 'The scenario states no expectation.';
  return table(
    ['line', 'expectation', ...s.policies.map(md)],
    s.expectations.map((e) => [
      String(e.line),
      code(e.text),
      ...e.results.map((r) => {
        if (!r) return 'not checked';
        const actual = `actual ${code(formatActual(r.actual))}`;
        return r.passed ? `held, ${actual}` : `**FAILED**, ${actual}${r.message ? `: ${md(r.message)}` : ''}`;
      }),
    ]),
  );
}

function counters(rows: CounterRow[], policies: string[], withProcess: boolean): string {
  const multi = policies.length > 1;
  return table(
    [...(withProcess ? ['process'] : []), 'counter', ...policies.map(md), ...(multi ? ['differs'] : [])],
    rows.map((r) => [
      ...(withProcess ? [md(r.process)] : []),
      code(r.counter),
      ...r.values.map((v) => {
        if (v === null) return '-';
        const text = md(formatCounter(r.counter, v));
        return r.differs ? `**${text}**` : text;
      }),
      ...(multi ? [r.differs ? '≠' : ''] : []),
    ]),
  );
}

/** The charts of the HTML report as a table: memory, copies and reuses after each step. */
function timeline(runs: RunResult[], s: ReportSummary): string {
  const { head, tail, omitted } = headAndTail(s.steps, DECISION_ROWS_EACH_END);
  const row = (step: ReportSummary['steps'][number]) => [
    String(step.index),
    String(step.line),
    code(step.text),
    ...runs.map((r) => {
      const t = r.timeline;
      const i = step.index;
      if (i >= t.memUsed.length) return '-';
      return `${formatBytes(t.memUsed[i])} / ${formatInt(t.cowCopies[i])} / ${formatInt(t.pgreuse[i])}`;
    }),
  ];
  const headers = ['step', 'line', 'statement', ...runs.map((r) => `${md(r.policy)}: memory / copies / reuses`)];
  const gap = omitted ? [['…', '', md(`${formatInt(omitted)} steps not shown`), ...runs.map(() => '')]] : [];
  return table(headers, [...head.map(row), ...gap, ...tail.map(row)]);
}

function problems(s: ReportSummary): string {
  const parts: string[] = [];
  if (s.violations.length === 0 && s.invariants.length === 0) parts.push('No violation and no broken invariant under any policy.');
  if (s.violations.length > 0) {
    parts.push(
      '### Violations',
      table(
        ['policy', 'step', 'line', 'statement', 'kind', 'process', 'page', 'expected', 'read', 'message'],
        s.violations.map(({ policy, violation: v, statement }) => [
          md(policy), String(v.step), String(v.line), code(statement), md(v.kind), md(v.process),
          v.mapping !== undefined ? md(`${v.mapping}[${v.page ?? ''}]`) : '', String(v.expected), String(v.actual), md(v.message),
        ]),
      ),
    );
  }
  if (s.invariants.length > 0) {
    parts.push(
      '### Broken kernel invariants',
      table(
        ['policy', 'step', 'line', 'statement', 'invariant', 'cause', 'message'],
        s.invariants.map(({ policy, failure: f, statement }) => [
          md(policy), String(f.step), String(f.line), code(statement), md(f.invariant), f.policyDefect ? "the policy's decision" : 'engine', md(f.message),
        ]),
      ),
    );
  }
  if (s.stepErrors.length > 0) {
    parts.push(
      '### Steps the kernel refused',
      table(
        ['policy', 'step', 'line', 'statement', 'error'],
        s.stepErrors.map(({ policy, step, error }) => [md(policy), String(step.index), String(step.line), code(step.text), md(error)]),
      ),
    );
  }
  return parts.join('\n\n');
}

const where = (d: { mapping: string; page: number; address: number | undefined }) => `${formatAddress(d.address)} ${md(`${d.mapping}[${d.page}]`)}`;

function decisionRows(rows: Decision[], s: ReportSummary): string[][] {
  return rows.map((d) => [String(d.step), String(s.steps[d.step]?.line ?? ''), md(d.process), where(d), `${d.type} (${d.level})`, d.decision, code(d.reason)]);
}

function decisions(s: ReportSummary): string {
  const parts: string[] = [
    'Every fault is in the JSON and CSV reports; here: counts by kind, the first and last rows of each policy' +
      (s.differences ? ', and the faults whose decision differs between policies.' : '.'),
  ];
  const d = s.differences;
  if (d) {
    parts.push(`### Where the policies decide differently: ${count(d.total, 'fault site')}`);
    if (d.total > 0) {
      parts.push(
        table([...s.policies.map(md), 'fault sites'], d.patterns.map((p) => [...p.decisions.map(md), formatInt(p.count)])),
        table(
          ['step', 'line', 'process', 'address', 'fault', ...s.policies.map(md)],
          d.rows.map((r) => [
            String(r.step), String(s.steps[r.step]?.line ?? ''), md(r.process), where(r), r.type,
            ...r.byPolicy.map((x) => (x ? `${x.decision} ${code(x.reason)}` : 'no fault')),
          ]),
        ),
      );
      if (d.total > d.rows.length) parts.push(`Listed: the first ${DIFFERENCE_ROWS_PER_PATTERN} fault sites of each pattern, ${formatInt(d.rows.length)} of ${formatInt(d.total)}.`);
    }
  }
  for (const p of s.decisions) {
    parts.push(`### ${code(p.policy)}: ${count(p.total, 'fault')}`);
    if (p.total === 0) continue;
    parts.push(
      table(
        ['process', 'fault', 'decision', 'reason', 'rule', 'faults'],
        p.groups.map((g) => [md(g.process), `${g.type} (${g.level})`, g.decision, code(g.reason), code(g.rule), formatInt(g.count)]),
      ),
    );
    const gap = p.omitted ? [['…', '', '', md(`${formatInt(p.omitted)} faults not shown`), '', '', '']] : [];
    parts.push(table(['step', 'line', 'process', 'address', 'fault', 'decision', 'reason'], [...decisionRows(p.head, s), ...gap, ...decisionRows(p.tail, s)]));
  }
  return parts.join('\n\n');
}

function diagnostics(input: ReportInput): string {
  return table(
    ['where', 'severity', 'message', 'code'],
    input.diagnostics.map((d) => [md(`${input.file}:${d.line}:${d.col}`), d.severity, md(d.message), code(d.code)]),
  );
}

export function renderMarkdown(input: ReportInput): string {
  const s = summarise(input.runs);
  const source = input.source.replace(/\r\n?/g, '\n').replace(/\n*$/, '');
  const fence = markdownFence(source);
  const sections = [
    `# ${md(input.title)}`,
    `${md(input.file)} · generated ${md(isoDate(input.generatedAt))} · Folio Lab ${md(input.version)}`,
    '## Policies',
    policies(input.runs, s),
    ...(input.diagnostics.length ? ['## Diagnostics', diagnostics(input)] : []),
    '## Expectations',
    expectations(s),
    '## Counters',
    ...(s.policies.length > 1 ? ['Values where the policies disagree are in bold and marked ≠.'] : []),
    '### Totals',
    counters(s.totals, s.policies, false),
    '### Per process',
    counters(s.perProcess, s.policies, true),
    '## Over the steps',
    timeline(input.runs, s),
    '## Violations and errors',
    problems(s),
    '## Decisions',
    decisions(s),
    `## Scenario (${code(input.file)})`,
    'Line numbers in the tables count from the first line of this block.',
    `${fence}\n${source}\n${fence}`,
  ];
  return `${sections.join('\n\n')}\n`;
}
