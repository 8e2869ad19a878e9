// Time travel: a session keeps one engine and answers `at(step)` by running
// forward from where it is, or replaying from the start when asked to go back
// (the run is deterministic). Nothing copies the state per step.

import { isPolicyId, type PolicyId, type Scenario } from '../lang/ast';
import type { RunOptions, RunResult, Session, StateQuery } from './api';
import { Engine } from './engine';
import { EngineQuery } from './query';
import { runKeepingEngine } from './run';

/** The state of a run that could not start (unknown policy): nothing to show. */
const EMPTY: StateQuery = {
  processes: () => [],
  pageCells: (_p, _m, _f, count) => new Uint8Array(Math.max(0, count)),
  pageWalk: () => null,
  folios: () => ({ total: 0, folios: [] }),
  folio: () => null,
};

export function createSession(scenario: Scenario, policy: PolicyId, opts: RunOptions = {}): Session {
  const run = runKeepingEngine(scenario, policy, opts);
  const result: RunResult = run.result;
  let engine: Engine | undefined = run.engine;
  return {
    result,
    at(step: number): StateQuery {
      if (!isPolicyId(policy)) return EMPTY;
      if (engine === undefined || engine.position > step) engine = new Engine(scenario, policy, opts);
      engine.runTo(step);
      return new EngineQuery(engine.k);
    },
  };
}
