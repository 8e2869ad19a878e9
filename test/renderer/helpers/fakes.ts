// Fakes for the platform and the engine, so stores and components run in happy-dom.
import type { EngineRequest, JournalEntry, OpenedFile, RunReplyBody } from '../../../core/contract/protocol';
import type { PolicyId } from '../../../core/lang/ast';
import type { RunResult } from '../../../core/mm/api';
import type { Platform } from '../../../renderer/src/platform/bridge';
import { EngineClient, type PortLike } from '../../../renderer/src/platform/engine-client';
import { setServices } from '../../../renderer/src/platform/services';

export interface FakePlatform extends Platform {
  journalStore: Map<string, JournalEntry>;
  saved: { path: string | null; text: string }[];
  nextOpen: OpenedFile | null;
  dirtyCalls: boolean[];
  restarts: number;
}

export function fakePlatform(): FakePlatform {
  const journalStore = new Map<string, JournalEntry>();
  const p: FakePlatform = {
    mode: 'browser',
    version: 'test',
    journalStore,
    saved: [],
    nextOpen: null,
    dirtyCalls: [],
    restarts: 0,
    files: {
      open: async () => p.nextOpen,
      openPath: async (path) => ({ path, name: path, text: '' }),
      save: async (path, text, name) => {
        p.saved.push({ path, text });
        return { path: path ?? `/saved/${name}` };
      },
      recent: async () => p.saved.map((s) => s.path ?? ''),
      initial: async () => null,
    },
    journal: {
      write: async (e) => void journalStore.set(e.id, structuredClone(e)),
      list: async () => [...journalStore.values()],
      discard: async (id) => void journalStore.delete(id),
    },
    reports: { save: async () => null, savePdf: async () => null, open: async () => {} },
    setDirty: (d) => void p.dirtyCalls.push(d),
    onMenu: () => () => {},
    onEngineStatus: () => () => {},
    requestEnginePort: () => {},
    restartEngine: () => void p.restarts++,
    onEnginePort: () => () => {},
  };
  return p;
}

/** An engine that answers like the real service: runs make sessions, queries need a known session. */
export class FakeEngine implements PortLike {
  onmessage: ((e: MessageEvent) => void) | null = null;
  sessions = new Set<string>();
  received: EngineRequest[] = [];
  /** When false, run requests are left unanswered (a long run). */
  answerRuns = true;
  constructor(private readonly steps = 5) {}
  postMessage(message: unknown) {
    const req = message as EngineRequest;
    this.received.push(req);
    queueMicrotask(() => this.answer(req));
  }
  private reply(id: number, body: unknown) {
    this.onmessage?.({ data: { type: 'reply', id, ok: true, body } } as MessageEvent);
  }
  private answer(req: EngineRequest) {
    switch (req.type) {
      case 'run': {
        if (!this.answerRuns) return;
        this.sessions.add(req.runId);
        const body: RunReplyBody = {
          runId: req.runId,
          title: 't',
          diagnostics: [],
          runs: (req.policies.length ? req.policies : (['v6.7'] as PolicyId[])).map((p) => fakeResult(p, this.steps)),
        };
        return this.reply(req.id, body);
      }
      case 'query':
        if (!this.sessions.has(req.runId)) {
          return this.onmessage?.({ data: { type: 'reply', id: req.id, ok: false, error: { code: 'unknown-run', message: `no run named ${req.runId}` } } } as MessageEvent);
        }
        return this.reply(req.id, { kind: 'processes', processes: [{ name: `${req.policy}@${req.step}` }] });
      case 'hello':
        return this.reply(req.id, { protocol: 1, engine: 'fake' });
      case 'check':
        return this.reply(req.id, { diagnostics: [{ line: 1, col: 1, endLine: 1, endCol: 2, severity: 'warning', code: 'engine-checked', message: `checked ${req.source.length} chars` }] });
      case 'dispose':
        this.sessions.delete(req.runId);
        return this.reply(req.id, { disposed: true });
      default:
        return this.reply(req.id, {});
    }
  }
}

export function fakeResult(policy: PolicyId, steps: number): RunResult {
  const series = Array.from({ length: steps }, (_, i) => i + 1);
  return {
    policy,
    title: 't',
    passed: true,
    steps: series.map((_, i) => ({ index: i, line: i + 2, text: `P0: write A[${i}]`, process: 'P0', firstEvent: i, endEvent: i + 1 })),
    trace: { length: 0, columns: {}, strings: [], extra: {} },
    counters: { pgfault: steps } as RunResult['counters'],
    processes: {},
    violations: [],
    invariants: [],
    expectations: [],
    timeline: { memUsed: series.map((n) => n * 4096), pgfault: series, pgreuse: series.map(() => 0), cowCopies: series.map(() => 0), violations: series.map(() => 0) },
    elapsedMs: 1,
  };
}

export function installFakes(steps = 5) {
  const platform = fakePlatform();
  const client = new EngineClient({ timeoutMs: 2000 });
  const engine = new FakeEngine(steps);
  client.attach(engine);
  setServices({ platform, client });
  return { platform, client, engine };
}

/** Lets queued microtasks (fake engine replies) run. */
export const flush = () => new Promise((r) => setTimeout(r, 0));
