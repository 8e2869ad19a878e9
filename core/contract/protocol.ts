// The one typed contract for every message in Folio Lab:
//  - EngineRequest / EngineReply / EngineEvent: renderer <-> engine, over a
//    MessagePort (Electron: MessageChannelMain between the window and the
//    utility process; browser mode: a Web Worker). Main never sees run data.
//  - FolioLabApi: what preload exposes to the page as `window.foliolab`
//    (files, dialogs, journal, reports, engine status). Main implements the
//    IPC channels listed in IPC_CHANNELS.
// Both ends validate what they receive (`core/contract/validate.ts`).

import type { Diagnostic, PolicyId } from '../lang/ast';
import type {
  FolioView,
  PageWalk,
  ProcessView,
  RunResult,
} from '../mm/api';

export const PROTOCOL_VERSION = 1;

export interface RunRequestOptions {
  maxSteps?: number;
  maxPageOps?: number;
  timeBudgetMs?: number;
  checkInvariants?: boolean;
}

export type StateQueryRequest =
  | { kind: 'processes' }
  | { kind: 'cells'; process: string; mapping: string; from: number; count: number }
  | { kind: 'walk'; process: string; mapping: string; page: number }
  | { kind: 'folios'; offset: number; limit: number }
  | { kind: 'folio'; pfn: number };

export type StateQueryReply =
  | { kind: 'processes'; processes: ProcessView[] }
  | { kind: 'cells'; cells: Uint8Array }
  | { kind: 'walk'; walk: PageWalk | null }
  | { kind: 'folios'; total: number; folios: FolioView[] }
  | { kind: 'folio'; folio: FolioView | null };

export type EngineRequest =
  | { type: 'hello'; id: number; protocol: number }
  | { type: 'check'; id: number; file: string; source: string }
  | {
      type: 'run';
      id: number;
      /** Names this run for later queries. */
      runId: string;
      file: string;
      source: string;
      /** Policies to run; empty = the scenario's `policies` header (or every built-in). */
      policies: PolicyId[];
      options: RunRequestOptions;
    }
  | { type: 'cancel'; id: number; runId: string }
  | { type: 'query'; id: number; runId: string; policy: PolicyId; step: number; query: StateQueryRequest }
  | { type: 'dispose'; id: number; runId: string };

export type EngineRequestType = EngineRequest['type'];

export interface RunReplyBody {
  runId: string;
  title: string;
  diagnostics: Diagnostic[];
  runs: RunResult[];
}

export type EngineReply =
  | { type: 'reply'; id: number; ok: true; body: unknown }
  | { type: 'reply'; id: number; ok: false; error: { code: EngineErrorCode; message: string } };

export type EngineErrorCode =
  | 'bad-request'
  | 'unknown-run'
  | 'cancelled'
  | 'engine-error'
  | 'too-large'
  | 'protocol';

/** Replies' bodies by request type. */
export interface EngineReplyBodies {
  hello: { protocol: number; engine: string };
  check: { diagnostics: Diagnostic[] };
  run: RunReplyBody;
  cancel: { cancelled: boolean };
  query: StateQueryReply;
  dispose: { disposed: boolean };
}

/** Unsolicited engine -> renderer messages. */
export type EngineEvent =
  | { type: 'progress'; runId: string; policy: PolicyId; step: number; steps: number }
  | { type: 'log'; level: 'info' | 'warn' | 'error'; message: string };

export type EngineMessage = EngineReply | EngineEvent;

// ---------------------------------------------------------------------------
// window.foliolab (preload) and the main-process IPC behind it.

export interface OpenedFile {
  path: string;
  name: string;
  text: string;
}

export interface JournalEntry {
  id: string;
  path: string | null;
  name: string;
  text: string;
  savedAt: number;
}

export type ReportFormat = 'html' | 'pdf' | 'md' | 'json' | 'csv';

export type EngineStatus =
  | { state: 'starting' }
  | { state: 'ready' }
  | { state: 'crashed'; message: string }
  | { state: 'restarted'; message: string };

/** Menu and shortcut commands main sends to the page. */
export type MenuCommand =
  | 'new'
  | 'open'
  | 'save'
  | 'save-as'
  | 'export-report'
  | 'run'
  | 'stop'
  | 'format'
  | 'step-first'
  | 'step-back'
  | 'step-forward'
  | 'step-last';

export interface FolioLabApi {
  readonly mode: 'electron';
  readonly version: string;
  /** Random per page load; accept an engine port only from a message carrying it (EnginePortMessage). */
  readonly enginePortNonce: string;
  files: {
    open(): Promise<OpenedFile | null>;
    openPath(path: string): Promise<OpenedFile>;
    /** Atomic save (temp file + rename). `path` null = ask with a save dialog. */
    save(path: string | null, text: string, suggestedName?: string): Promise<{ path: string } | null>;
    recent(): Promise<string[]>;
    /** The file this window was opened for (command line, e.g. `npm start` loads an example), once; else null. */
    initial(): Promise<OpenedFile | null>;
  };
  journal: {
    write(entry: JournalEntry): Promise<void>;
    list(): Promise<JournalEntry[]>;
    discard(id: string): Promise<void>;
  };
  reports: {
    /** Asks where to save (native dialog), writes the file; returns the path or null if cancelled. */
    save(format: ReportFormat, suggestedName: string, content: string | Uint8Array): Promise<{ path: string } | null>;
    /** Renders self-contained HTML to PDF (printToPDF) and asks where to save it. */
    savePdf(suggestedName: string, html: string): Promise<{ path: string } | null>;
    /** Opens a written report with the system's default application. */
    open(path: string): Promise<void>;
  };
  /** Marks the window's document dirty so closing asks first. */
  setDirty(dirty: boolean): void;
  onMenu(listener: (command: MenuCommand) => void): () => void;
  onEngineStatus(listener: (status: EngineStatus) => void): () => void;
  /** Asks main for a fresh engine port; it arrives as a window `message` event (see ENGINE_PORT_MESSAGE). */
  requestEnginePort(): void;
  /**
   * Kills this window's engine process and starts a new one (Stop: a run in the
   * middle of a million-page step cannot poll for messages). A new port follows.
   */
  restartEngine(): void;
}

/** The page-side `message` event that carries the engine's MessagePort, with the preload's nonce. */
export const ENGINE_PORT_MESSAGE = 'foliolab:engine-port';

/** `event.data` of that message; the port is `event.ports[0]`. A higher generation replaces older ports. */
export interface EnginePortMessage {
  type: typeof ENGINE_PORT_MESSAGE;
  nonce: string;
  generation: number;
}

export const IPC_CHANNELS = {
  filesOpen: 'files:open',
  filesOpenPath: 'files:open-path',
  filesSave: 'files:save',
  filesRecent: 'files:recent',
  filesInitial: 'files:initial',
  journalWrite: 'journal:write',
  journalList: 'journal:list',
  journalDiscard: 'journal:discard',
  reportsSave: 'reports:save',
  reportsSavePdf: 'reports:save-pdf',
  reportsOpen: 'reports:open',
  setDirty: 'doc:set-dirty',
  requestEnginePort: 'engine:request-port',
  restartEngine: 'engine:restart',
  // main -> renderer
  menu: 'menu:command',
  engineStatus: 'engine:status',
  enginePort: 'engine:port',
} as const;
