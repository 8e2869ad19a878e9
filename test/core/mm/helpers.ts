// Test helpers: scenarios are written in the scenario language and parsed by
// the project's parser; a parse error fails the test loudly.
import { expect } from 'vitest';
import type { PolicyId, Scenario } from '../../../core/lang/ast';
import { parseScenario } from '../../../core/lang/parser';
import type { RunOptions, RunResult, TraceEvent } from '../../../core/mm/api';
import { decodeTraceEvent, runScenario } from '../../../core/mm/index';

export function scenario(source: string): Scenario {
  const { scenario: s, diagnostics } = parseScenario(source, 'test.mms');
  expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return s;
}

export function run(source: string, policy: PolicyId, opts?: RunOptions): RunResult {
  return runScenario(scenario(source), policy, opts);
}

/** Fault events of the trace, decoded. */
export function faults(r: RunResult, step?: number): TraceEvent[] {
  const out: TraceEvent[] = [];
  for (let i = 0; i < r.trace.length; i++) {
    const e = decodeTraceEvent(r.trace, i);
    if (e.kind === 'fault' && (step === undefined || e.step === step)) out.push(e);
  }
  return out;
}

export function events(r: RunResult, kind: TraceEvent['kind']): TraceEvent[] {
  const out: TraceEvent[] = [];
  for (let i = 0; i < r.trace.length; i++) {
    const e = decodeTraceEvent(r.trace, i);
    if (e.kind === kind) out.push(e);
  }
  return out;
}

/** A run is clean: no violation, no invariant failure, every expectation held. */
export function expectClean(r: RunResult): void {
  expect(r.violations).toEqual([]);
  expect(r.invariants).toEqual([]);
  expect(r.expectations.filter((e) => !e.passed)).toEqual([]);
}

/** Source lines that PTE-map every THP of an N-page PMD-mapped region A (mprotect one page R/O and back). */
export function pteMapAll(mapping: string, thps: number): string {
  const lines: string[] = [];
  for (let i = 0; i < thps; i++) {
    lines.push(`P0: mprotect ${mapping}[${i * 512 + 1}] ro`, `P0: mprotect ${mapping}[${i * 512 + 1}] rw`);
  }
  return lines.join('\n');
}
