// The HTML report: one self-contained file. Inline style and SVG only, no
// script, no URL of any kind, and a CSP that forbids loading anything, so the
// file is safe to open from disk whatever the scenario says. Every string that
// comes from the user or the run goes through escapeHtml.

import type { RunResult } from '../mm/api';
import type { Decision } from './decisions';
import { escapeHtml as h } from './escape';
import { count, formatAddress, formatBytes, formatCounter, formatInt, isoDate } from './format';
import type { MapImage, ReportInput } from './input';
import { mapImageCaption, mapImageSvg, MAX_MAP_IMAGES, memoryMapCss, memoryMapLegend } from './memory-map';
import { REPORT_CSS } from './style';
import { lineChart, SERIES_COLOURS } from './svg-chart';
import { DIFFERENCE_ROWS_PER_PATTERN, formatActual, summarise, type CounterRow, type ReportSummary } from './summary';

export const REPORT_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

type Cell = string | { html: string; cls?: string; colspan?: number };

function table(headers: string[], rows: { cells: Cell[]; cls?: string }[]): string {
  const head = `<thead><tr>${headers.map((c) => `<th>${c}</th>`).join('')}</tr></thead>`;
  const body = rows
    .map((r) => {
      const cells = r.cells.map((c) => (typeof c === 'string' ? `<td>${c}</td>` : `<td${c.cls ? ` class="${c.cls}"` : ''}${c.colspan ? ` colspan="${c.colspan}"` : ''}>${c.html}</td>`));
      return `<tr${r.cls ? ` class="${r.cls}"` : ''}>${cells.join('')}</tr>`;
    })
    .join('\n');
  return `<table>${head}<tbody>\n${body}\n</tbody></table>`;
}

const num = (n: number): Cell => ({ html: h(formatInt(n)), cls: 'num' });
const lineLink = (line: number) => `<a href="#L${line}">${line}</a>`;
const passFail = (passed: boolean) => (passed ? '<span class="pass">passed</span>' : '<span class="fail">FAILED</span>');

function section(id: string, title: string, body: string): string {
  return `<section id="${id}">\n<h2>${h(title)}</h2>\n${body}\n</section>`;
}

function policiesSection(runs: RunResult[], s: ReportSummary): string {
  const rows = runs.map((run, i) => {
    const failed = run.expectations.filter((e) => !e.passed).length;
    const rules = [...new Set(s.decisions[i].groups.map((g) => g.rule))].sort();
    return {
      cells: [
        `<code>${h(run.policy)}</code>`,
        passFail(run.passed),
        h(`${run.expectations.length - failed} of ${run.expectations.length}`),
        num(run.violations.length),
        num(run.steps.length),
        num(s.decisions[i].total),
        h(run.stopped ? `${run.stopped.reason} at step ${run.stopped.atStep}: ${run.stopped.message}` : ''),
        rules.map((r) => `<code>${h(r)}</code>`).join('<br>'),
      ],
    };
  });
  return section(
    'policies',
    'Policies',
    table(['policy', 'result', 'expectations held', 'violations', 'steps run', 'faults', 'stopped', 'rules that decided'].map(h), rows),
  );
}

function diagnosticsSection(input: ReportInput): string {
  if (input.diagnostics.length === 0) return '';
  const rows = input.diagnostics.map((d) => ({
    cells: [h(`${input.file}:${d.line}:${d.col}`), { html: h(d.severity), cls: d.severity === 'error' ? 'fail' : '' }, h(d.message), `<code>${h(d.code)}</code>`],
  }));
  return section('diagnostics', 'Diagnostics', table(['where', 'severity', 'message', 'code'], rows));
}

