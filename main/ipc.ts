// Every IPC channel of window.foliolab. Each call is accepted only from the
// top frame of one of our scenario windows showing our app:// origin, and its
// arguments are validated before anything touches the disk.

import { ipcMain, type IpcMainEvent, type IpcMainInvokeEvent } from 'electron';
import { IPC_CHANNELS } from '../core/contract/protocol';
import { MAX_REPORT_CHARS, MAX_SOURCE_CHARS, validateReportContent, validateReportFormat, validateString, type Validation } from '../core/contract/validate';
import type { ScenarioFiles } from './files';
import { discardJournal, listJournal, writeJournal } from './journal';
import { isAppUrl } from './protocol';
import type { Reports } from './reports';
import type { ScenarioWindow, WindowRegistry } from './windows';

export interface IpcDeps {
  registry: WindowRegistry;
  files: ScenarioFiles;
  reports: Reports;
  journalDir: string;
}

type SenderEvent = Pick<IpcMainInvokeEvent, 'sender' | 'senderFrame'>;

/** The scenario window behind a trusted sender, or null for anything else. */
export function trustedSender(registry: WindowRegistry, event: SenderEvent): ScenarioWindow | null {
  const frame = event.senderFrame;
  if (!frame || frame.parent || !isAppUrl(frame.url)) return null;
  return registry.of(event.sender);
}

function arg<T>(v: Validation<T>): T {
  if (!v.ok) throw new Error(`Invalid argument: ${v.message}`);
  return v.value;
}

const optionalName = (v: unknown) => (v === undefined ? 'scenario.mms' : arg(validateString(v, 'suggested name', 255)));
const pathOrNull = (v: unknown) => (v === null ? null : arg(validateString(v, 'path')));

export function registerIpc(deps: IpcDeps): void {
  const { registry, files, reports } = deps;

  const handle = (channel: string, fn: (w: ScenarioWindow, ...args: unknown[]) => unknown) =>
    ipcMain.handle(channel, (event: IpcMainInvokeEvent, ...args: unknown[]) => {
      const w = trustedSender(registry, event);
      if (!w) throw new Error(`Rejected ${channel}: the sender is not a Folio Lab window.`);
      return fn(w, ...args);
    });
  const listen = (channel: string, fn: (w: ScenarioWindow, ...args: unknown[]) => void) =>
    ipcMain.on(channel, (event: IpcMainEvent, ...args: unknown[]) => {
      const w = trustedSender(registry, event);
      if (w) fn(w, ...args); // fire-and-forget: a foreign sender is simply ignored
    });

  handle(IPC_CHANNELS.filesOpen, (w) => files.openDialog(w.win));
  handle(IPC_CHANNELS.filesOpenPath, (_w, path) => files.openPath(arg(validateString(path, 'path'))));
  handle(IPC_CHANNELS.filesSave, (w, path, text, name) =>
    files.save(w.win, pathOrNull(path), arg(validateString(text, 'scenario text', MAX_SOURCE_CHARS)), optionalName(name)),
  );
  handle(IPC_CHANNELS.filesRecent, () => files.recentPaths());
  handle(IPC_CHANNELS.filesInitial, async (w) => {
    const path = w.initialFile;
    w.initialFile = null;
    return path ? files.openPath(path) : null;
  });

  handle(IPC_CHANNELS.journalWrite, (_w, entry) => writeJournal(deps.journalDir, entry));
  handle(IPC_CHANNELS.journalList, () => listJournal(deps.journalDir));
  handle(IPC_CHANNELS.journalDiscard, (_w, id) => discardJournal(deps.journalDir, id));

  handle(IPC_CHANNELS.reportsSave, (w, format, name, content) =>
    reports.save(w.win, arg(validateReportFormat(format)), arg(validateString(name, 'report name', 255)), arg(validateReportContent(content))),
  );
  handle(IPC_CHANNELS.reportsSavePdf, (w, name, html) =>
    reports.savePdf(w.win, arg(validateString(name, 'report name', 255)), arg(validateString(html, 'report HTML', MAX_REPORT_CHARS))),
  );
  handle(IPC_CHANNELS.reportsOpen, (_w, path) => reports.open(arg(validateString(path, 'path'))));

  listen(IPC_CHANNELS.setDirty, (w, dirty) => {
    if (typeof dirty === 'boolean') w.dirty = dirty;
  });
  listen(IPC_CHANNELS.requestEnginePort, (w) => w.engine.requestPort());
  listen(IPC_CHANNELS.restartEngine, (w) => w.engine.restart());
}
