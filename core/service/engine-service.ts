// The engine behind the contract: one instance per renderer connection, in the
// Electron utility process (host/engine-host.ts) or the browser-mode Web Worker.
// It validates every request, parses with the language's checker, runs the mm
// engine per policy, keeps the sessions of recent runs for state queries, and
// answers every request exactly once. Nothing thrown inside escapes: a fault
// becomes an `engine-error` reply and the service goes on with the next message.

import { validateEngineRequest, requestId, MAX_SOURCE_CHARS } from '../contract/validate';
import {
  PROTOCOL_VERSION,
  type EngineErrorCode,
  type EngineMessage,
  type EngineReplyBodies,
  type EngineRequest,
  type RunReplyBody,
  type StateQueryReply,
  type StateQueryRequest,
} from '../contract/protocol';
import { BUILTIN_POLICIES, isPolicyId, type PolicyId, type Scenario } from '../lang/ast';
import { analyze } from '../lang/checker';
import { createSession } from '../mm/index';
import type { RunResult, Session, StateQuery } from '../mm/api';

export const ENGINE_NAME = 'folio-lab-engine/1';
/** Runs kept for queries; the oldest is dropped beyond this (its queries then answer `unknown-run`). */
export const MAX_KEPT_RUNS = 8;

/** `transfer` lists ArrayBuffers (query cells, trace columns) the caller may move instead of copy. */
export type PostMessage = (msg: EngineMessage, transfer?: ArrayBuffer[]) => void;

export interface EngineService {
  handle(msg: unknown): void;
  /** Resolves when every message handled so far has been answered (tests, shutdown). */
  idle(): Promise<void>;
}

export interface EngineServiceOptions {
  /** Lets queued messages (a `cancel`) in between two policies of a run. Default: a zero-delay timer. */
  yieldToEvents?: () => Promise<void>;
}

class RequestError extends Error {
  constructor(
    readonly code: EngineErrorCode,
    message: string,
  ) {
    super(message);
  }
}

interface KeptRun {
  sessions: Map<PolicyId, Session>;
  running: boolean;
  cancelled: boolean;
}

const defaultYield = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