function expectationsSection(s: ReportSummary): string {
  if (s.expectations.length === 0) return section('expectations', 'Expectations', '<p class="note">The scenario states no expectation.</p>');
  const rows = s.expectations.map((e) => ({
    cells: [
      lineLink(e.line),
      `<code>${h(e.text)}</code>`,
      ...e.results.map((r): Cell => {
        if (!r) return { html: 'not checked', cls: 'na' };
        const mark = r.passed ? '<span class="pass">✔ held</span>' : '<span class="fail">✘ failed</span>';
        const msg = !r.passed && r.message ? `<br><span class="small">${h(r.message)}</span>` : '';
        return `${mark} <span class="small">actual</span> <code>${h(formatActual(r.actual))}</code>${msg}`;
      }),
    ],
  }));
  return section('expectations', 'Expectations', table(['line', 'expectation', ...s.policies.map(h)], rows));
}

function counterTable(rows: CounterRow[], policies: string[], withProcess: boolean): string {
  const multi = policies.length > 1;
  return table(
    [...(withProcess ? ['process'] : []), 'counter', ...policies.map(h), ...(multi ? ['differs'] : [])],
    rows.map((r) => ({
      cls: r.differs ? 'differs' : undefined,
      cells: [
        ...(withProcess ? [h(r.process)] : []),
        `<code>${h(r.counter)}</code>`,
        ...r.values.map((v): Cell => (v === null ? { html: '—', cls: 'na' } : { html: h(formatCounter(r.counter, v)), cls: 'num' })),
        ...(multi ? [r.differs ? '<span class="mark">≠</span>' : ''] : []),
      ],
    })),
  );
}

function countersSection(s: ReportSummary): string {
  const note = s.policies.length > 1 ? '<p class="note">Rows where the policies disagree are highlighted and marked ≠.</p>' : '';
  return section(
    'counters',
    'Counters',
    `${note}<h3>Totals</h3>\n${counterTable(s.totals, s.policies, false)}\n<h3>Per process</h3>\n${counterTable(s.perProcess, s.policies, true)}`,
  );
}

/** Copies and reuses keep one colour each in every policy's chart. */
const COPY_COLOUR = SERIES_COLOURS[1];
const REUSE_COLOUR = SERIES_COLOURS[2];

function chartsSection(runs: RunResult[], s: ReportSummary): string {
  const xLabels = s.steps.map((st) => `line ${st.line}: ${st.text}`);
  // Policies with the very same series share one line (drawn on top of each other they would hide).
  const same = new Map<string, { label: string[]; values: number[] }>();
  for (const r of runs) {
    const key = r.timeline.memUsed.join();
    const entry = same.get(key);
    if (entry) entry.label.push(r.policy);
    else same.set(key, { label: [r.policy], values: r.timeline.memUsed });
  }
  const memory = lineChart({
    title: 'Memory in use after each step',
    lines: [...same.values()].map((e, i) => ({ label: e.label.join(' = '), values: e.values, colour: SERIES_COLOURS[i % SERIES_COLOURS.length] })),
    formatY: formatBytes,
    binary: true,
    xLabels,
  });
  // One small chart per policy on a common scale, so the policies compare at a glance.
  const top = runs.reduce((m, r) => Math.max(m, r.timeline.cowCopies.at(-1) ?? 0, r.timeline.pgreuse.at(-1) ?? 0), 0); // cumulative: the last is the largest
  const cow = runs.map((r) =>
    lineChart({
      title: `${r.policy}: copies and reuses (cumulative)`,
      lines: [
        { label: 'copies (cow_copies)', values: r.timeline.cowCopies, colour: COPY_COLOUR },
        { label: 'reuses (pgreuse)', values: r.timeline.pgreuse, colour: REUSE_COLOUR, dashed: true },
      ],
      formatY: formatInt,
      minYMax: top,
      width: 440,
      height: 220,
      xLabels,
    }),
  );
  return section('charts', 'Over the steps', `<figure>${memory}</figure>\n<div class="charts">${cow.map((c) => `<figure>${c}</figure>`).join('\n')}</div>`);
}

