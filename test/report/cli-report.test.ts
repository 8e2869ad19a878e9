import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { reportRequest, resolveReportFormat, writeReport, writeRunReport } from '../../cli/report';
import { runFile } from '../../cli/job';
import { input, pteThpRun } from './fixtures';

describe('cli/report.ts', () => {
  it('takes the format from the extension, or from --report-format', () => {
    const f = (path: string, forced?: string) => resolveReportFormat(path, forced);
    expect([f('a.html'), f('a.HTM'), f('x/y.md'), f('a.markdown'), f('a.json'), f('a.csv')]).toEqual(
      ['html', 'html', 'md', 'md', 'json', 'csv'].map((format) => ({ format })),
    );
    expect(f('report.txt', 'md')).toEqual({ format: 'md' });
    expect(f('report.html', 'json')).toEqual({ format: 'json' });
    expect(f('report.txt')).toEqual({ error: expect.stringMatching(/^report\.txt: cannot tell the report format from the extension "\.txt"; use \.html/) });
    expect(f('report')).toEqual({ error: expect.stringContaining('a name without extension') });
    expect(f('report.pdf')).toEqual({ error: expect.stringContaining('PDF reports come from the app') });
    expect(f('r.html', 'pdf')).toEqual({ error: expect.stringContaining('PDF reports come from the app') });
    expect(f('r.html', 'xml')).toEqual({ error: '--report-format xml: unknown report format; expected one of html, md, json, csv' });
  });

  it('writes atomically: the new report replaces the old one and no temporary file stays', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'foliolab-report-'));
    const path = join(dir, 'out.json');
    writeFileSync(path, 'old');
    expect(await writeReport(path, undefined, input([pteThpRun('v6.15')]))).toBe('json');
    expect(JSON.parse(readFileSync(path, 'utf8')).files[0].runs[0].policy).toBe('v6.15');
    expect(readdirSync(dir)).toEqual(['out.json']);
    expect(await writeReport(path, 'csv', input([pteThpRun('v6.15')]))).toBe('csv');
    expect(readFileSync(path, 'utf8').startsWith('table,policy,')).toBe(true);
  });

  it('says in one sentence why a report cannot be written, and leaves nothing behind', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'foliolab-report-'));
    await expect(writeReport(join(dir, 'missing', 'out.html'), undefined, input([pteThpRun('v6.9')]))).rejects.toThrow(
      `${join(dir, 'missing', 'out.html')}: cannot write the report: the folder does not exist`,
    );
    await expect(writeReport(dir, 'html', input([pteThpRun('v6.9')]))).rejects.toThrow(/cannot write the report: it is a folder/);
    await expect(writeReport(join(dir, 'x.doc'), undefined, input([pteThpRun('v6.9')]))).rejects.toThrow(/cannot tell the report format/);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('checks --report and --report-format before anything runs', () => {
    expect(reportRequest(['a.mms'], undefined, undefined)).toEqual({});
    expect(reportRequest(['a.mms'], 'out.md', undefined)).toEqual({ path: 'out.md', format: 'md' });
    expect(reportRequest(['a.mms'], 'out.txt', 'csv')).toEqual({ path: 'out.txt', format: 'csv' });
    expect(reportRequest(['a.mms'], undefined, 'md')).toEqual({ error: '--report-format needs --report FILE' });
    expect(reportRequest(['a.mms', 'b.mms'], 'out.md', undefined)).toEqual({ error: '--report writes the report of one scenario file; 2 files were given' });
    expect(reportRequest(['a.mms'], 'out.pdf', undefined)).toEqual({ error: expect.stringContaining('PDF reports come from the app') });
  });

  it('writes the report of what `run` ran (keepResults), with the memory map for one policy', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'foliolab-report-'));
    const scenario = join(dir, 'cow.mms');
    writeFileSync(scenario, 'scenario "simple <b>COW</b>"\npolicies v6.7 v6.15\n\nP0: mmap A 16K\nP0: write A 1\nP0: fork P1\nP1: write A[0] 2\n\nexpect P1.cow_copies == 1\n');
    const both = runFile(scenario, { keepResults: true });
    expect(await writeRunReport(both, join(dir, 'both.json'), 'json', '9.9.9')).toBeNull();
    const doc = JSON.parse(readFileSync(join(dir, 'both.json'), 'utf8'));
    expect(doc.files[0]).toMatchObject({ file: 'cow.mms', scenario: 'simple <b>COW</b>' });
    expect(doc.files[0].runs.map((r: { policy: string; passed: boolean }) => [r.policy, r.passed])).toEqual([['v6.7', true], ['v6.15', true]]);
    expect(doc.report.version).toBe('9.9.9');

    const one = runFile(scenario, { policies: ['v6.15'], keepResults: true });
    expect(await writeRunReport(one, join(dir, 'one.html'), 'html', '9.9.9')).toBeNull();
    const html = readFileSync(join(dir, 'one.html'), 'utf8');
    expect(html).toContain('<h1>simple &lt;b&gt;COW&lt;/b&gt;</h1>');
    // P0 and P1 each map A (4 pages): two pictures.
    expect(html.match(/<svg class="memory-map"/g)).toHaveLength(2);

    expect(await writeRunReport(runFile(join(dir, 'missing.mms'), { keepResults: true }), join(dir, 'x.md'), 'md', '1')).toBe(
      `${join(dir, 'x.md')}: no report written: ${join(dir, 'missing.mms')} could not be read`,
    );
  });
});
