// The unsaved-work journal: write, list (restore offer), discard; corrupt files skipped.
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { discardJournal, journalDir, listJournal, writeJournal } from '../../main/journal';

const entry = (id: string, savedAt: number, text = `P0: mmap A 4K # ${id}\n`) => ({ id, path: null, name: `${id}.mms`, text, savedAt });

describe('journal', () => {
  it('writes entries, lists them newest first, restores their text, discards them', async () => {
    const dir = journalDir(mkdtempSync(join(tmpdir(), 'foliolab-journal-')));
    expect(dir.endsWith('journal')).toBe(true);
    await expect(listJournal(dir)).resolves.toEqual([]); // no folder yet
    await writeJournal(dir, entry('a', 1));
    await writeJournal(dir, entry('b', 3));
    await writeJournal(dir, entry('a', 2, 'updated\n')); // same id: replaced
    const listed = await listJournal(dir);
    expect(listed.map((e) => [e.id, e.savedAt])).toEqual([
      ['b', 3],
      ['a', 2],
    ]);
    expect(listed.find((e) => e.id === 'a')!.text).toBe('updated\n');
    expect(readdirSync(dir).sort()).toEqual(['a.json', 'b.json']); // no temp files left
    await discardJournal(dir, 'a');
    await discardJournal(dir, 'a'); // twice: fine
    expect((await listJournal(dir)).map((e) => e.id)).toEqual(['b']);
  });

  it('skips torn, foreign and mismatched files instead of failing', async () => {
    const dir = journalDir(mkdtempSync(join(tmpdir(), 'foliolab-journal-')));
    await writeJournal(dir, entry('good', 5));
    writeFileSync(join(dir, 'torn.json'), '{"id":"torn","path":null,"na');
    writeFileSync(join(dir, 'other.json'), JSON.stringify(entry('different-id', 1)));
    writeFileSync(join(dir, 'notes.txt'), 'hello');
    expect((await listJournal(dir)).map((e) => e.id)).toEqual(['good']);
  });

  it('refuses ids that could escape the folder and entries that are not entries', async () => {
    const dir = journalDir(mkdtempSync(join(tmpdir(), 'foliolab-journal-')));
    await expect(writeJournal(dir, entry('../../x', 1))).rejects.toThrow(/journal id/);
    await expect(writeJournal(dir, { id: 'x', text: 5 })).rejects.toThrow();
    await expect(discardJournal(dir, '/etc/passwd')).rejects.toThrow(/journal id/);
  });
});