function problemsSection(s: ReportSummary): string {
  const parts: string[] = [];
  if (s.violations.length === 0 && s.invariants.length === 0) parts.push('<p class="pass">No violation and no broken invariant under any policy.</p>');
  if (s.violations.length > 0) {
    parts.push(
      '<h3>Violations</h3>',
      table(
        ['policy', 'step', 'line', 'statement', 'kind', 'process', 'page', 'expected', 'read', 'message'],
        s.violations.map(({ policy, violation: v, statement }) => ({
          cells: [
            h(policy), num(v.step), lineLink(v.line), `<code>${h(statement)}</code>`, { html: h(v.kind), cls: 'fail' }, h(v.process),
            h(v.mapping !== undefined ? `${v.mapping}[${v.page ?? ''}]` : ''), num(v.expected), num(v.actual), h(v.message),
          ],
        })),
      ),
    );
  }
  if (s.invariants.length > 0) {
    parts.push(
      '<h3>Broken kernel invariants</h3>',
      table(
        ['policy', 'step', 'line', 'statement', 'invariant', 'cause', 'message'],
        s.invariants.map(({ policy, failure: f, statement }) => ({
          cells: [h(policy), num(f.step), lineLink(f.line), `<code>${h(statement)}</code>`, h(f.invariant), h(f.policyDefect ? "the policy's decision" : 'engine'), h(f.message)],
        })),
      ),
    );
  }
  if (s.stepErrors.length > 0) {
    parts.push(
      '<h3>Steps the kernel refused</h3>',
      table(
        ['policy', 'step', 'line', 'statement', 'error'],
        s.stepErrors.map(({ policy, step, error }) => ({ cells: [h(policy), num(step.index), lineLink(step.line), `<code>${h(step.text)}</code>`, h(error)] })),
      ),
    );
  }
  return section('violations', 'Violations and errors', parts.join('\n'));
}

function where(d: { mapping: string; page: number; address: number | undefined }): string {
  return `${h(formatAddress(d.address))} <span class="small">${h(d.mapping)}[${d.page}]</span>`;
}

function decisionRows(rows: Decision[], steps: ReportSummary['steps']) {
  return rows.map((d) => ({
    cells: [num(d.step), lineLink(steps[d.step]?.line ?? 0), h(d.process), where(d), h(`${d.type} (${d.level})`), h(d.decision), `<code>${h(d.reason)}</code>`],
  }));
}

function decisionsSection(s: ReportSummary): string {
  const parts: string[] = [
    '<p class="note">Every fault is listed in the JSON and CSV reports; here: counts by kind, the first and last rows of each policy' +
      (s.differences ? ', and the faults whose decision differs between policies.' : '.') +
      '</p>',
  ];
  if (s.differences) {
    const d = s.differences;
    parts.push(`<h3>Where the policies decide differently: ${h(count(d.total, 'fault site'))}</h3>`);
    if (d.total > 0) {
      parts.push(
        table(
          [...s.policies.map(h), 'fault sites'],
          d.patterns.map((p) => ({ cells: [...p.decisions.map(h), num(p.count)] })),
        ),
        table(
          ['step', 'line', 'process', 'address', 'fault', ...s.policies.map(h)],
          d.rows.map((r) => ({
            cells: [
              num(r.step), lineLink(s.steps[r.step]?.line ?? 0), h(r.process), where(r), h(r.type),
              ...r.byPolicy.map((x): Cell => (x ? `${h(x.decision)} <code class="small">${h(x.reason)}</code>` : { html: 'no fault', cls: 'na' })),
            ],
          })),
        ),
      );
      if (d.total > d.rows.length) parts.push(`<p class="note">Listed: the first ${DIFFERENCE_ROWS_PER_PATTERN} fault sites of each pattern, ${h(formatInt(d.rows.length))} of ${h(formatInt(d.total))}.</p>`);
    }
  }
  s.decisions.forEach((p) => {
    parts.push(`<h3><code>${h(p.policy)}</code>: ${h(count(p.total, 'fault'))}</h3>`);
    if (p.total === 0) return;
    parts.push(
      table(
        ['process', 'fault', 'decision', 'reason', 'rule', 'faults'],
        p.groups.map((g) => ({ cells: [h(g.process), h(`${g.type} (${g.level})`), h(g.decision), `<code>${h(g.reason)}</code>`, `<code>${h(g.rule)}</code>`, num(g.count)] })),
      ),
    );
    const omitted = p.omitted
      ? [{ cls: 'omitted', cells: [{ html: h(`… ${formatInt(p.omitted)} faults not shown (see the JSON or CSV report) …`), colspan: 7 }] }]
      : [];
    const rows = [...decisionRows(p.head, s.steps), ...omitted, ...decisionRows(p.tail, s.steps)];
    parts.push(table(['step', 'line', 'process', 'address', 'fault', 'decision', 'reason'], rows));
  });
  return section('decisions', 'Decisions', parts.join('\n'));
}

