// Several engines behind one port. A run with several policies is split across
// the members (policy i to member i mod n), which run at the same time; their
// replies are merged in the request's policy order, so the page sees exactly
// what one engine would have answered. Queries go to the member that holds the
// policy's session; everything else goes to the least busy member (a live
// `check` is not stuck behind a long run) or, for hello/dispose/cancel, to all.
// Pure TypeScript: the members are Web Workers in browser mode and the
// MessagePorts of several engine processes in Electron.

import type { PolicyId } from '../lang/ast';
import type { EngineMessage, EngineReplyBodies, EngineRequest, RunReplyBody } from '../contract/protocol';

/** What a member and the pool itself look like to their users (a Worker or MessagePort fits). */
export interface EnginePortLike {
  postMessage(message: unknown): void;
  onmessage: ((event: MessageEvent) => void) | null;
  start?(): void;
}

type Reply = Extract<EngineMessage, { type: 'reply' }>;

/** One engine per core, up to the four policies a run usually compares. */
export function defaultEngineCount(cores: number): number {
  return Math.max(1, Math.min(4, Math.floor(cores) || 1));
}

/** Runs whose member placement is remembered for queries (the service keeps 8 per member). */
const ROUTED_RUNS = 32;

export function createEnginePool(members: EnginePortLike[]): EnginePortLike {
  if (members.length === 0) throw new RangeError('an engine pool needs at least one member');
  let nextId = 1;
  /** Pool-side id -> the member that owes the reply and what to do with it. */
  const waiting = new Map<number, { member: number; onReply: (r: Reply) => void }>();
  /** Where each recent run's sessions live: by policy, and the member that ran "the scenario's own" policies. */
  const placement = new Map<string, { byPolicy: Map<PolicyId, number>; member: number }>();

  const pool: EnginePortLike = {
    onmessage: null,
    postMessage(message: unknown) {
      const req = message as EngineRequest;
      switch (req?.type) {
        case 'run':
          return run(req);
        case 'query': {
          const p = placement.get(req.runId);
          return forward(p?.byPolicy.get(req.policy) ?? p?.member ?? leastBusy(), req);
        }
        case 'hello':
        case 'dispose':
        case 'cancel':
          if (req.type === 'dispose') placement.delete(req.runId);
          return broadcast(req);
        default:
          // `check` and anything malformed: one member answers (it validates).
          return forward(leastBusy(), req);
      }
    },
    start() {
      for (const m of members) m.start?.();
    },
  };

  const emit = (msg: EngineMessage) => pool.onmessage?.({ data: msg } as MessageEvent);

  members.forEach((m, i) => {
    m.onmessage = (e) => {
      const msg = e.data as EngineMessage;
      if (msg?.type !== 'reply') return emit(msg); // progress and log events pass through
      const w = waiting.get(msg.id);
      if (!w || w.member !== i) return;
      waiting.delete(msg.id);
      w.onReply(msg);
    };
  });

  /** The member owing the fewest replies (the first of equals). */
  function leastBusy(): number {
    const owed = members.map(() => 0);
    for (const w of waiting.values()) owed[w.member]++;
    return owed.indexOf(Math.min(...owed));
  }

  /** Sends `req` to member `i` under a fresh id; `onReply` gets the reply with that id. */
  function send(i: number, req: EngineRequest, onReply: (r: Reply) => void): void {
    const id = nextId++;
    waiting.set(id, { member: i, onReply });
    members[i].postMessage({ ...req, id });
  }

  function forward(i: number, req: EngineRequest): void {
    send(i, req, (r) => emit({ ...r, id: req.id }));
  }

  /**
   * Every part answers; the caller then gets the first failure, or `merge` of
   * the bodies. `onFailed` hears which parts had succeeded when another failed.
   */
  function gather(
    parts: { member: number; req: EngineRequest }[],
    id: number,
    merge: (bodies: unknown[]) => unknown,
    onFailed?: (succeeded: number[]) => void,
  ): void {
    const bodies: unknown[] = new Array(parts.length);
    let left = parts.length;
    let failed: Reply | null = null;
    parts.forEach((p, k) =>
      send(p.member, p.req, (r) => {
        if (r.ok) bodies[k] = r.body;
        else failed ??= r;
        if (--left > 0) return;
        if (!failed) return emit({ type: 'reply', id, ok: true, body: merge(bodies) });
        onFailed?.(parts.filter((_, j) => bodies[j] !== undefined).map((q) => q.member));
        emit({ ...failed, id });
      }),
    );
  }

  function broadcast(req: Extract<EngineRequest, { type: 'hello' | 'dispose' | 'cancel' }>): void {
    const parts = members.map((_, member) => ({ member, req }));
    gather(parts, req.id, (bodies) => {
      if (req.type === 'hello') return bodies[0];
      if (req.type === 'dispose') return { disposed: bodies.some((b) => (b as EngineReplyBodies['dispose']).disposed) };
      return { cancelled: bodies.some((b) => (b as EngineReplyBodies['cancel']).cancelled) };
    });
  }

  function run(req: Extract<EngineRequest, { type: 'run' }>): void {
    const policies = Array.isArray(req.policies) ? req.policies : [];
    // With one policy, or none (the engine reads the scenario's own), one member runs it all.
    const n = Math.min(members.length, policies.length);
    const first = leastBusy();
    const memberOf = (j: number) => (first + j) % members.length;
    const byPolicy = new Map<PolicyId, number>();
    policies.forEach((p, k) => byPolicy.set(p, n > 1 ? memberOf(k % n) : first));
    placement.delete(req.runId);
    placement.set(req.runId, { byPolicy, member: first });
    while (placement.size > ROUTED_RUNS) placement.delete(placement.keys().next().value as string);

    const parts =
      n <= 1
        ? [{ member: first, req }]
        : Array.from({ length: n }, (_, j) => ({ member: memberOf(j), req: { ...req, policies: policies.filter((_, k) => k % n === j) } }));
    gather(
      parts,
      req.id,
      (bodies) => {
        const replies = bodies as RunReplyBody[];
        const runs = replies.flatMap((b) => b.runs).sort((a, b) => policies.indexOf(a.policy) - policies.indexOf(b.policy));
        return { ...replies[0], runs } satisfies RunReplyBody;
      },
      // The run failed as a whole (cancelled, bad request): the parts that finished keep no sessions.
      (succeeded) => {
        placement.delete(req.runId);
        for (const member of succeeded) send(member, { type: 'dispose', id: 0, runId: req.runId }, () => {});
      },
    );
  }

  return pool;
}
