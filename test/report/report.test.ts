import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { reportInputForFile } from '../../cli/report';
import { CELL, type StateQuery } from '../../core/mm/api';
import { runDecisions } from '../../core/report/decisions';
import { csvField, escapeHtml, escapeMarkdown, markdownFence } from '../../core/report/escape';
import { cliJsonDocument, mapImagesFromState, renderReport, renderReportParts, type ReportInput } from '../../core/report/index';
import { CSV_COLUMNS } from '../../core/report/csv';
import { MAX_CELLS, MAX_MAP_IMAGES } from '../../core/report/memory-map';
import { DECISION_ROWS_EACH_END, DIFFERENCE_ROWS_PER_PATTERN } from '../../core/report/summary';
import { HOSTILE, hostileInput, input, pteThpRun } from './fixtures';
import { checkSelfContainedHtml } from './html-checks';
import { CLI_DOCUMENT, markdownTables, parseCsv, REPORT_DOCUMENT, validate } from './validators';

const both = () => input([pteThpRun('v6.9'), pteThpRun('v6.15')]);

describe('HTML report', () => {
  it('is self-contained and shows every part of a two-policy run', () => {
    const html = renderReport('html', both());
    checkSelfContainedHtml(html);
    expect(html).not.toMatch(/https?:/i); // not even as text: the input has no URL
    expect(html).toContain('<h1>pte-mapped THP reuse after child exit</h1>');
    expect(html).toContain('generated 2026-11-27T21:00:00.000Z · Folio Lab 0.1.0');
    // Counters that differ are marked, equal ones are not.
    expect(html).toMatch(/<tr class="differs"><td><code>pgreuse<\/code><\/td><td class="num">0<\/td><td class="num">1<\/td><td><span class="mark">≠<\/span>/);
    expect(html).toMatch(/<tr><td><code>pgfault<\/code><\/td><td class="num">2<\/td><td class="num">2<\/td><td><\/td><\/tr>/);
    // A memory chart with one line per policy, then a copies/reuses chart per policy.
    const charts = [...html.matchAll(/<svg class="chart"[\s\S]*?<\/svg>/g)].map((m) => m[0]);
    expect(charts).toHaveLength(3);
    expect(charts[0].match(/<polyline/g)).toHaveLength(2);
    expect(charts[1]).toContain('<title>v6.9: copies and reuses (cumulative)</title>');
    expect(charts[1].match(/<polyline/g)).toHaveLength(2);
    expect(charts[2]).toContain('<title>v6.15: copies and reuses (cumulative)</title>');
    // The differing decision is listed with both policies' reasons.
    expect(html).toMatch(/copy <code class="small">COPY_LARGE_FOLIO<\/code><\/td><td>reuse <code class="small">REUSE_ALL_MAPPINGS_OURS<\/code>/);
    // Source with line numbers and anchors the tables link to.
    expect(html).toContain('<span class="line" id="L13"><span class="ln">13</span>P0: write A[5]</span>');
    expect(html).toContain('<a href="#L13">13</a>');
    // No memory map for a comparison.
    expect(html).not.toContain('class="memory-map"');
  });

  it('escapes every user-written string (markup in title, file, source, messages)', () => {
    const html = renderReport('html', hostileInput());
    checkSelfContainedHtml(html);
    expect(html).not.toContain('<img');
    expect(html).not.toContain('</pre></code>');
    const escaped = escapeHtml(HOSTILE);
    expect(html).toContain(`<h1>${escaped}</h1>`);
    expect(html).toContain(`<title>${escaped} · Folio Lab report</title>`);
    // title, file, version, source, diagnostic, error, violation, invariant, expectation, stop reason
    expect(html.split(escaped).length - 1).toBeGreaterThanOrEqual(12);
    expect(html).toContain('&lt;/pre&gt;&lt;/code&gt;');
  });

  it('draws the final memory map of a single-policy run, downsampled above MAX_CELLS', () => {
    const pages = MAX_CELLS * 4 + 3;
    const cells = new Uint8Array(pages).map((_, i) => (i < pages / 2 ? CELL.PRESENT | CELL.WRITABLE | CELL.ANON_EXCLUSIVE : 0));
    const state = {
      processes: () => [
        { name: 'P0', pid: 1, alive: true, hasPinned: false, counters: {}, vmas: [{ mapping: 'A', start: 0x10000000, pages, prot: 'rw', flags: [] }, { mapping: 'B', start: 0x20000000, pages: 3, prot: 'rw', flags: [] }] },
        { name: 'P1', pid: 2, alive: false, hasPinned: false, counters: {}, vmas: [{ mapping: 'A', start: 0x10000000, pages: 9, prot: 'rw', flags: [] }] },
      ],
      pageCells: (_p: string, m: string, from: number, count: number) => (m === 'A' ? cells.slice(from, from + count) : new Uint8Array(count).fill(CELL.PRESENT | CELL.SHARED)),
    } as unknown as StateQuery;
    const images = mapImagesFromState(state);
    expect(images.map((i) => `${i.process} ${i.mapping} ${i.pages}/${i.pagesPerCell}=${i.cells.length}`)).toEqual(['P0 A 16387/5=3278', 'P0 B 3/1=3']);
    expect(images[0].cells[0]).toBe(CELL.PRESENT | CELL.WRITABLE | CELL.ANON_EXCLUSIVE);
    expect(images[0].cells[images[0].cells.length - 1]).toBe(0);

    const html = renderReport('html', input([pteThpRun('v6.15')], { mapImages: images }));
    checkSelfContainedHtml(html);
    const maps = [...html.matchAll(/<svg class="memory-map"[\s\S]*?<\/svg>/g)].map((m) => m[0]);
    expect(maps).toHaveLength(2);
    // Runs of equal cells are merged: half writable, half empty -> a handful of rects per row.
    expect(maps[0].match(/<rect class="ms-writable"/g)!.length).toBeLessThanOrEqual(Math.ceil(3278 / 64 / 2) + 1);
    expect(maps[1]).toContain('class="ms-ro-shared"');
    expect(html).toContain('one cell = 5 pages');
    expect(html).toContain('.ms-writable{fill:#2e9d52}');
    // Beyond MAX_MAP_IMAGES mappings the rest are counted, not drawn.
    const many = Array.from({ length: MAX_MAP_IMAGES + 6 }, (_, i) => ({ ...images[1], mapping: `M${i}` }));
    const crowded = renderReport('html', input([pteThpRun('v6.15')], { mapImages: many }));
    expect(crowded.match(/<svg class="memory-map"/g)).toHaveLength(MAX_MAP_IMAGES);
    expect(crowded).toContain('6 more mappings not drawn.');
    // Same input with two policies: no map.
    expect(renderReport('html', input([pteThpRun('v6.9'), pteThpRun('v6.15')], { mapImages: images }))).not.toContain('class="memory-map"');
  });
});

