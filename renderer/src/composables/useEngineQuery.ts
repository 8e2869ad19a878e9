// The seam with the view components: they receive this function as their
// `query` prop and ask the engine for the state of one policy's run at one step.
import type { PolicyId } from '../../../core/lang/ast';
import type { StateQueryReply, StateQueryRequest } from '../../../core/contract/protocol';
import { useRunStore } from '../stores/run';

export type EngineQuery = (policy: PolicyId, step: number, query: StateQueryRequest) => Promise<StateQueryReply>;

export function useEngineQuery(): EngineQuery {
  const run = useRunStore();
  return (policy, step, query) => run.query(policy, step, query);
}
