// Closing a window with unsaved changes asks first; the menu sends commands.
import { beforeEach, describe, expect, it } from 'vitest';
import { IPC_CHANNELS, type MenuCommand } from '../../core/contract/protocol';
import { BrowserWindow, dialogAnswers, dialogCalls, fakeWindow, recorded, resetStub } from '../stubs/electron';
import { spawnUtility } from '../../main/engine';
import { installMenu, menuTemplate } from '../../main/menu';
import { createScenarioWindow } from '../../main/window';
import { WindowRegistry } from '../../main/windows';

beforeEach(resetStub);

const open = (registry = new WindowRegistry()) => {
  const entry = createScenarioWindow({ registry, preloadPath: 'p.cjs', hostPath: '/h.js', spawn: spawnUtility });
  return Object.assign(entry, { fake: fakeWindow(entry.win) });
};

describe('close handling', () => {
  it('a clean window closes without asking', () => {
    const w = open();
    w.win.close();
    expect(w.fake.destroyed).toBe(true);
    expect(dialogCalls).toEqual([]);
  });

  it('a dirty window asks: Cancel keeps it, Save keeps it and asks the page to save, Don\'t Save closes', () => {
    const w = open();
    w.dirty = true;
    dialogAnswers.push(2); // Cancel
    w.win.close();
    expect(w.fake.destroyed).toBe(false);
    dialogAnswers.push(0); // Save
    w.win.close();
    expect(w.fake.destroyed).toBe(false);
    expect(w.fake.webContents.sent).toContainEqual({ channel: IPC_CHANNELS.menu, args: ['save'] });
    dialogAnswers.push(1); // Don't Save
    w.win.close();
    expect(w.fake.destroyed).toBe(true);
    expect(dialogCalls.map((c) => (c.options as { buttons: string[] }).buttons)).toEqual(Array(3).fill(['Save', "Don't Save", 'Cancel']));
    expect(recorded.forks[0].killed).toBe(true);
  });
});

describe('menu', () => {
  type Item = { label?: string; accelerator?: string; click?: () => void; submenu?: Item[] };
  const flat = (items: Item[]): Item[] => items.flatMap((i) => [i, ...flat(i.submenu ?? [])]);

  it('has File/Run/View with the commands and Ctrl+Enter for Run', () => {
    const sent: MenuCommand[] = [];
    let windows = 0;
    const items = flat(menuTemplate({ send: (c) => sent.push(c), newWindow: () => windows++ }) as Item[]);
    expect(items.filter((i) => i.submenu).map((i) => i.label)).toEqual(['File', 'Edit', 'Run', 'View']);
    const byLabel = (l: string) => items.find((i) => i.label === l && i.click)!;
    expect(byLabel('Run').accelerator).toBe('CmdOrCtrl+Enter');
    for (const label of ['New', 'Open…', 'Save', 'Save As…', 'Export Report…', 'Run', 'Stop', 'First Step', 'Step Back', 'Step Forward', 'Last Step', 'Format Document'])
      byLabel(label).click!();
    expect(sent).toEqual(['new', 'open', 'save', 'save-as', 'export-report', 'run', 'stop', 'step-first', 'step-back', 'step-forward', 'step-last', 'format']);
    byLabel('New Window').click!();
    expect(windows).toBe(1);
  });

  it('is installed as the application menu', () => {
    installMenu({ send: () => {}, newWindow: () => {} });
    expect(Array.isArray(recorded.menuTemplate)).toBe(true);
    expect(BrowserWindow.all).toHaveLength(0);
  });
});