describe('a file with errors (no run)', () => {
  it('still reports its diagnostics in every format', () => {
    const inp = input([], {
      title: 'bad.mms',
      diagnostics: [{ line: 3, col: 12, endLine: 3, endCol: 21, severity: 'error', message: 'unknown advice "hugepages"', code: 'unknown-advice' }],
    });
    const html = renderReport('html', inp);
    checkSelfContainedHtml(html);
    expect(html).toContain('<td>pte-thp.mms:3:12</td><td class="fail">error</td><td>unknown advice &quot;hugepages&quot;</td>');
    expect(html).not.toContain('class="chart"');
    const md = renderReport('md', inp);
    expect(markdownTables(md).find((t) => t.header[0] === 'where')!.rows).toEqual([['pte-thp.mms:3:12', 'error', 'unknown advice "hugepages"', '`unknown-advice`']]);
    const doc = JSON.parse(renderReport('json', inp));
    expect(validate(doc, REPORT_DOCUMENT)).toEqual([]);
    expect(doc.files[0].diagnostics[0].code).toBe('unknown-advice');
    expect(parseCsv(renderReport('csv', inp))).toEqual([[...CSV_COLUMNS]]);
  });
});

describe('Markdown report', () => {
  it('has valid GitHub tables and the scenario in a fence longer than any backtick run', () => {
    for (const inp of [both(), hostileInput()]) {
      const md = renderReport('md', inp);
      const tables = markdownTables(md);
      expect(tables.length).toBeGreaterThanOrEqual(8);
      const fence = markdownFence(inp.source);
      expect(md).toContain(`${fence}\n${inp.source.replace(/\n*$/, '')}\n${fence}\n`);
    }
    const hostile = renderReport('md', hostileInput());
    expect(markdownFence(hostileInput().source)).toBe('``````');
    // Outside the code block no raw markup survives.
    const outside = hostile.slice(0, hostile.indexOf('``````'));
    expect(outside).not.toMatch(/(^|[^\\])<(img|script)/);
    expect(outside).toContain(`# ${escapeMarkdown(HOSTILE)}`);
  });

  it('shows counters with differences, expectations with actual values, and differing decisions', () => {
    const md = renderReport('md', both());
    const tables = markdownTables(md);
    const totals = tables.find((t) => t.header.join() === 'counter,v6.9,v6.15,differs')!;
    expect(totals.rows.find((r) => r[0] === '`pgreuse`')).toEqual(['`pgreuse`', '**0**', '**1**', '≠']);
    expect(totals.rows.find((r) => r[0] === '`pgfault`')).toEqual(['`pgfault`', '2', '2', '']);
    const exp = tables.find((t) => t.header[1] === 'expectation')!;
    expect(exp.rows[0]).toEqual(['15', '`P0.cow_copies == 1`', 'held, actual `1`', 'not checked']);
    const diff = tables.find((t) => t.header.join() === 'step,line,process,address,fault,v6.9,v6.15')!;
    expect(diff.rows).toEqual([['7', '13', 'P0', '0x10005000 A\\[5\\]', 'wp', 'copy `COPY_LARGE_FOLIO`', 'reuse `REUSE_ALL_MAPPINGS_OURS`']]);
  });
});

