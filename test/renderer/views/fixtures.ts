// Hand-made runs of the spec's example scenario ("pte-mapped THP reuse after
// child exit") under v6.9 (copies) and v6.15 (reuses), built with the engine's
// own trace recorder so the views decode them exactly as they decode real runs.

import type { PolicyId } from '../../../core/lang/ast';
import { GLOBAL_COUNTERS, PROCESS_COUNTERS } from '../../../core/lang/ast';
import type {
  Counters,
  EventKind,
  ExpectationResult,
  FaultDecision,
  FaultLevel,
  FaultType,
  ProcessCounters,
  ReasonCode,
  RunResult,
  StepRecord,
} from '../../../core/mm/api';
import { DECISIONS, EV, EvidenceScratch, FAULT_LEVELS, FAULT_TYPES, REASON, Trace } from '../../../core/mm/trace';

export const PROCS = ['P0', 'P1'];
const A_START = 0x7f0000000000;
const A_VPN = A_START / 4096;

export interface FaultSpec {
  process: string;
  page: number;
  type: FaultType;
  level: FaultLevel;
  decision: FaultDecision;
  reason: ReasonCode;
  rule: string;
  order: number;
  refcount: number;
  mapcount: number;
}

export interface EventSpec {
  kind: Exclude<EventKind, 'fault'>;
  process?: string;
  page?: number;
  order?: number;
  message?: string;
}

export interface StepSpec {
  line: number;
  text: string;
  process: string;
  events: (FaultSpec | EventSpec)[];
}

function isFault(e: FaultSpec | EventSpec): e is FaultSpec {
  return 'decision' in e;
}

export function record(trace: Trace, step: number, e: FaultSpec | EventSpec): void {
  const proc = e.process ? PROCS.indexOf(e.process) : -1;
  const map = e.page !== undefined ? trace.intern('A') : -1;
  const page = e.page ?? -1;
  const vpn = e.page !== undefined ? A_VPN + e.page : -1;
  if (isFault(e)) {
    const ev = new EvidenceScratch().folio(e.refcount, e.mapcount, 0, 2 ** e.order);
    trace.fault(
      step, proc, map, page, vpn, 0x1000 + page, e.order,
      FAULT_TYPES.indexOf(e.type), FAULT_LEVELS.indexOf(e.level), DECISIONS.indexOf(e.decision),
      REASON[e.reason], trace.intern(e.rule), ev,
    );
  } else {
    trace.event(EV[e.kind], step, proc, map, page, vpn, -1, e.order ?? -1, e.message === undefined ? -1 : trace.intern(e.message));
  }
}

function counters(values: Partial<Record<string, number>>): Counters {
  const c = Object.fromEntries(GLOBAL_COUNTERS.map((k) => [k, 0])) as Counters;
  return Object.assign(c, values);
}

function processCounters(values: Partial<Record<string, number>>): ProcessCounters {
  const c = Object.fromEntries(PROCESS_COUNTERS.map((k) => [k, 0])) as ProcessCounters;
  return Object.assign(c, values);
}

export function makeRun(
  policy: PolicyId,
  steps: StepSpec[],
  extra: Partial<RunResult> = {},
): RunResult {
  const trace = new Trace(PROCS);
  const records: StepRecord[] = steps.map((s, i) => {
    const firstEvent = trace.length;
    for (const e of s.events) record(trace, i, e);
    return { index: i, line: s.line, text: s.text, process: s.process, firstEvent, endEvent: trace.length };
  });
  const memUsed = steps.map((_, i) => (i < 2 ? 0 : 2 * 1024 * 1024));
  return {
    policy,
    title: 'pte-mapped THP reuse after child exit',
    passed: true,
    steps: records,
    trace: trace.data(),
    counters: counters({}),
    processes: { P0: processCounters({}), P1: processCounters({}) },
    violations: [],
    invariants: [],
    expectations: [],
    timeline: {
      memUsed,
      pgfault: steps.map(() => 0),
      pgreuse: steps.map(() => 0),
      cowCopies: steps.map(() => 0),
      violations: steps.map(() => 0),
    },
    elapsedMs: 1.5,
    ...extra,
  };
}

