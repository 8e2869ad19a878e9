// Entry points: run a scenario under one policy (never throws), or under several.

import { ALL_POLICIES, BUILTIN_POLICIES, isPolicyId, type PolicyId, type Scenario } from '../lang/ast';
import type { RunOptions, RunResult } from './api';
import { Engine } from './engine';

/** The header's `policies`, or every built-in policy. */
export function scenarioPolicies(scenario: Scenario): PolicyId[] {
  const ids = scenario.header.policies?.ids.map((n) => n.text).filter(isPolicyId);
  return ids && ids.length > 0 ? ids : [...BUILTIN_POLICIES];
}

function failedRun(scenario: Scenario, policy: PolicyId, message: string): RunResult {
  return {
    policy,
    title: scenario.header.title?.value ?? scenario.file,
    passed: false,
    stopped: { reason: 'invalid', message, atStep: -1 },
    steps: [],
    trace: { length: 0, columns: {}, strings: [], extra: {} },
    counters: {} as RunResult['counters'],
    processes: {},
    violations: [],
    invariants: [],
    expectations: [],
    timeline: { memUsed: [], pgfault: [], pgreuse: [], cowCopies: [], violations: [] },
    elapsedMs: 0,
  };
}

/** Runs to the end and keeps the engine (a session's views start at the last step). Never throws. */
export function runKeepingEngine(scenario: Scenario, policy: PolicyId, opts: RunOptions = {}): { result: RunResult; engine?: Engine } {
  if (!isPolicyId(policy)) {
    return { result: failedRun(scenario, policy, `unknown policy "${String(policy)}"; expected one of ${ALL_POLICIES.join(', ')}`) };
  }
  try {
    const engine = new Engine(scenario, policy, opts);
    engine.runTo(scenario.steps.length - 1);
    return { result: engine.result(), engine };
  } catch (err) {
    // Only reachable through an engine bug outside the per-step guard.
    return { result: failedRun(scenario, policy, `internal engine error: ${err instanceof Error ? err.message : String(err)}`) };
  }
}

export function runScenario(scenario: Scenario, policy: PolicyId, opts: RunOptions = {}): RunResult {
  return runKeepingEngine(scenario, policy, opts).result;
}

export function runAll(scenario: Scenario, policies: PolicyId[] = scenarioPolicies(scenario), opts: RunOptions = {}): RunResult[] {
  return policies.map((p) => runScenario(scenario, p, opts));
}
