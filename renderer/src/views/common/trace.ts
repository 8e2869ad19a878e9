// Reading a run's trace for the views without ever decoding all of it to
// render: a bounded cache for the rows on screen, and cancellable scans that
// yield to the UI between chunks for the few questions that need every event
// (filters, a page's history, where policies first disagree).

import type { FaultDecision, ReasonCode, RunResult, TraceData, TraceEvent } from '../../../../core/mm/api';
import type { PolicyId } from '../../../../core/lang/ast';
import { decodeTraceEvent } from '../../../../core/mm/trace';

/** Decoded events by index, at most `limit` of them (oldest dropped first). */
export class EventCache {
  private readonly map = new Map<number, TraceEvent>();
  constructor(
    readonly trace: TraceData,
    private readonly limit = 4096,
  ) {}

  get(index: number): TraceEvent {
    let e = this.map.get(index);
    if (e === undefined) {
      e = decodeTraceEvent(this.trace, index);
      if (this.map.size >= this.limit) this.map.delete(this.map.keys().next().value as number);
      this.map.set(index, e);
    }
    return e;
  }
}

/** Set `cancelled` to stop a running scan; its promise then resolves with null. */
export interface ScanToken {
  cancelled: boolean;
}

const CHUNK = 16384;

function yieldToUi(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/** Indexes of the events in [from, to) that match, scanning in chunks. */
export async function scanTrace(
  trace: TraceData,
  match: (e: TraceEvent) => boolean,
  token: ScanToken = { cancelled: false },
  from = 0,
  to = trace.length,
): Promise<number[] | null> {
  const hits: number[] = [];
  for (let start = from; start < to; start += CHUNK) {
    if (token.cancelled) return null;
    const end = Math.min(to, start + CHUNK);
    for (let i = start; i < end; i++) if (match(decodeTraceEvent(trace, i))) hits.push(i);
    if (end < to) await yieldToUi();
  }
  return token.cancelled ? null : hits;
}

/**
 * Whether an event concerns one virtual page: the same process and mapping,
 * and the page itself or, for an event about a large folio (order > 0), any
 * page of the naturally aligned range that folio covers.
 */
export function concernsPage(e: TraceEvent, process: string, mapping: string, page: number): boolean {
  if (e.process !== process || e.mapping !== mapping || e.page === undefined) return false;
  if (e.page === page) return true;
  if (!e.order) return false;
  const nr = 2 ** e.order;
  const start = e.page - (e.page % nr);
  return page >= start && page < start + nr;
}

/** Trace events [from, to) of a step; before the first step (-1) there are none. */
export function stepEvents(result: RunResult, step: number): { from: number; to: number } {
  const s = result.steps[step];
  return s ? { from: s.firstEvent, to: s.endEvent } : { from: 0, to: 0 };
}

/** The processes of a run in order of first appearance (the trace view's lanes). */
export function processNames(result: RunResult): string[] {
  const seen = new Set<string>();
  for (const s of result.steps) if (s.process) seen.add(s.process);
  for (const name of Object.keys(result.processes)) seen.add(name);
  return [...seen];
}

export interface PolicyDecision {
  policy: PolicyId;
  decision: FaultDecision;
  reason: ReasonCode;
  rule: string;
  event: number;
}

export interface FirstDifference {
  step: number;
  line: number;
  text: string;
  process: string;
  mapping: string;
  page: number;
  decisions: PolicyDecision[];
}

function pageKey(e: TraceEvent): string | null {
  if (e.kind !== 'fault' || !e.fault || e.process === undefined || e.mapping === undefined || e.page === undefined) return null;
  return `${e.process}\u0000${e.mapping}\u0000${e.page}`;
}

/** The first fault of each (process, mapping, page) in events [from, to), in trace order. */
function faultsOfStep(result: RunResult, from: number, to: number): Map<string, TraceEvent> {
  const out = new Map<string, TraceEvent>();
  for (let i = from; i < to; i++) {
    const e = decodeTraceEvent(result.trace, i);
    const key = pageKey(e);
    if (key !== null && !out.has(key)) out.set(key, e);
  }
  return out;
}

/**
 * The first step where the policies decide differently: the first step, in
 * order, with a fault on the same process, mapping and page under at least
 * two policies whose decisions (alloc, reuse, copy, split-fallback) differ.
 * Null when they never disagree (or fewer than two runs); null also when cancelled.
 */
export async function firstDifference(
  results: readonly RunResult[],
  token: ScanToken = { cancelled: false },
): Promise<FirstDifference | null> {
  if (results.length < 2) return null;
  const steps = Math.min(...results.map((r) => r.steps.length));
  let work = 0;
  for (let s = 0; s < steps; s++) {
    if (token.cancelled) return null;
    const perPolicy = results.map((r) => faultsOfStep(r, r.steps[s].firstEvent, r.steps[s].endEvent));
    const keys = new Set(perPolicy.flatMap((m) => [...m.keys()]));
    for (const key of keys) {
      const decisions: PolicyDecision[] = [];
      let page: TraceEvent | undefined;
      results.forEach((r, k) => {
        const e = perPolicy[k].get(key);
        if (!e?.fault) return;
        page ??= e;
        decisions.push({ policy: r.policy, decision: e.fault.decision, reason: e.fault.reason, rule: e.fault.rule, event: e.index });
      });
      if (page && decisions.length >= 2 && decisions.some((d) => d.decision !== decisions[0].decision)) {
        const step = results[0].steps[s];
        return { step: s, line: step.line, text: step.text, process: page.process!, mapping: page.mapping!, page: page.page!, decisions };
      }
    }
    work += results.reduce((n, r) => n + r.steps[s].endEvent - r.steps[s].firstEvent, 0);
    if (work >= CHUNK) {
      work = 0;
      await yieldToUi();
    }
  }
  return null;
}
