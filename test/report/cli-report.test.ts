import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveReportFormat, writeReport } from '../../cli/report';
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
});
