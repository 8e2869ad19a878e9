// Reading a run's trace for the views without ever decoding all of it to
// render: a bounded cache for the rows on screen, and cancellable scans that
// yield to the UI between chunks for the few questions that need every event
// (filters, a page's history, where policies first disagree).

import type { FaultDecision, ReasonCode, RunResult, TraceData, TraceEvent } from '../../../../core/mm/api';
import type { PolicyId } from '../../../../core/lang/ast';
import { DECISIONS, decodeTraceEvent, TraceReader } from '../../../../core/mm/trace';

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

// Yields through a MessageChannel: nested setTimeout(0) is clamped to 4 ms, so
// a scan of a million events in 16K-event chunks would sit idle for 250 ms.
const waiting: (() => void)[] = [];
let channel: MessageChannel | null = null;

function yieldToUi(): Promise<void> {
  return new Promise((resolve) => {
    if (typeof MessageChannel !== 'function') return void setTimeout(resolve, 0);
    if (!channel) {
      channel = new MessageChannel();
      channel.port1.onmessage = () => waiting.shift()?.();
    }
    waiting.push(resolve);
    channel.port2.postMessage(null);
  });
}

/** Indexes of the events in [from, to) that match, scanning in chunks (fields read from the columns). */
export async function scanTrace(
  trace: TraceData,
  match: (r: TraceReader, i: number) => boolean,
  token: ScanToken = { cancelled: false },
  from = 0,
  to = trace.length,
): Promise<number[] | null> {
  const reader = new TraceReader(trace);
  const hits: number[] = [];
  for (let start = from; start < to; start += CHUNK) {
    if (token.cancelled) return null;
    const end = Math.min(to, start + CHUNK);
    for (let i = start; i < end; i++) if (match(reader, i)) hits.push(i);
    if (end < to) await yieldToUi();
  }
  return token.cancelled ? null : hits;
}

/**
 * Whether an event concerns one virtual page: the same process and mapping,
 * and the page itself or, for an event about a large folio (order > 0), any
 * page of the naturally aligned range that folio covers.
 */
export function concernsPage(r: TraceReader, i: number, process: string, mapping: string, page: number): boolean {
  const p = r.page(i);
  if (p < 0 || r.mapping(i) !== mapping || r.process(i) !== process) return false;
  if (p === page) return true;
  const order = r.order(i);
  if (order <= 0) return false;
  const nr = 2 ** order;
  const start = p - (p % nr);
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

/**
 * Per step and policy: "process\0mapping" -> an array indexed by page holding
 * that page's first fault as event * 4 + decision + 1 (0 = no fault). Arrays,
 * not Maps: a step can hold a million faults.
 */
type StepFaults = Map<string, Int32Array>;

function put(faults: StepFaults, where: string, page: number, value: number): void {
  let pages = faults.get(where);
  if (!pages || page >= pages.length) {
    const grown = new Int32Array(Math.max(page + 1, (pages?.length ?? 0) * 2, 64));
    if (pages) grown.set(pages);
    faults.set(where, (pages = grown));
  }
  if (pages[page] === 0) pages[page] = value;
}

function at(pages: Int32Array | undefined, page: number): number {
  return pages !== undefined && page < pages.length ? pages[page] : 0;
}

async function faultsOfStep(reader: TraceReader, from: number, to: number, token: ScanToken): Promise<StepFaults> {
  const out: StepFaults = new Map();
  let where = '';
  let proc: string | undefined;
  let mapping: string | undefined;
  for (let i = from; i < to && !token.cancelled; i++) {
    const decision = reader.decision(i);
    const page = reader.page(i);
    const p = decision !== undefined && page >= 0 ? reader.process(i) : undefined;
    if (p !== undefined) {
      const m = reader.mapping(i);
      if (p !== proc || m !== mapping) {
        proc = p;
        mapping = m;
        where = `${proc}\u0000${mapping}`;
      }
      put(out, where, page, i * 4 + DECISIONS.indexOf(decision!) + 1);
    }
    // A single step can hold a million events (a write over 4 GiB): stay responsive inside it.
    if ((i - from) % CHUNK === CHUNK - 1) await yieldToUi();
  }
  return out;
}

/**
 * The first step where the policies decide differently: the first step, in
 * order, with a fault on the same process, mapping and page under at least
 * two policies whose decisions (alloc, reuse, copy, split-fallback) differ.
 * Within a step, the page whose fault comes first in the first policy's
 * trace wins. Null when they never disagree (or fewer than two runs); null
 * also when cancelled.
 */
export async function firstDifference(
  results: readonly RunResult[],
  token: ScanToken = { cancelled: false },
): Promise<FirstDifference | null> {
  if (results.length < 2) return null;
  const steps = Math.min(...results.map((r) => r.steps.length));
  const readers = results.map((r) => new TraceReader(r.trace));
  let work = 0;
  for (let s = 0; s < steps; s++) {
    const perPolicy: StepFaults[] = [];
    for (const [k, r] of results.entries()) perPolicy.push(await faultsOfStep(readers[k], r.steps[s].firstEvent, r.steps[s].endEvent, token));
    if (token.cancelled) return null;
    work += results.reduce((n, r) => n + r.steps[s].endEvent - r.steps[s].firstEvent, 0);
    if (work >= CHUNK) {
      work = 0;
      await yieldToUi(); // many small steps: yield between them too
    }
    // Best candidate so far: ordered by the first policy that faulted there, then its event index.
    let best: { policy: number; event: number; where: string; page: number } | null = null;
    for (let k = 0; k < perPolicy.length && (best === null || best.policy === k); k++) {
      for (const [where, pages] of perPolicy[k] as StepFaults) {
        const same = perPolicy.map((m) => m.get(where));
        for (let page = 0; page < pages.length; page++) {
          const v: number = pages[page];
          if (v === 0) continue;
          const event: number = (v - 1) >> 2;
          if (best !== null && best.event <= event) continue;
          let earlier = false; // already compared from an earlier policy
          for (let j = 0; j < k && !earlier; j++) earlier = at(same[j], page) !== 0;
          if (earlier) continue;
          let count = 0;
          let differs = false;
          for (const other of same) {
            const w = at(other, page);
            if (w === 0) continue;
            count++;
            if ((w - 1) % 4 !== (v - 1) % 4) differs = true;
          }
          if (count >= 2 && differs) best = { policy: k, event, where, page };
        }
      }
    }
    if (best === null) continue;
    const { where, page } = best as { where: string; page: number };
    const [process, mapping] = where.split('\u0000');
    const decisions: PolicyDecision[] = [];
    results.forEach((r, k) => {
      const v = at(perPolicy[k].get(where), page);
      if (v === 0) return;
      const event = (v - 1) >> 2;
      const f = decodeTraceEvent(r.trace, event).fault!;
      decisions.push({ policy: r.policy, decision: f.decision, reason: f.reason, rule: f.rule, event });
    });
    const step = results[0].steps[s];
    return { step: s, line: step.line, text: step.text, process, mapping, page, decisions };
  }
  return null;
}
