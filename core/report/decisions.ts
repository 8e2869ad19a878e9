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

export interface DecodedTrace {
  decisions: Decision[];
  /** Every event that is not a fault (splits, frees, swaps, pins, errors, ...). */
  events: TraceEvent[];
}

/** Decodes the whole trace of a run: faults as decisions, the rest as events. */
export function decodeRun(run: RunResult): DecodedTrace {
  const decisions: Decision[] = [];
  const events: TraceEvent[] = [];
  for (let i = 0; i < run.trace.length; i++) {
    const e = decodeTraceEvent(run.trace, i);
    if (e.kind === 'fault' && e.fault) {
      decisions.push({
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
    } else {
      events.push(e);
    }
  }
  return { decisions, events };
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

/** Counts by process x fault kind x level x decision x reason, largest first. */
export function groupDecisions(decisions: Decision[]): DecisionGroup[] {
  const groups = new Map<string, DecisionGroup>();
  for (const d of decisions) {
    const key = `${d.process}\0${d.type}\0${d.level}\0${d.decision}\0${d.reason}\0${d.rule}`;
    const g = groups.get(key);
    if (g) g.count++;
    else groups.set(key, { process: d.process, type: d.type, level: d.level, decision: d.decision, reason: d.reason, rule: d.rule, count: 1 });
  }
  return [...groups.values()].sort((a, b) => b.count - a.count || a.process.localeCompare(b.process));
}

/** The first and last `n` rows; `omitted` rows lie between them. */
export function headAndTail<T>(rows: T[], n: number): { head: T[]; tail: T[]; omitted: number } {
  if (rows.length <= 2 * n) return { head: rows, tail: [], omitted: 0 };
  return { head: rows.slice(0, n), tail: rows.slice(rows.length - n), omitted: rows.length - 2 * n };
}

/** One fault site (step, process, page, occurrence) seen under several policies. */
export interface DecisionDifference {
  step: number;
  process: string;
  mapping: string;
  page: number;
  address: number | undefined;
  type: FaultType;
  /** Per policy (in run order): the decision there, or null when that policy took no such fault. */
  byPolicy: (Decision | null)[];
}

export interface DifferenceSummary {
  /** Fault sites whose decision is not the same under every policy. */
  total: number;
  /** Sites counted by their decision under each policy (`copy`, `reuse`, `-`), largest first. */
  patterns: { decisions: string[]; count: number }[];
  /** The first `limit` differing sites, in step order. */
  rows: DecisionDifference[];
}

/**
 * Pairs the faults of each policy by where they happened (step, process,
 * mapping, page and how many times that page faulted in that step), and keeps
 * the sites where the decisions differ.
 */
export function differingDecisions(perPolicy: Decision[][], limit: number): DifferenceSummary {
  const sites = new Map<string, DecisionDifference>();
  perPolicy.forEach((decisions, p) => {
    const seen = new Map<string, number>();
    for (const d of decisions) {
      const base = `${d.step}\0${d.process}\0${d.mapping}\0${d.page}`;
      const nth = seen.get(base) ?? 0;
      seen.set(base, nth + 1);
      const key = `${base}\0${nth}`;
      let site = sites.get(key);
      if (!site) {
        site = { step: d.step, process: d.process, mapping: d.mapping, page: d.page, address: d.address, type: d.type, byPolicy: perPolicy.map(() => null) };
        sites.set(key, site);
      }
      site.byPolicy[p] = d;
    }
  });
  const patterns = new Map<string, { decisions: string[]; count: number }>();
  const rows: DecisionDifference[] = [];
  let total = 0;
  for (const site of sites.values()) {
    const decisions = site.byPolicy.map((d) => d?.decision ?? '-');
    if (decisions.every((d) => d === decisions[0])) continue;
    total++;
    const key = decisions.join('\0');
    const pattern = patterns.get(key);
    if (pattern) pattern.count++;
    else patterns.set(key, { decisions, count: 1 });
    rows.push(site);
  }
  rows.sort((a, b) => a.step - b.step);
  return {
    total,
    patterns: [...patterns.values()].sort((a, b) => b.count - a.count),
    rows: rows.slice(0, limit),
  };
}
