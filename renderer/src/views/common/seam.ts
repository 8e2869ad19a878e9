// The props every view takes from the app shell (the views never touch the
// stores): how to ask the engine about the state at a step, and what is selected.

import type { PolicyId } from '../../../../core/lang/ast';
import type { StateQueryReply, StateQueryRequest } from '../../../../core/contract/protocol';
import type { RunResult } from '../../../../core/mm/api';

export type QueryFn = (policy: PolicyId, step: number, q: StateQueryRequest) => Promise<StateQueryReply>;

export interface PageSelection {
  process: string;
  mapping: string;
  page: number;
}

/** The props the shell (components/ViewPane.vue) gives every view; `query` may be left out by views that work from the runs alone. */
export interface ViewProps {
  results: RunResult[];
  policy: PolicyId;
  step: number;
  query?: QueryFn;
  selection?: PageSelection | null;
}

/** The props of a view that asks the engine about the state at a step. */
export type StateViewProps = Omit<ViewProps, 'query'> & { query: QueryFn };

/** The events views report selections with; each view declares the ones it emits (`Pick<ViewEmits, ...>`). */
export interface ViewEmits {
  'select-step': [step: number];
  'select-page': [page: PageSelection];
  'select-line': [line: number];
  'select-policy': [policy: PolicyId];
}

type Kind = StateQueryRequest['kind'];

/** Asks one query and checks the reply is the kind asked for. */
export async function ask<K extends Kind>(
  query: QueryFn,
  policy: PolicyId,
  step: number,
  q: Extract<StateQueryRequest, { kind: K }>,
): Promise<Extract<StateQueryReply, { kind: K }>> {
  const reply = await query(policy, step, q);
  if (reply.kind !== q.kind) throw new Error(`engine answered a '${q.kind}' query with '${reply.kind}'`);
  return reply as Extract<StateQueryReply, { kind: K }>;
}

/** Counts the latest request so a slow, stale reply never overwrites a newer one. */
export class Latest {
  private n = 0;
  next(): () => boolean {
    const mine = ++this.n;
    return () => mine === this.n;
  }
}

export function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** The run of the selected policy (the first run when it is not among them). */
export function resultFor<R extends { policy: PolicyId }>(results: readonly R[], policy: PolicyId): R | null {
  return results.find((r) => r.policy === policy) ?? results[0] ?? null;
}

/** First position in a sorted array whose value is >= x. */
export function lowerBound(sorted: ArrayLike<number>, x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
