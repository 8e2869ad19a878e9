// The scenario windows main created, by web contents id: the IPC sender check
// accepts only these, and each carries its dirty flag, engine and start file.

import type { BrowserWindow, WebContents } from 'electron';
import type { EngineSupervisor } from './engine';

export interface ScenarioWindow {
  win: BrowserWindow;
  dirty: boolean;
  /** The file this window was opened for; handed to the page once. */
  initialFile: string | null;
  engine: EngineSupervisor;
}

export class WindowRegistry {
  private readonly byContents = new Map<number, ScenarioWindow>();
  add(entry: ScenarioWindow): void {
    this.byContents.set(entry.win.webContents.id, entry);
  }
  remove(contentsId: number): void {
    this.byContents.delete(contentsId);
  }
  /** The window whose web contents is exactly `sender`, or null. */
  of(sender: WebContents | unknown): ScenarioWindow | null {
    for (const w of this.byContents.values()) if (w.win.webContents === sender) return w;
    return null;
  }
  all(): ScenarioWindow[] {
    return [...this.byContents.values()];
  }
}
