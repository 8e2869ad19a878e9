// Scenario files: open and save dialogs, reading with clear refusals (too big,
// binary, not UTF-8), atomic saves, the recent-files list. The page may only
// name paths the user chose in a dialog, opened before (recent list) or was
// started with: a compromised page cannot read or overwrite other files.

import { readFile, stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { dialog, type BrowserWindow } from 'electron';
import type { OpenedFile } from '../core/contract/protocol';
import { MAX_SOURCE_CHARS } from '../core/contract/validate';
import { atomicWriteFile } from './atomic';

const MAX_RECENT = 10;
const SCENARIO_FILTERS = [
  { name: 'Folio Lab scenario', extensions: ['mms'] },
  { name: 'All files', extensions: ['*'] },
];

/** Paths the page may open or save to by name. */
export class FileGrants {
  private readonly paths = new Set<string>();
  grant(path: string): void {
    this.paths.add(resolve(path));
  }
  check(path: string): string {
    const full = resolve(path);
    if (!this.paths.has(full)) throw new Error(`Folio Lab did not open ${basename(path)} in this session; use Open to choose it.`);
    return full;
  }
}

/** Reads a scenario, refusing with one sentence what it cannot hold. */
export async function readScenarioFile(path: string): Promise<OpenedFile> {
  const name = basename(path);
  const info = await stat(path);
  if (!info.isFile()) throw new Error(`${name} is not a file.`);
  if (info.size > MAX_SOURCE_CHARS)
    throw new Error(`${name} is ${(info.size / 2 ** 20).toFixed(1)} MiB; Folio Lab opens scenario files up to 8 MiB.`);
  const bytes = await readFile(path);
  if (bytes.includes(0)) throw new Error(`${name} is a binary file, not a scenario (it contains NUL bytes).`);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw new Error(`${name} is not UTF-8 text; save it as UTF-8 and open it again.`);
  }
  return { path, name, text };
}

export class RecentFiles {
  constructor(private readonly userData: string) {}
  private get file() {
    return join(this.userData, 'recent.json');
  }
  async list(): Promise<string[]> {
    try {
      const v: unknown = JSON.parse(await readFile(this.file, 'utf8'));
      return Array.isArray(v) ? v.filter((p): p is string => typeof p === 'string').slice(0, MAX_RECENT) : [];
    } catch {
      return [];
    }
  }
  async add(path: string): Promise<void> {
    const list = [resolve(path), ...(await this.list()).filter((p) => p !== resolve(path))].slice(0, MAX_RECENT);
    await atomicWriteFile(this.file, JSON.stringify(list, null, 1));
  }
}

export class ScenarioFiles {
  constructor(
    readonly grants: FileGrants,
    readonly recent: RecentFiles,
  ) {}

  /** Recent paths are granted: the user opened them before. */
  async recentPaths(): Promise<string[]> {
    const list = await this.recent.list();
    list.forEach((p) => this.grants.grant(p));
    return list;
  }

  async openDialog(win: BrowserWindow | null): Promise<OpenedFile | null> {
    const options = { properties: ['openFile' as const], filters: SCENARIO_FILTERS };
    const r = win ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options);
    if (r.canceled || !r.filePaths[0]) return null;
    this.grants.grant(r.filePaths[0]);
    return this.openPath(r.filePaths[0]);
  }

  async openPath(path: string): Promise<OpenedFile> {
    const full = this.grants.check(path);
    const file = await readScenarioFile(full);
    await this.recent.add(full);
    return file;
  }

  async save(win: BrowserWindow | null, path: string | null, text: string, suggestedName = 'scenario.mms'): Promise<{ path: string } | null> {
    let target: string;
    if (path === null) {
      const options = { defaultPath: suggestedName, filters: SCENARIO_FILTERS };
      const r = win ? await dialog.showSaveDialog(win, options) : await dialog.showSaveDialog(options);
      if (r.canceled || !r.filePath) return null;
      target = resolve(r.filePath);
      this.grants.grant(target);
    } else {
      target = this.grants.check(path);
    }
    await atomicWriteFile(target, text);
    await this.recent.add(target);
    return { path: target };
  }
}
