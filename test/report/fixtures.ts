// Hand-made runs for the report tests, with traces encoded by the engine's own
// Trace recorder (so the report decodes them exactly as it decodes real runs).

import type { Diagnostic } from '../../core/lang/ast';
import { REASON_CODES, type FaultDecision, type FaultType, type ReasonCode, type RunResult, type StepRecord } from '../../core/mm/api';
import { DECISIONS, EV, EvidenceScratch, FAULT_LEVELS, FAULT_TYPES, Trace } from '../../core/mm/trace';
import type { ReportInput } from '../../core/report/index';
import { specExample } from '../helpers/spec-example';

export const PTE_THP_SOURCE = specExample('v6.9 v6.15', ['P0.cow_copies == 1 for v6.9', 'P0.pgreuse == 1 for v6.15', 'violations == 0']);

export interface FaultSpec {
  step: number;
  process: string;
  page: number;
  type: FaultType;
  level: 'pte' | 'pmd';
  decision: FaultDecision;
  reason: ReasonCode;
  rule: string;
}

const BASE_VPN = 0x10000;

/** A trace with the given faults (mapping `A`) and one non-fault event per step. */
export function buildTrace(processes: string[], faults: FaultSpec[], messages: { step: number; kind: keyof typeof EV; message: string }[] = []) {
  const t = new Trace(processes);
  const a = t.intern('A');
  const ev = new EvidenceScratch();
  for (const m of messages) t.event(EV[m.kind], m.step, 0, a, 0, BASE_VPN, 4096, 9, t.intern(m.message));
  for (const f of faults) {
    t.fault(
      f.step, processes.indexOf(f.process), a, f.page, BASE_VPN + f.page, 2048 + f.page, f.level === 'pmd' ? 9 : 0,
      FAULT_TYPES.indexOf(f.type), FAULT_LEVELS.indexOf(f.level), DECISIONS.indexOf(f.decision),
      REASON_CODES.indexOf(f.reason), t.intern(f.rule), ev.clear().folio(513, 512, 0, 512),
    );
  }
  return t.data();
}