describe('JSON report', () => {
  it('holds the command line document unchanged plus the decoded trace and the timeline', () => {
    const inp = both();
    const doc = JSON.parse(renderReport('json', inp));
    expect(validate(doc, REPORT_DOCUMENT)).toEqual([]);
    const cli = cliJsonDocument([{ file: inp.file, title: inp.title, diagnostics: inp.diagnostics, runs: inp.runs }]);
    expect(validate(cli, CLI_DOCUMENT)).toEqual([]);
    expect(doc.files).toEqual(JSON.parse(JSON.stringify(cli.files)));
    expect(doc.files[0].runs[1].expectations[0]).toEqual({ line: 16, text: 'P0.pgreuse == 1', passed: true, actual: 1 });
    const run = doc.report.runs[0];
    expect(run.decisions.fields).toEqual(['index', 'step', 'process', 'mapping', 'page', 'address', 'type', 'level', 'decision', 'reason', 'rule']);
    expect(run.decisions.rules).toEqual(['do_huge_pmd_anonymous_page (v6.9)', 'wp_can_reuse_anon_folio (v6.9)']);
    expect(run.decisions.rows).toEqual([
      [1, 2, 'P0', 'A', 0, 0x10000000, 'anon', 'pmd', 'alloc', 'ALLOC_THP', 0],
      [2, 7, 'P0', 'A', 5, 0x10005000, 'wp', 'pte', 'copy', 'COPY_LARGE_FOLIO', 1],
    ]);
    expect(run.events.rows).toEqual([[0, 3, 'split-pmd', 'P0', 'A', 0, 0x10000000, 4096, 9, 'mprotect splits the PMD of A']]);
    expect(run.timeline).toEqual(inp.runs[0].timeline);
    expect(doc.report.source).toBe(inp.source);
  });

  it('keeps hostile text intact (JSON escaping only)', () => {
    const doc = JSON.parse(renderReport('json', hostileInput()));
    expect(validate(doc, REPORT_DOCUMENT)).toEqual([]);
    expect(doc.files[0].scenario).toBe(HOSTILE);
    expect(doc.report.runs[0].stopped.message).toBe(HOSTILE);
  });

  it('the structural validator rejects a wrong shape', () => {
    const doc = JSON.parse(renderReport('json', both()));
    doc.files[0].runs[0].expectations[0].actual = 'one';
    delete doc.report.runs[1].timeline;
    expect(validate(doc, REPORT_DOCUMENT)).toEqual([
      expect.stringContaining('$.files[0].runs[0].expectations[0].actual'),
      '$.report.runs[1].timeline: missing',
    ]);
  });
});

describe('CSV report', () => {
  it('round-trips through an RFC 4180 parser: one rectangular table, counters and every fault', () => {
    const inp = both();
    const rows = parseCsv(renderReport('csv', inp));
    expect(rows[0]).toEqual([...CSV_COLUMNS]);
    expect(rows.filter((r) => r.length !== CSV_COLUMNS.length)).toEqual([]);
    const col = (name: string) => CSV_COLUMNS.indexOf(name as never);
    const records = rows.slice(1).map((r) => Object.fromEntries(CSV_COLUMNS.map((c) => [c, r[col(c)]])));
    for (const run of inp.runs) {
      for (const [counter, value] of Object.entries(run.counters))
        expect(records.filter((r) => r.table === 'counter' && r.policy === run.policy && r.process === '' && r.counter === counter).map((r) => Number(r.value))).toEqual([value]);
      for (const [p, counters] of Object.entries(run.processes))
        for (const [counter, value] of Object.entries(counters))
          expect(records.filter((r) => r.table === 'counter' && r.policy === run.policy && r.process === p && r.counter === counter).map((r) => Number(r.value))).toEqual([value]);
      const faults = records.filter((r) => r.table === 'fault' && r.policy === run.policy);
      expect(faults.map((r) => [Number(r.index), Number(r.step), r.process, r.mapping, Number(r.page), r.fault_type, r.decision, r.reason])).toEqual(
        runDecisions(run).map((d) => [d.index, d.step, d.process, d.mapping, d.page, d.type, d.decision, d.reason]),
      );
    }
    expect(records.find((r) => r.table === 'fault' && r.decision === 'copy')).toMatchObject({ line: '13', address: '0x10005000', level: 'pte' });
  });

  it('quotes commas, quotes and newlines so they survive the round trip', () => {
    const values = ['plain', 'a,b', 'say "hi"', 'two\nlines', 'cr\r\nlf', '', ' spaced ', HOSTILE];
    const text = `${values.map(csvField).join(',')}\r\n${values.map(csvField).reverse().join(',')}\r\n`;
    expect(parseCsv(text)).toEqual([values, [...values].reverse()]);
  });
});

