// The unsaved-work journal: each dirty scenario is written (atomically) to
// <userData>/journal/<id>.json every few seconds by the page; at the next start
// the page lists what is left and offers to restore it; saving or closing
// without saving discards the entry.

import { mkdir, readdir, readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { JournalEntry } from '../core/contract/protocol';
import { validateJournalEntry, validateJournalId } from '../core/contract/validate';
import { atomicWriteFile } from './atomic';

export function journalDir(userData: string): string {
  return join(userData, 'journal');
}

function entryPath(dir: string, id: unknown): string {
  const checked = validateJournalId(id);
  if (!checked.ok) throw new Error(checked.message);
  return join(dir, `${checked.value}.json`);
}

export async function writeJournal(dir: string, entry: unknown): Promise<void> {
  const checked = validateJournalEntry(entry);
  if (!checked.ok) throw new Error(checked.message);
  await mkdir(dir, { recursive: true });
  await atomicWriteFile(entryPath(dir, checked.value.id), JSON.stringify(checked.value));
}

/** Every readable entry, newest first; unreadable or foreign files are skipped, never fatal. */
export async function listJournal(dir: string): Promise<JournalEntry[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return [];
  }
  const entries: JournalEntry[] = [];
  for (const name of names.filter((n) => n.endsWith('.json'))) {
    try {
      const checked = validateJournalEntry(JSON.parse(await readFile(join(dir, name), 'utf8')));
      if (checked.ok && `${checked.value.id}.json` === name) entries.push(checked.value);
    } catch {
      // a torn or foreign file: not an entry
    }
  }
  return entries.sort((a, b) => b.savedAt - a.savedAt);
}

export async function discardJournal(dir: string, id: unknown): Promise<void> {
  await unlink(entryPath(dir, id)).catch((e: NodeJS.ErrnoException) => {
    if (e.code !== 'ENOENT') throw e;
  });
}
