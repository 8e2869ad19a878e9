// The application menu: every item either opens a window or sends a
// MenuCommand to the focused scenario window (the page does the work).

import { Menu, type MenuItemConstructorOptions } from 'electron';
import type { MenuCommand } from '../core/contract/protocol';

export interface MenuActions {
  send(command: MenuCommand): void;
  newWindow(): void;
}

export function menuTemplate(actions: MenuActions): MenuItemConstructorOptions[] {
  const cmd = (label: string, command: MenuCommand, accelerator?: string): MenuItemConstructorOptions => ({
    label,
    accelerator,
    click: () => actions.send(command),
  });
  return [
    {
      label: 'File',
      submenu: [
        cmd('New', 'new', 'CmdOrCtrl+N'),
        { label: 'New Window', accelerator: 'CmdOrCtrl+Shift+N', click: () => actions.newWindow() },
        cmd('Open…', 'open', 'CmdOrCtrl+O'),
        cmd('Save', 'save', 'CmdOrCtrl+S'),
        cmd('Save As…', 'save-as', 'CmdOrCtrl+Shift+S'),
        { type: 'separator' },
        cmd('Export Report…', 'export-report', 'CmdOrCtrl+E'),
        { type: 'separator' },
        { role: 'close' },
        { role: 'quit' },
      ],
    },
    {
      label: 'Edit',
      submenu: [
        { role: 'undo' },
        { role: 'redo' },
        { type: 'separator' },
        { role: 'cut' },
        { role: 'copy' },
        { role: 'paste' },
        { role: 'selectAll' },
        { type: 'separator' },
        cmd('Format Document', 'format', 'Shift+Alt+F'),
      ],
    },
    {
      label: 'Run',
      submenu: [
        cmd('Run', 'run', 'CmdOrCtrl+Enter'),
        cmd('Stop', 'stop', 'CmdOrCtrl+.'),
        { type: 'separator' },
        cmd('First Step', 'step-first', 'CmdOrCtrl+Home'),
        cmd('Step Back', 'step-back', 'Alt+Left'),
        cmd('Step Forward', 'step-forward', 'Alt+Right'),
        cmd('Last Step', 'step-last', 'CmdOrCtrl+End'),
      ],
    },
    {
      label: 'View',
      submenu: [{ role: 'resetZoom' }, { role: 'zoomIn' }, { role: 'zoomOut' }, { type: 'separator' }, { role: 'togglefullscreen' }, { role: 'toggleDevTools' }],
    },
  ];
}

export function installMenu(actions: MenuActions): void {
  Menu.setApplicationMenu(Menu.buildFromTemplate(menuTemplate(actions)));
}
