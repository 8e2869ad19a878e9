// Reading scenario files: clear one-sentence refusals; the recent list.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RecentFiles, readScenarioFile } from '../../main/files';

const dir = mkdtempSync(join(tmpdir(), 'foliolab-files-'));
const put = (name: string, data: string | Buffer) => {
  const p = join(dir, name);
  writeFileSync(p, data);
  return p;
};

describe('readScenarioFile', () => {
  it('reads UTF-8 text (BOM dropped)', async () => {
    const p = put('ok.mms', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('title "é"\n')]));
    await expect(readScenarioFile(p)).resolves.toEqual({ path: p, name: 'ok.mms', text: 'title "é"\n' });
  });

  it('reads an empty file as empty text', async () => {
    await expect(readScenarioFile(put('empty.mms', ''))).resolves.toMatchObject({ text: '' });
  });

  it('refuses binary, non-UTF-8 and oversized files with one sentence', async () => {
    await expect(readScenarioFile(put('bin.mms', Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 1, 2])))).rejects.toThrow(/^bin\.mms is a binary file/);
    await expect(readScenarioFile(put('latin1.mms', Buffer.from([0x74, 0xe9, 0x74, 0xe9])))).rejects.toThrow(/^latin1\.mms is not UTF-8 text/);
    await expect(readScenarioFile(put('huge.mms', Buffer.alloc(8 * 1024 * 1024 + 10, 0x23)))).rejects.toThrow(/^huge\.mms is 8\.0 MiB; Folio Lab opens scenario files up to 8 MiB\.$/);
    await expect(readScenarioFile(dir)).rejects.toThrow(/is not a file/);
  });
});

describe('recent files', () => {
  it('keeps the last 10, newest first, without duplicates, across instances', async () => {
    const userData = mkdtempSync(join(tmpdir(), 'foliolab-recent-'));
    const recent = new RecentFiles(userData);
    for (let i = 0; i < 12; i++) await recent.add(`/s/${i}.mms`);
    await recent.add('/s/5.mms');
    const list = await new RecentFiles(userData).list();
    expect(list).toHaveLength(10);
    expect(list[0]).toBe('/s/5.mms');
    expect(list.filter((p) => p === '/s/5.mms')).toHaveLength(1);
    expect(list).not.toContain('/s/0.mms');
  });

  it('a corrupt recent list reads as empty', async () => {
    const userData = mkdtempSync(join(tmpdir(), 'foliolab-recent-'));
    writeFileSync(join(userData, 'recent.json'), '{not json');
    await expect(new RecentFiles(userData).list()).resolves.toEqual([]);
  });
});
