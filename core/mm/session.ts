// Time travel: a session keeps one engine and answers `at(step)` by running
// forward from where it is, or replaying from the start when asked to go back
// (the run is deterministic). Nothing copies the state per step.

import type { PolicyId, Scenario } from '../lang/ast';
import type { RunOptions, RunResult, Session, StateQuery } from './api';
import { Engine } from './engine';
import { EngineQuery } from './query';
import { runScenario } from './run';

export function createSession(scenario: Scenario, policy: PolicyId, opts: RunOptions = {}): Session {
  const result: RunResult = runScenario(scenario, policy, opts);
  let engine: Engine | undefined;
  return {
    result,
    at(step: number): StateQuery {
      if (engine === undefined || engine.position > step) engine = new Engine(scenario, policy, opts);
      engine.runTo(step);
      return new EngineQuery(engine.k);
    },
  };
}