function steps(source: string): StepRecord[] {
  const out: StepRecord[] = [];
  source.split('\n').forEach((text, i) => {
    const m = /^(\w+): ([^#]*?)\s*(#.*)?$/.exec(text);
    if (m) out.push({ index: out.length, line: i + 1, text: `${m[1]}: ${m[2]}`, process: m[1], firstEvent: 0, endEvent: 0 });
  });
  return out;
}

/** The spec's example under v6.9 (copies the THP page) or v6.15 (reuses it). */
export function pteThpRun(policy: 'v6.9' | 'v6.15'): RunResult {
  const reuse = policy === 'v6.15';
  const faults: FaultSpec[] = [
    { step: 2, process: 'P0', page: 0, type: 'anon', level: 'pmd', decision: 'alloc', reason: 'ALLOC_THP', rule: 'do_huge_pmd_anonymous_page (v6.9)' },
    reuse
      ? { step: 7, process: 'P0', page: 5, type: 'wp', level: 'pte', decision: 'reuse', reason: 'REUSE_ALL_MAPPINGS_OURS', rule: 'wp_can_reuse_anon_folio (v6.15)' }
      : { step: 7, process: 'P0', page: 5, type: 'wp', level: 'pte', decision: 'copy', reason: 'COPY_LARGE_FOLIO', rule: 'wp_can_reuse_anon_folio (v6.9)' },
  ];
  const mem = [0, 0, 2097152, 2097152, 2097152, 2097152, 2097152, reuse ? 2097152 : 2101248];
  return {
    policy,
    title: 'pte-mapped THP reuse after child exit',
    passed: true,
    steps: steps(PTE_THP_SOURCE),
    trace: buildTrace(['P0', 'P1'], faults, [{ step: 3, kind: 'split-pmd', message: 'mprotect splits the PMD of A' }]),
    counters: {
      pgfault: 2, pgreuse: reuse ? 1 : 0, cow_copies: reuse ? 0 : 1, fork_copies: 0, thp_fault_alloc: 1, thp_fault_fallback: 0,
      thp_split_pmd: 1, thp_split_page: 0, thp_split_page_failed: 0, thp_deferred_split_page: 0, pswpin: 0, pswpout: 0,
      violations: 0, 'mem.used': mem[7], 'mem.peak': mem[7],
    },
    processes: {
      P0: { pgfault: 2, pgreuse: reuse ? 1 : 0, cow_copies: reuse ? 0 : 1, rss: 2097152, pss: 2097152, uss: 2097152, anon_huge: 0, swap: 0 },
      P1: { pgfault: 0, pgreuse: 0, cow_copies: 0, rss: 0, pss: 0, uss: 0, anon_huge: 0, swap: 0 },
    },
    violations: [],
    invariants: [],
    expectations: [
      reuse
        ? { line: 16, text: 'P0.pgreuse == 1', span: { line: 16, col: 8, endLine: 16, endCol: 23 }, passed: true, actual: 1 }
        : { line: 15, text: 'P0.cow_copies == 1', span: { line: 15, col: 8, endLine: 15, endCol: 26 }, passed: true, actual: 1 },
      { line: 17, text: 'violations == 0', span: { line: 17, col: 8, endLine: 17, endCol: 23 }, passed: true, actual: 0 },
    ],
    timeline: {
      memUsed: mem,
      pgfault: [0, 0, 1, 1, 1, 1, 1, 2],
      pgreuse: [0, 0, 0, 0, 0, 0, 0, reuse ? 1 : 0],
      cowCopies: [0, 0, 0, 0, 0, 0, 0, reuse ? 0 : 1],
      violations: [0, 0, 0, 0, 0, 0, 0, 0],
    },
    elapsedMs: 1.5,
  };
}

export function input(runs: RunResult[], extra: Partial<ReportInput> = {}): ReportInput {
  return {
    file: 'pte-thp.mms',
    source: PTE_THP_SOURCE,
    title: runs[0]?.title ?? 'pte-thp.mms',
    diagnostics: [],
    runs,
    generatedAt: '2026-11-27T21:00:00.000Z',
    version: '0.1.0',
    ...extra,
  };
}

/** Markup and separators everywhere a user or a message can put text. */
export const HOSTILE = '<img src=x onerror=alert(1)><script>alert(1)</script> | `a` ```b``` & "q" \'s\' \\ *x* _y_';

export function hostileInput(): ReportInput {
  const run = pteThpRun('v6.9');
  const bad: RunResult = {
    ...run,
    title: HOSTILE,
    passed: false,
    steps: run.steps.map((s, i) => (i === 4 ? { ...s, error: `mprotect: ENOMEM: ${HOSTILE}` } : s)),
    violations: [{ kind: 'leak', step: 7, line: 12, process: 'P0', mapping: 'A', page: 5, expected: 1, actual: 2, message: HOSTILE }],
    invariants: [{ step: 7, line: 12, invariant: HOSTILE, message: HOSTILE, policyDefect: true }],
    expectations: [{ line: 15, text: HOSTILE, span: { line: 15, col: 8, endLine: 15, endCol: 9 }, passed: false, actual: 0, message: HOSTILE }],
    stopped: { reason: 'budget', message: HOSTILE, atStep: 7 },
  };
  const diagnostics: Diagnostic[] = [{ line: 2, col: 10, endLine: 2, endCol: 20, severity: 'warning', message: HOSTILE, code: 'x<y>' }];
  return input([bad, pteThpRun('v6.15')], {
    title: HOSTILE,
    file: `${HOSTILE}.mms`,
    source: `scenario "${HOSTILE}"\n${PTE_THP_SOURCE}\n# \`\`\`\`\` five backticks | pipe </pre></code>`,
    version: HOSTILE,
    diagnostics,
  });
}
