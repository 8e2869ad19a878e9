// Runs and time travel: which policies to run, the run's state, the last
// results (kept when the engine restarts), the selected step, policy, page and
// line, and the budget the user may raise.
import { defineStore } from 'pinia';
import { markRaw } from 'vue';
import { ALL_POLICIES, BUILTIN_POLICIES, type Diagnostic, type PolicyId } from '../../../core/lang/ast';
import type {
  RunReplyBody,
  RunRequestOptions,
  StateQueryReply,
  StateQueryRequest,
} from '../../../core/contract/protocol';
import type { RunResult } from '../../../core/mm/api';
import { EngineClientError, type ProgressEvent, type RequestBody } from '../platform/engine-client';
import { services } from '../platform/services';

export type RunStatus = 'idle' | 'running' | 'done' | 'stopped' | 'error';
export type EngineState = 'starting' | 'ready' | 'crashed' | 'restarting';

export interface PageRef {
  process: string;
  mapping: string;
  page: number;
}

export interface Budget {
  maxSteps: number;
  maxPageOps: number;
  timeBudgetMs: number;
}

export const DEFAULT_BUDGET: Budget = { maxSteps: 100_000, maxPageOps: 50_000_000, timeBudgetMs: 60_000 };

/** Extra time the client waits beyond the run's own time budget before giving up on the engine. */
const RUN_TIMEOUT_MARGIN_MS = 15_000;
const QUERY_CACHE_SIZE = 128;

let runSeq = 0;
// Query results by run/policy/step/query: views ask the same thing often (redraws, tab switches).
const queryCache = new Map<string, StateQueryReply>();
// One re-run at a time when the engine lost a run's session (restart).
let revive: Promise<unknown> | null = null;

