// The command line's one door into the engine (core/mm). Kept separate so the
// worker and the single-file path call the same thing.
import type { PolicyId, Scenario } from '../core/lang/ast';
import type { RunResult } from '../core/mm/api';

export function runPolicy(_scenario: Scenario, policy: PolicyId): RunResult {
  throw new Error(`the engine is not available yet (policy ${policy})`);
}