function memoryMapSection(images: MapImage[] | undefined, runs: RunResult[]): string {
  if (runs.length !== 1 || !images || images.length === 0) return '';
  const legend = memoryMapLegend()
    .map((c) => `<span><svg class="swatch" viewBox="0 0 11 11" width="11" height="11"><rect class="${c.cls}" width="11" height="11"/></svg>${h(c.label)}</span>`)
    .join('');
  const maps = images.slice(0, MAX_MAP_IMAGES).map((img) => `<figure><figcaption>${h(mapImageCaption(img))}</figcaption>${mapImageSvg(img)}</figure>`);
  const more = images.length > MAX_MAP_IMAGES ? `<p class="note">${h(count(images.length - MAX_MAP_IMAGES, 'more mapping'))} not drawn.</p>` : '';
  return section('memory-map', `Final memory map (${runs[0].policy})`, `<div class="legend">${legend}</div>\n<div class="maps">${maps.join('\n')}</div>${more}`);
}

function sourceSection(input: ReportInput, s: ReportSummary): string {
  const flagged = new Set<number>([
    ...s.expectations.filter((e) => e.results.some((r) => r && !r.passed)).map((e) => e.line),
    ...s.violations.map((v) => v.violation.line),
    ...s.stepErrors.map((e) => e.step.line),
    ...input.diagnostics.map((d) => d.line),
  ]);
  const lines = input.source.replace(/\r\n?/g, '\n').replace(/\n$/, '').split('\n');
  const body = lines
    .map((text, i) => `<span class="line${flagged.has(i + 1) ? ' flag' : ''}" id="L${i + 1}"><span class="ln">${i + 1}</span>${h(text)}</span>`)
    .join('');
  return section('source', `Scenario: ${input.file}`, `<p class="note">Highlighted lines failed an expectation, caused a violation or an error.</p><pre class="source">${body}</pre>`);
}

export function renderHtml(input: ReportInput): string {
  const s = summarise(input.runs);
  const badges = input.runs.map((r) => `<span class="${r.passed ? 'pass' : 'fail'}">${h(r.policy)}: ${r.passed ? 'passed' : 'failed'}</span>`).join('');
  const nav = [
    ['policies', 'Policies'], ['expectations', 'Expectations'], ['counters', 'Counters'], ['charts', 'Charts'],
    ['violations', 'Violations'], ['decisions', 'Decisions'], ...(input.runs.length === 1 && input.mapImages?.length ? [['memory-map', 'Memory map']] : []),
    ['source', 'Scenario'],
  ].map(([id, label]) => `<li><a href="#${id}">${label}</a></li>`);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${REPORT_CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<meta name="generator" content="${h(`Folio Lab ${input.version}`)}">
<link rel="icon" href="data:,">
<title>${h(input.title)} · Folio Lab report</title>
<style>${REPORT_CSS}${input.runs.length === 1 && input.mapImages?.length ? memoryMapCss() : ''}</style>
</head>
<body>
<header>
<h1>${h(input.title)}</h1>
<p class="meta">${h(input.file)} · generated ${h(isoDate(input.generatedAt))} · Folio Lab ${h(input.version)}</p>
<p class="badges">${badges}</p>
</header>
<nav><ul>${nav.join('')}</ul></nav>
${policiesSection(input.runs, s)}
${diagnosticsSection(input)}
${expectationsSection(s)}
${countersSection(s)}
${input.runs.length ? chartsSection(input.runs, s) : ''}
${problemsSection(s)}
${decisionsSection(s)}
${memoryMapSection(input.mapImages, input.runs)}
${sourceSection(input, s)}
</body>
</html>
`;
}
