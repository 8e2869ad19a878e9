// Every example scenario, run by the engine, exports in every format and each
// export passes its format's checks.
import { readdirSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { reportInputForFile } from '../../cli/report';
import { renderReport } from '../../core/report/index';
import { CSV_COLUMNS } from '../../core/report/csv';
import { checkSelfContainedHtml } from './html-checks';
import { markdownTables, parseCsv, REPORT_DOCUMENT, validate } from './validators';

const root = resolve(__dirname, '../..');

function scenarios(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return scenarios(p);
    return p.endsWith('.mms') ? [p] : [];
  });
}

const files = scenarios(join(root, 'examples')).sort();

describe('every example exports in every format', () => {
  it('has examples to export', () => {
    expect(files.length).toBeGreaterThan(0);
  });

  it.each(files.map((f) => [relative(root, f), f]))('%s', (_name, file) => {
    const input = reportInputForFile(file, undefined, '0.0.0-test');
    expect(input).not.toBeNull();
    const inp = input!;
    expect(inp.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(inp.runs.length).toBeGreaterThan(0);

    const html = renderReport('html', inp);
    checkSelfContainedHtml(html);
    expect(html.match(/<svg class="chart"/g)).toHaveLength(1 + inp.runs.length);
    if (inp.runs.length === 1) expect(html).toContain('class="memory-map"');

    const md = renderReport('md', inp);
    expect(markdownTables(md).length).toBeGreaterThanOrEqual(6);

    const doc = JSON.parse(renderReport('json', inp));
    expect(validate(doc, REPORT_DOCUMENT)).toEqual([]);
    expect(doc.files[0].runs.map((r: { policy: string }) => r.policy)).toEqual(inp.runs.map((r) => r.policy));

    const csv = parseCsv(renderReport('csv', inp));
    expect(csv[0]).toEqual([...CSV_COLUMNS]);
    expect(csv.filter((row) => row.length !== CSV_COLUMNS.length)).toEqual([]);
    const faults = csv.filter((r) => r[0] === 'fault').length;
    expect(faults).toBe(doc.report.runs.reduce((n: number, r: { decisions: { rows: unknown[] } }) => n + r.decisions.rows.length, 0));
  });
});