/** The example's steps; only the last one differs between the policies. */
function exampleSteps(last: FaultSpec): StepSpec[] {
  return [
    { line: 6, text: 'P0: mmap A 2M', process: 'P0', events: [] },
    { line: 7, text: 'P0: madvise A hugepage', process: 'P0', events: [] },
    {
      line: 8,
      text: 'P0: write A',
      process: 'P0',
      events: [
        { kind: 'folio-alloc', process: 'P0', page: 0, order: 9 },
        {
          process: 'P0', page: 0, type: 'anon', level: 'pmd', decision: 'alloc', reason: 'ALLOC_THP',
          rule: 'do_huge_pmd_anonymous_page (v6.9)', order: 9, refcount: 1, mapcount: 0,
        },
      ],
    },
    {
      line: 9,
      text: 'P0: mprotect A[1] ro',
      process: 'P0',
      events: [{ kind: 'split-pmd', process: 'P0', page: 0, order: 9, message: 'mprotect of part of a PMD' }],
    },
    { line: 10, text: 'P0: mprotect A[1] rw', process: 'P0', events: [] },
    { line: 11, text: 'P0: fork P1', process: 'P0', events: [] },
    { line: 12, text: 'P1: exit', process: 'P1', events: [] },
    {
      line: 13,
      text: 'P0: write A[5]',
      process: 'P0',
      events: [last, { kind: 'policy-note', message: 'checked by the fixture' }],
    },
  ];
}

export const V69_LAST: FaultSpec = {
  process: 'P0', page: 5, type: 'wp', level: 'pte', decision: 'copy', reason: 'COPY_LARGE_FOLIO',
  rule: 'wp_can_reuse_anon_folio (v6.9)', order: 9, refcount: 512, mapcount: 512,
};
export const V615_LAST: FaultSpec = {
  process: 'P0', page: 5, type: 'wp', level: 'pte', decision: 'reuse', reason: 'REUSE_ALL_MAPPINGS_OURS',
  rule: 'wp_can_reuse_anon_folio (v6.15)', order: 9, refcount: 512, mapcount: 512,
};

function expectation(line: number, text: string, passed: boolean, actual: number | boolean, message?: string): ExpectationResult {
  return { line, text, span: { line, col: 1, endLine: line, endCol: text.length + 1 }, passed, actual, message };
}

/** The example under v6.9 and v6.15, with counters, expectations and a violation-free result. */
export function exampleRuns(): RunResult[] {
  const v69 = makeRun('v6.9', exampleSteps(V69_LAST), {
    counters: counters({ pgfault: 2, cow_copies: 1, pgreuse: 0, thp_fault_alloc: 1, thp_split_pmd: 1, 'mem.used': 2101248, 'mem.peak': 4198400 }),
    processes: { P0: processCounters({ pgfault: 2, cow_copies: 1 }), P1: processCounters({}) },
    expectations: [
      expectation(15, 'expect P0.cow_copies == 1 for v6.7 v6.9', true, 1),
      expectation(17, 'expect P0 A[5].order == 0 for v6.7 v6.9', true, 0),
      expectation(19, 'expect violations == 0', true, 0),
    ],
  });
  v69.timeline.memUsed[7] = 2101248;
  const v615 = makeRun('v6.15', exampleSteps(V615_LAST), {
    counters: counters({ pgfault: 2, cow_copies: 0, pgreuse: 1, thp_fault_alloc: 1, thp_split_pmd: 1, 'mem.used': 2097152, 'mem.peak': 4194304 }),
    processes: { P0: processCounters({ pgfault: 2, pgreuse: 1 }), P1: processCounters({}) },
    passed: false,
    expectations: [
      expectation(16, 'expect P0.pgreuse == 1 for rmapid v6.15', true, 1),
      expectation(18, 'expect P0 A[5].order == 9 for rmapid v6.15', false, 0, 'P0 A[5].order is 0, expected 9'),
      expectation(19, 'expect violations == 0', true, 0),
    ],
  });
  return [v69, v615];
}

/**
 * A run whose trace has `n` events (a fault on every page of a 1 GiB mapping), for
 * virtualisation; the fault on page `flip` gets the other decision.
 */
export function bigRun(n: number, flip = -1): RunResult {
  const trace = new Trace(PROCS);
  const ev = new EvidenceScratch().folio(1, 1, 0, 1);
  const rule = trace.intern('wp_can_reuse_anon_folio (v6.9)');
  const map = trace.intern('A');
  for (let i = 0; i < n; i++) {
    const reuse = (i % 3 !== 0) !== (i === flip);
    trace.fault(
      1, i % 2, map, i, A_VPN + i, i, 0, FAULT_TYPES.indexOf('wp'), 0,
      DECISIONS.indexOf(reuse ? 'reuse' : 'copy'), REASON[reuse ? 'REUSE_ANON_EXCLUSIVE' : 'COPY_REFCOUNT_GT_ONE'], rule, ev,
    );
  }
  const run = makeRun('v6.9', []);
  return {
    ...run,
    trace: trace.data(),
    steps: [
      { index: 0, line: 3, text: 'P0: fork P1', process: 'P0', firstEvent: 0, endEvent: 0 },
      { index: 1, line: 4, text: 'P0: write A', process: 'P0', firstEvent: 0, endEvent: n },
    ],
  };
}
