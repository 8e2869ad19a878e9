// Reports: the page builds the content (HTML, Markdown, JSON, CSV; user text
// escaped there); main asks where to save it, writes it atomically, renders
// HTML to PDF in a hidden window with JavaScript off, and opens written
// reports with the system's default application (only paths it wrote).

import { basename, resolve } from 'node:path';
import { BrowserWindow, dialog, shell } from 'electron';
import type { ReportFormat } from '../core/contract/protocol';
import { atomicWriteFile } from './atomic';
import { transientDocument } from './protocol';

const FILTERS: Record<ReportFormat, { name: string; extensions: string[] }> = {
  html: { name: 'HTML report', extensions: ['html'] },
  pdf: { name: 'PDF report', extensions: ['pdf'] },
  md: { name: 'Markdown report', extensions: ['md'] },
  json: { name: 'JSON report', extensions: ['json'] },
  csv: { name: 'CSV table', extensions: ['csv'] },
};

/** Renders self-contained HTML to PDF bytes in a hidden, script-less, sandboxed window. */
export async function renderPdf(html: string): Promise<Uint8Array> {
  const doc = transientDocument(html);
  const win = new BrowserWindow({
    show: false,
    webPreferences: { sandbox: true, contextIsolation: true, nodeIntegration: false, javascript: false, webSecurity: true },
  });
  try {
    await win.loadURL(doc.url);
    return await win.webContents.printToPDF({ printBackground: true, pageSize: 'A4' });
  } finally {
    doc.release();
    win.destroy();
  }
}

export class Reports {
  private readonly written = new Set<string>();

  private async ask(win: BrowserWindow | null, format: ReportFormat, suggestedName: string): Promise<string | null> {
    const options = { defaultPath: basename(suggestedName), filters: [FILTERS[format]] };
    const r = win ? await dialog.showSaveDialog(win, options) : await dialog.showSaveDialog(options);
    return r.canceled || !r.filePath ? null : resolve(r.filePath);
  }

  async save(win: BrowserWindow | null, format: ReportFormat, suggestedName: string, content: string | Uint8Array) {
    const path = await this.ask(win, format, suggestedName);
    if (!path) return null;
    await atomicWriteFile(path, content);
    this.written.add(path);
    return { path };
  }

  async savePdf(win: BrowserWindow | null, suggestedName: string, html: string) {
    const path = await this.ask(win, 'pdf', suggestedName);
    if (!path) return null;
    await atomicWriteFile(path, await renderPdf(html));
    this.written.add(path);
    return { path };
  }

  async open(path: string): Promise<void> {
    const full = resolve(path);
    if (!this.written.has(full)) throw new Error(`Folio Lab did not write ${basename(path)} in this session, so it will not open it.`);
    const error = await shell.openPath(full);
    if (error) throw new Error(`Could not open ${basename(path)}: ${error}`);
  }
}