/** 1 GiB of PTE-mapped THP, fork, the child exits, the parent writes every page: 262,144 write faults per policy. */
const LARGE = `scenario "1 GiB PTE-mapped THP, every page written after the child exited"
policies v6.9 v6.15
thp 2M=madvise
memory 8G

P0: mmap A 1G
P0: madvise A hugepage
P0: write A
P0: mremap A B              # a non-2M-aligned address: every THP is now PTE-mapped
P0: fork P1
P1: exit
P0: write B

expect violations == 0
`;

/** CPU seconds spent in this process by `f` (wall time says little on a shared, busy machine). */
function cpuSeconds<T>(f: () => T): [T, number] {
  const c0 = process.cpuUsage();
  const out = f();
  const c = process.cpuUsage(c0);
  return [out, (c.user + c.system) / 1e6];
}

describe('a large run: 262,144 write faults under each of v6.9 and v6.15', () => {
  let big: ReportInput;
  beforeAll(() => {
    const file = join(mkdtempSync(join(tmpdir(), 'foliolab-large-')), 'large.mms');
    writeFileSync(file, LARGE);
    big = reportInputForFile(file, undefined, '0.0.0-test')!;
    expect(big.runs.map((r) => [r.policy, r.counters.cow_copies, r.counters.pgreuse])).toEqual([
      ['v6.9', 262_144, 0],
      ['v6.15', 0, 262_144],
    ]);
  });

  it('exports every format in seconds; HTML and Markdown stay small', () => {
    const sizes: Record<string, number> = {};
    for (const f of ['html', 'md', 'json', 'csv'] as const) {
      const t0 = performance.now();
      const [parts, cpu] = cpuSeconds(() => renderReportParts(f, big));
      const bytes = parts.reduce((n, p) => n + p.length, 0);
      sizes[f] = bytes;
      console.log(`report ${f}: ${cpu.toFixed(2)} s CPU (${((performance.now() - t0) / 1000).toFixed(2)} s wall), ${(bytes / 1e6).toFixed(2)} MB for 2 x 262,144 faults`);
      expect(cpu).toBeLessThan(6);
      if (f === 'html') checkSelfContainedHtml(parts.join(''));
    }
    expect(sizes.html).toBeLessThan(500_000);
    expect(sizes.md).toBeLessThan(200_000);
    expect(sizes.csv).toBeGreaterThan(2 * 262_144 * 40);
  });

  it('summarises the decisions: counts, first and last rows, every differing site counted', () => {
    const md = renderReport('md', big);
    const tables = markdownTables(md);
    const groups = tables.filter((t) => t.header.join() === 'process,fault,decision,reason,rule,faults');
    expect(groups.map((g) => g.rows.filter((r) => r[1] === 'wp (pte)').map((r) => [r[2], r[5]]))).toEqual([[['copy', '262,144']], [['reuse', '262,144']]]);
    expect(md).toContain('### Where the policies decide differently: 262,144 fault sites');
    const patterns = tables.find((t) => t.header.join() === 'v6.9,v6.15,fault sites')!;
    expect(patterns.rows).toEqual([['copy', 'reuse', '262,144']]);
    const differing = tables.find((t) => t.header.join() === 'step,line,process,address,fault,v6.9,v6.15')!;
    expect(differing.rows).toHaveLength(DIFFERENCE_ROWS_PER_PATTERN);
    const rowsTables = tables.filter((t) => t.header.join() === 'step,line,process,address,fault,decision,reason');
    const faults = 512 + 262_144; // the THP faults of `write A`, then the write faults
    expect(rowsTables[0].rows).toHaveLength(2 * DECISION_ROWS_EACH_END + 1);
    expect(rowsTables[0].rows[DECISION_ROWS_EACH_END][3]).toBe(`${(faults - 2 * DECISION_ROWS_EACH_END).toLocaleString('en-US')} faults not shown`);
    expect(rowsTables[0].rows.at(-1)!.slice(0, 3)).toEqual(['6', '12', 'P0']);
    expect(rowsTables[0].rows.at(-1)![3]).toMatch(/^0x[0-9a-f]+ B\\\[262143\\\]$/);
    const json = JSON.parse(renderReport('json', big));
    expect(json.report.runs.map((r: { decisions: { rows: unknown[] } }) => r.decisions.rows.length)).toEqual([faults, faults]);
  });
});
