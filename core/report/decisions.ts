// The copy-or-reuse decisions of a run, decoded from the columnar trace once,
// and the summaries that keep HTML and Markdown small for large runs: counts by
// process x fault kind x decision x reason, the first and last rows, and the
// faults whose decision differs between policies.

import type { FaultDecision, FaultLevel, FaultType, ReasonCode, RunResult, TraceEvent } from '../mm/api';
import { decodeTraceEvent } from '../mm/trace';

export interface Decision {
  /** Trace index of the fault event. */
  index: number;
  step: number;
  process: string;
  mapping: string;
  page: number;
  address: number | undefined;
  type: FaultType;
  level: FaultLevel;
  decision: FaultDecision;
  reason: ReasonCode;
  rule: string;
}

/**
 * Walks the trace of a run once: each fault as a decision, every other event
 * as it is. Callers that only write rows keep nothing, which keeps a run of a
 * million faults out of the old generation of the garbage collector.
 */
export function forEachEvent(run: RunResult, onFault: (d: Decision) => void, onOther: (e: TraceEvent) => void): void {
  for (let i = 0; i < run.trace.length; i++) {
    const e = decodeTraceEvent(run.trace, i);
    if (e.kind === 'fault' && e.fault) {
      onFault({
        index: e.index,
        step: e.step,
        process: e.process ?? '',
        mapping: e.mapping ?? '',
        page: e.page ?? 0,
        address: e.address,
        type: e.fault.type,
        level: e.fault.level,
        decision: e.fault.decision,
        reason: e.fault.reason,
        rule: e.fault.rule,
      });
    } else onOther(e);
  }
}

/** The decisions of a run, in trace order. */
export function runDecisions(run: RunResult): Decision[] {
  const decisions: Decision[] = [];
  forEachEvent(run, (d) => decisions.push(d), () => undefined);
  return decisions;
}

export interface DecisionGroup {
  process: string;
  type: FaultType;
  level: FaultLevel;
  decision: FaultDecision;
  reason: ReasonCode;
  rule: string;
  count: number;
}

/**
 * The value under a path of keys in nested Maps, created on first use. Faster
 * than one joined string key per fault at a million faults: the decoder hands
 * out the same string objects again and again, whose hashes are cached.
 */
function nested<T>(root: Map<unknown, unknown>, keys: unknown[], create: () => T): T {
  let map = root;
  for (let i = 0; i < keys.length - 1; i++) {
    let next = map.get(keys[i]) as Map<unknown, unknown> | undefined;
    if (!next) map.set(keys[i], (next = new Map()));
    map = next;
  }
  const last = keys[keys.length - 1];
  let value = map.get(last) as T | undefined;
  if (value === undefined) map.set(last, (value = create()));
  return value;
}

/** Counts by process x fault kind x level x decision x reason (and rule), largest first. */
export function groupDecisions(decisions: Decision[]): DecisionGroup[] {
  const root = new Map<unknown, unknown>();
  const groups: DecisionGroup[] = [];
  for (const d of decisions) {
    const g = nested(root, [d.process, d.type, d.level, d.decision, d.reason, d.rule], () => {
      const created = { process: d.process, type: d.type, level: d.level, decision: d.decision, reason: d.reason, rule: d.rule, count: 0 };
      groups.push(created);
      return created;
    });
    g.count++;
  }
  return groups.sort((a, b) => b.count - a.count || a.process.localeCompare(b.process));
}

/** The first and last `n` rows; `omitted` rows lie between them. */
export function headAndTail<T>(rows: T[], n: number): { head: T[]; tail: T[]; omitted: number } {
  if (rows.length <= 2 * n) return { head: rows, tail: [], omitted: 0 };
  return { head: rows.slice(0, n), tail: rows.slice(rows.length - n), omitted: rows.length - 2 * n };
}

/** One fault site (step, process, page, occurrence) seen under several policies. */
export interface DecisionDifference extends Pick<Decision, 'step' | 'process' | 'mapping' | 'page' | 'address' | 'type'> {
  /** Per policy (in run order): the decision there, or null when that policy took no such fault. */
  byPolicy: (Decision | null)[];
}

export interface DifferenceSummary {
  /** Fault sites whose decision is not the same under every policy. */
  total: number;
  /** Sites counted by their decision under each policy (`copy`, `reuse`, `-`), largest first. */
  patterns: { decisions: string[]; count: number }[];
  /** The first `perPattern` differing sites of each pattern, in step order. */
  rows: DecisionDifference[];
}

/**
 * Pairs the faults of each policy by where they happened (step, process,
 * mapping, page, and the how-manieth fault of that page in that step), counts
 * the sites where the decisions differ by pattern, and keeps the first few of
 * each pattern. Traces are in step order, so
 * one step is paired at a time and its sites are dropped afterwards.
 */
export function differingDecisions(perPolicy: Decision[][], perPattern: number): DifferenceSummary {
  const cursor = perPolicy.map(() => 0);
  const patterns = new Map<string, { decisions: string[]; count: number }>();
  const rows: DecisionDifference[] = [];
  let total = 0;
  for (;;) {
    let step = Infinity;
    perPolicy.forEach((d, p) => {
      if (cursor[p] < d.length && d[cursor[p]].step < step) step = d[cursor[p]].step;
    });
    if (step === Infinity) break;
    const where = new Map<unknown, unknown>();
    const sites: DecisionDifference[] = [];
    perPolicy.forEach((decisions, p) => {
      for (; cursor[p] < decisions.length && decisions[cursor[p]].step === step; cursor[p]++) {
        const d = decisions[cursor[p]];
        const list = nested<DecisionDifference[]>(where, [d.process, d.mapping, d.page], () => []);
        // The n-th fault of this policy on this page pairs with the n-th site.
        let site = list.find((x) => x.byPolicy[p] === null);
        if (!site) {
          site = { step, process: d.process, mapping: d.mapping, page: d.page, address: d.address, type: d.type, byPolicy: perPolicy.map(() => null) };
          list.push(site);
          sites.push(site);
        }
        site.byPolicy[p] = d;
      }
    });
    for (const site of sites) {
      const first = site.byPolicy[0]?.decision;
      if (site.byPolicy.every((d) => d?.decision === first)) continue;
      total++;
      const decisions = site.byPolicy.map((d) => d?.decision ?? '-');
      const key = decisions.join(' ');
      let pattern = patterns.get(key);
      if (!pattern) patterns.set(key, (pattern = { decisions, count: 0 }));
      // A few examples of every pattern: a rare difference is not drowned by a common one.
      if (pattern.count++ < perPattern) rows.push(site);
    }
  }
  return { total, patterns: [...patterns.values()].sort((a, b) => b.count - a.count), rows };
}