export const useRunStore = defineStore('run', {
  state: () => ({
    selected: [...BUILTIN_POLICIES] as PolicyId[],
    status: 'idle' as RunStatus,
    engineState: 'starting' as EngineState,
    reply: null as RunReplyBody | null,
    /** The request that produced `reply`: re-sent to rebuild its session after an engine restart. */
    lastRun: null as RequestBody<'run'> | null,
    progress: null as ProgressEvent | null,
    step: -1,
    viewPolicy: null as PolicyId | null,
    selection: null as PageRef | null,
    selectedLine: null as number | null,
    budget: { ...DEFAULT_BUDGET } as Budget,
    /** Wall time of the last run, request to reply. */
    runMs: null as number | null,
    /** One sentence for the banner (engine crash, budget, too large, stopped). */
    message: null as string | null,
    /** Diagnostics of the last run request (the live check shows most of them already). */
    diagnostics: [] as Diagnostic[],
  }),
  getters: {
    runs: (s): RunResult[] => s.reply?.runs ?? [],
    current(): RunResult | null {
      return this.runs.find((r) => r.policy === this.viewPolicy) ?? this.runs[0] ?? null;
    },
    /** Steps of the longest run (runs stopped early have fewer). */
    stepCount(): number {
      return Math.max(0, ...this.runs.map((r) => r.steps.length));
    },
    lastStep(): number {
      return this.stepCount - 1;
    },
    running: (s) => s.status === 'running',
  },
  actions: {
    togglePolicy(id: PolicyId, on: boolean) {
      const set = new Set(this.selected);
      if (on) set.add(id);
      else set.delete(id);
      // Keep the spec's order.
      this.selected = ALL_POLICIES.filter((p) => set.has(p));
    },

    async run(file: string, source: string) {
      if (this.status === 'running') return;
      const { client } = services();
      const request: RequestBody<'run'> = {
        type: 'run',
        runId: `run-${++runSeq}`,
        file,
        source,
        policies: [...this.selected],
        options: this.runOptions(),
      };
      this.status = 'running';
      this.message = null;
      this.progress = null;
      const t0 = performance.now();
      try {
        const reply = await client.request(request, {
          timeoutMs: this.budget.timeBudgetMs + RUN_TIMEOUT_MARGIN_MS,
          onProgress: (p) => (this.progress = p),
        });
        this.runMs = Math.round(performance.now() - t0);
        const previous = this.reply;
        this.accept(reply, request);
        if (previous) void client.request({ type: 'dispose', runId: previous.runId }).catch(() => {});
      } catch (err) {
        const e = err instanceof EngineClientError ? err : new EngineClientError('engine-error', String(err));
        this.status = e.code === 'cancelled' ? 'stopped' : 'error';
        this.message = e.code === 'cancelled' ? 'Run stopped; the earlier results are kept.' : oneSentence(e.message);
      } finally {
        this.progress = null;
      }
    },

    accept(reply: RunReplyBody, request: RequestBody<'run'>) {
      this.diagnostics = reply.diagnostics;
      const errors = reply.diagnostics.filter((d) => d.severity === 'error').length;
      if (errors && !reply.runs.length) {
        // Nothing ran: keep showing the earlier results.
        this.status = 'error';
        this.message = `The scenario has ${errors} error${errors > 1 ? 's' : ''}; see the editor.`;
        return;
      }
      // Results never change once they arrive: no deep proxies over a million-event trace.
      this.reply = markRaw(reply);
      this.lastRun = request;
      queryCache.clear();
      this.status = 'done';
      const stopped = reply.runs.find((r) => r.stopped);
      if (stopped?.stopped) this.message = `${stopped.policy}: ${stopped.stopped.message}`;
      if (!reply.runs.some((r) => r.policy === this.viewPolicy)) this.viewPolicy = reply.runs[0]?.policy ?? null;
      this.step = this.lastStep;
      if (this.selection && !this.current?.steps.length) this.selection = null;
    },

    runOptions(): RunRequestOptions {
      return { ...this.budget, checkInvariants: true };
    },

    /** Stop: the engine may be deep in a million-page step, so it is restarted, not asked. */
    stop() {
      if (this.status !== 'running') return;
      const { client, platform } = services();
      client.abort((r) => r.type === 'run', 'cancelled', 'The run was stopped.');
      this.engineState = 'restarting';
      platform.restartEngine();
    },

    setStep(step: number) {
      this.step = Math.min(this.lastStep, Math.max(-1, Math.round(step)));
    },
    first() {
      this.setStep(-1);
    },
    back() {
      this.setStep(this.step - 1);
    },
    forward() {
      this.setStep(this.step + 1);
    },
    last() {
      this.setStep(this.lastStep);
    },

    selectPage(ref: PageRef) {
      this.selection = ref;
    },

    /** The state of `policy`'s run after `step`, for the views. Rebuilds the run if the engine lost it. */
    async query(policy: PolicyId, step: number, query: StateQueryRequest): Promise<StateQueryReply> {
      const reply = this.reply;
      if (!reply) throw new EngineClientError('unknown-run', 'Nothing has been run yet.');
      const key = `${reply.runId}|${policy}|${step}|${JSON.stringify(query)}`;
      const hit = queryCache.get(key);
      if (hit) return hit;
      const ask = () => services().client.request({ type: 'query', runId: reply.runId, policy, step, query });
      let answer: StateQueryReply;
      try {
        answer = await ask();
      } catch (err) {
        if (!(err instanceof EngineClientError) || err.code !== 'unknown-run' || !this.lastRun) throw err;
        await this.reviveSession();
        answer = await ask();
      }
      if (queryCache.size >= QUERY_CACHE_SIZE) queryCache.delete(queryCache.keys().next().value!);
      queryCache.set(key, answer);
      return answer;
    },

    /** Re-runs the last scenario under the same runId on a restarted engine (deterministic: same result). */
    async reviveSession() {
      const req = this.lastRun;
      if (!req) return;
      revive ??= services()
        .client.request(req, { timeoutMs: (req.options.timeBudgetMs ?? 0) + RUN_TIMEOUT_MARGIN_MS })
        .finally(() => (revive = null));
      await revive;
    },
  },
});

/** Banner text: the first sentence, at most one line. */
export function oneSentence(message: string): string {
  const first = message.split(/\n/)[0].trim();
  return first.length > 200 ? `${first.slice(0, 197)}...` : first;
}
