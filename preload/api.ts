// Type-only entry for the renderer: what `window.foliolab` offers in Electron
// (implemented by preload/index.ts, absent in browser mode).
export type { FolioLabApi, EnginePortMessage, EngineStatus, MenuCommand, OpenedFile, JournalEntry, ReportFormat } from '../core/contract/protocol';
export { ENGINE_PORT_MESSAGE } from '../core/contract/protocol';