export function createEngineService(post: PostMessage, options: EngineServiceOptions = {}): EngineService {
  const yieldToEvents = options.yieldToEvents ?? defaultYield;
  const runs = new Map<string, KeptRun>(); // insertion order = age
  let queue: Promise<void> = Promise.resolve();

  const reply = <T>(id: number, body: T, transfer?: ArrayBuffer[]) => post({ type: 'reply', id, ok: true, body }, transfer);
  const fail = (id: number, code: EngineErrorCode, message: string) => post({ type: 'reply', id, ok: false, error: { code, message } });

  function keptRun(runId: string): KeptRun {
    const run = runs.get(runId);
    if (!run) throw new RequestError('unknown-run', `no run named ${runId} (finished runs are kept ${MAX_KEPT_RUNS} at a time)`);
    return run;
  }

  function checkSize(source: string) {
    if (source.length > MAX_SOURCE_CHARS)
      throw new RequestError('too-large', `the scenario has ${source.length} characters; the limit is ${MAX_SOURCE_CHARS} (8 MiB)`);
  }

  function policiesFor(requested: PolicyId[], scenario: Scenario): PolicyId[] {
    if (requested.length) return requested;
    const named = scenario.header.policies?.ids.map((n) => n.text).filter(isPolicyId) ?? [];
    return named.length ? named : [...BUILTIN_POLICIES];
  }

  async function run(req: Extract<EngineRequest, { type: 'run' }>): Promise<RunReplyBody> {
    checkSize(req.source);
    const { scenario, diagnostics } = analyze(req.source, req.file);
    const title = scenario.header.title?.value ?? req.file;
    if (diagnostics.some((d) => d.severity === 'error')) return { runId: req.runId, title, diagnostics, runs: [] };

    runs.delete(req.runId);
    const kept: KeptRun = { sessions: new Map(), running: true, cancelled: false };
    runs.set(req.runId, kept);
    while (runs.size > MAX_KEPT_RUNS) runs.delete(runs.keys().next().value as string);

    const results: RunResult[] = [];
    const policies = policiesFor(req.policies, scenario);
    const steps = scenario.steps.length;
    try {
      for (const policy of policies) {
        if (kept.cancelled) break;
        post({ type: 'progress', runId: req.runId, policy, step: 0, steps });
        const session = createSession(scenario, policy, { ...req.options, shouldStop: () => kept.cancelled });
        kept.sessions.set(policy, session);
        results.push(session.result);
        post({ type: 'progress', runId: req.runId, policy, step: session.result.steps.length, steps });
        await yieldToEvents();
      }
    } finally {
      kept.running = false;
    }
    if (kept.cancelled) {
      runs.delete(req.runId);
      throw new RequestError('cancelled', 'the run was cancelled');
    }
    return { runId: req.runId, title, diagnostics, runs: results };
  }

  function query(state: StateQuery, q: StateQueryRequest): { body: StateQueryReply; transfer?: ArrayBuffer[] } {
    switch (q.kind) {
      case 'processes':
        return { body: { kind: 'processes', processes: state.processes() } };
      case 'cells': {
        // A copy we own, so its buffer can be transferred without detaching engine state.
        const cells = state.pageCells(q.process, q.mapping, q.from, q.count).slice();
        return { body: { kind: 'cells', cells }, transfer: [cells.buffer as ArrayBuffer] };
      }
      case 'walk':
        return { body: { kind: 'walk', walk: state.pageWalk(q.process, q.mapping, q.page) } };
      case 'folios':
        return { body: { kind: 'folios', ...state.folios(q.offset, q.limit) } };
      case 'folio':
        return { body: { kind: 'folio', folio: state.folio(q.pfn) } };
    }
  }

  async function serve(req: EngineRequest): Promise<void> {
    switch (req.type) {
      case 'hello':
        if (req.protocol !== PROTOCOL_VERSION)
          throw new RequestError('protocol', `the page speaks protocol ${req.protocol}, this engine speaks ${PROTOCOL_VERSION}`);
        return reply<EngineReplyBodies['hello']>(req.id, { protocol: PROTOCOL_VERSION, engine: ENGINE_NAME });
      case 'check': {
        checkSize(req.source);
        return reply<EngineReplyBodies['check']>(req.id, { diagnostics: analyze(req.source, req.file).diagnostics });
      }
      case 'run': {
        // The trace chunks belong to finished engines that record and read nothing
        // more (a session that steps back starts a new engine): moved, not cloned,
        // where the port allows.
        const body = await run(req);
        const transfer = new Set(body.runs.flatMap((r) => Object.values(r.trace.columns).flatMap((chunks) => chunks.map((c) => c.buffer as ArrayBuffer))));
        return reply<EngineReplyBodies['run']>(req.id, body, [...transfer]);
      }
      case 'query': {
        const session = keptRun(req.runId).sessions.get(req.policy);
        if (!session) throw new RequestError('unknown-run', `run ${req.runId} has no result for policy ${req.policy}`);
        const last = session.result.steps.length - 1;
        if (req.step > last) throw new RequestError('bad-request', `step ${req.step} is past the last step (${last}) of run ${req.runId}`);
        const { body, transfer } = query(session.at(req.step), req.query);
        return reply<EngineReplyBodies['query']>(req.id, body, transfer);
      }
      case 'dispose':
        return reply<EngineReplyBodies['dispose']>(req.id, { disposed: runs.delete(req.runId) });
      case 'cancel':
        return; // answered out of the queue, see handle()
    }
  }

  function answerFault(id: number, e: unknown) {
    if (e instanceof RequestError) fail(id, e.code, e.message);
    else fail(id, 'engine-error', `the engine failed: ${e instanceof Error ? e.message : String(e)}`);
  }

  function handle(msg: unknown): void {
    const checked = validateEngineRequest(msg);
    if (!checked.ok) return fail(requestId(msg), 'bad-request', checked.message);
    const req = checked.value;
    if (req.type === 'cancel') {
      // Not queued: it must reach a run that is waiting between two policies.
      const target = runs.get(req.runId);
      const cancelled = !!target && target.running && !target.cancelled;
      if (cancelled) target.cancelled = true;
      return reply<EngineReplyBodies['cancel']>(req.id, { cancelled });
    }
    queue = queue.then(() =>
      serve(req).catch((e: unknown) => {
        try {
          answerFault(req.id, e);
        } catch {
          // post itself failed (closed port): nothing left to tell.
        }
      }),
    );
  }

  return { handle, idle: () => queue };
}
