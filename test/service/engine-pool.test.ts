// The engine pool over real engine services (members reached through
// structured clones, answering asynchronously like a Worker): a run split over
// members answers exactly what one engine answers, queries reach the member
// holding the policy's session, and failures and cancels cover the whole run.
import { describe, expect, it } from 'vitest';
import type { EngineMessage, EngineRequest } from '../../core/contract/protocol';
import { PROTOCOL_VERSION } from '../../core/contract/protocol';
import type { RunResult } from '../../core/mm/api';
import { createEnginePool, defaultEngineCount, type EnginePortLike } from '../../core/service/engine-pool';
import { createEngineService } from '../../core/service/engine-service';

type Reply = Extract<EngineMessage, { type: 'reply' }>;

/** A member: an engine service behind a port that clones like postMessage and answers on a later task. */
function member(log: EngineRequest[]): EnginePortLike {
  const port: EnginePortLike = {
    onmessage: null,
    postMessage(message) {
      log.push(structuredClone(message) as EngineRequest);
      setTimeout(() => service.handle(structuredClone(message)), 0);
    },
  };
  const service = createEngineService((msg) => setTimeout(() => port.onmessage?.({ data: structuredClone(msg) } as MessageEvent), 0));
  return port;
}

function client(port: EnginePortLike) {
  const replies = new Map<number, (r: Reply) => void>();
  const events: EngineMessage[] = [];
  port.onmessage = (e) => {
    const m = e.data as EngineMessage;
    if (m.type === 'reply') replies.get(m.id)?.(m);
    else events.push(m);
  };
  let id = 100;
  const request = (body: Record<string, unknown>): Promise<Reply> =>
    new Promise((resolve) => {
      const n = id++;
      replies.set(n, resolve);
      port.postMessage({ ...body, id: n });
    });
  return { request, events };
}

const SOURCE = [
  'scenario "pool"',
  'thp 2M=madvise',
  'P0: mmap A 4M',
  'P0: madvise A hugepage',
  'P0: write A 1',
  'P0: mprotect A[1] ro',
  'P0: mprotect A[1] rw',
  'P0: fork P1',
  'P1: exit',
  'P0: write A 2',
].join('\n');
const POLICIES = ['v6.7', 'v6.9', 'rmapid', 'v6.15'];

/** A run's result without the wall-clock figures (the only thing that may differ between engines). */
function comparable(r: RunResult) {
  return { ...r, elapsedMs: 0, steps: r.steps.map((s) => ({ ...s, elapsedMs: 0 })) };
}

function setup(n: number) {
  const logs = Array.from({ length: n }, () => [] as EngineRequest[]);
  const pool = createEnginePool(logs.map((l) => member(l)));
  return { logs, ...client(pool) };
}

describe('engine pool', () => {
  it('splits a run over its members, and answers exactly what one engine answers', async () => {
    const one = setup(1);
    const two = setup(2);
    const run = { type: 'run', runId: 'r1', file: 'pool.mms', source: SOURCE, policies: POLICIES, options: {} };
    const [a, b] = await Promise.all([one.request(run), two.request(run)]);
    expect(a.ok && b.ok).toBe(true);
    const runsA = (a as { body: { runs: RunResult[] } }).body.runs;
    const runsB = (b as { body: { runs: RunResult[] } }).body.runs;
    expect(runsB.map((r) => r.policy)).toEqual(POLICIES);
    expect(runsB.map(comparable)).toEqual(runsA.map(comparable));
    expect({ ...b, body: null, id: 0 }).toEqual({ ...a, body: null, id: 0 });
    // Each member ran half of the policies, alternating.
    const sent = two.logs.map((l) => l.filter((m) => m.type === 'run').map((m) => (m as { policies: string[] }).policies));
    expect(sent).toEqual([[['v6.7', 'rmapid']], [['v6.9', 'v6.15']]]);
    // Progress of every policy reaches the page.
    const progressed = new Set(two.events.filter((e) => e.type === 'progress').map((e) => (e as { policy: string }).policy));
    expect([...progressed].sort()).toEqual([...POLICIES].sort());
  });

  it('sends each query to the member holding that policy, with the same answer as one engine', async () => {
    const one = setup(1);
    const two = setup(2);
    const run = { type: 'run', runId: 'q', file: 'pool.mms', source: SOURCE, policies: POLICIES, options: {} };
    await Promise.all([one.request(run), two.request(run)]);
    for (const policy of POLICIES) {
      const q = { type: 'query', runId: 'q', policy, step: 7, query: { kind: 'folios', offset: 0, limit: 50 } };
      const [a, b] = await Promise.all([one.request(q), two.request(q)]);
      expect(b.ok).toBe(true);
      expect({ ...b, id: 0 }).toEqual({ ...a, id: 0 });
    }
    const queried = two.logs.map((l) => l.filter((m) => m.type === 'query').map((m) => (m as { policy: string }).policy));
    expect(queried).toEqual([['v6.7', 'rmapid'], ['v6.9', 'v6.15']]);
  });

  it('a run of one policy, or of the scenario\'s own, goes whole to one member', async () => {
    const two = setup(2);
    const r = await two.request({ type: 'run', runId: 's', file: 'pool.mms', source: SOURCE + '\n', policies: [], options: {} });
    expect(r.ok).toBe(true);
    const runs = (r as { body: { runs: RunResult[] } }).body.runs;
    expect(runs.length).toBeGreaterThan(1);
    expect(two.logs.filter((l) => l.some((m) => m.type === 'run'))).toHaveLength(1);
    // Queries for any of its policies reach that member.
    const q = await two.request({ type: 'query', runId: 's', policy: runs[1].policy, step: 0, query: { kind: 'processes' } });
    expect(q.ok).toBe(true);
  });

  it('hello and dispose go to every member; check to the least busy one', async () => {
    const two = setup(2);
    const hello = await two.request({ type: 'hello', protocol: PROTOCOL_VERSION });
    expect(hello).toMatchObject({ ok: true, body: { protocol: PROTOCOL_VERSION } });
    expect(two.logs.map((l) => l.filter((m) => m.type === 'hello').length)).toEqual([1, 1]);
    await two.request({ type: 'run', runId: 'd', file: 'pool.mms', source: SOURCE, policies: POLICIES, options: {} });
    const disposed = await two.request({ type: 'dispose', runId: 'd' });
    expect(disposed).toMatchObject({ ok: true, body: { disposed: true } });
    const after = await two.request({ type: 'query', runId: 'd', policy: 'v6.9', step: 0, query: { kind: 'processes' } });
    expect(after).toMatchObject({ ok: false, error: { code: 'unknown-run' } });
    // While member 0 runs a single-policy run, a check is answered by member 1.
    const running = two.request({ type: 'run', runId: 'busy', file: 'pool.mms', source: SOURCE, policies: ['v6.9'], options: {} });
    const check = await two.request({ type: 'check', file: 'x.mms', source: 'P0: wrte A\n' });
    expect(check.ok).toBe(true);
    const runner = two.logs.findIndex((l) => l.some((m) => m.type === 'run' && (m as { runId: string }).runId === 'busy'));
    expect(two.logs[1 - runner].some((m) => m.type === 'check')).toBe(true);
    await running;
  });

  it('a cancel reaches every part of a run', async () => {
    const two = setup(2);
    const run = two.request({ type: 'run', runId: 'c', file: 'pool.mms', source: SOURCE, policies: POLICIES, options: {} });
    const cancel = await two.request({ type: 'cancel', runId: 'c' });
    expect(cancel).toMatchObject({ ok: true, body: { cancelled: true } });
    expect(await run).toMatchObject({ ok: false, error: { code: 'cancelled' } });
    expect(two.logs.map((l) => l.filter((m) => m.type === 'cancel').length)).toEqual([1, 1]);
    const q = await two.request({ type: 'query', runId: 'c', policy: 'v6.9', step: 0, query: { kind: 'processes' } });
    expect(q).toMatchObject({ ok: false, error: { code: 'unknown-run' } });
  });

  it('a part that fails fails the whole run, and the parts that finished drop their sessions', async () => {
    const log: EngineRequest[] = [];
    const broken: EnginePortLike = {
      onmessage: null,
      postMessage(message) {
        const m = message as EngineRequest;
        setTimeout(() => broken.onmessage?.({ data: { type: 'reply', id: m.id, ok: false, error: { code: 'engine-error', message: 'the engine failed: boom' } } } as MessageEvent), 0);
      },
    };
    const c = client(createEnginePool([member(log), broken]));
    const r = await c.request({ type: 'run', runId: 'f', file: 'pool.mms', source: SOURCE, policies: POLICIES, options: {} });
    expect(r).toMatchObject({ ok: false, error: { code: 'engine-error', message: 'the engine failed: boom' } });
    await new Promise((res) => setTimeout(res, 20));
    expect(log.map((m) => m.type)).toEqual(['run', 'dispose']);
    expect(log[1]).toMatchObject({ runId: 'f' });
  });

  it('malformed requests get the engine\'s own bad-request answer', async () => {
    const two = setup(2);
    const r = await two.request({ type: 'run', runId: 'x', file: 'f', source: '', policies: ['v9.99'], options: {} });
    expect(r).toMatchObject({ ok: false, error: { code: 'bad-request', message: expect.stringContaining('v9.99') } });
    const q = await two.request({ type: 'query', runId: 'x', policy: 'v6.9', step: 0, query: { kind: 'evil' } });
    expect(q).toMatchObject({ ok: false, error: { code: 'bad-request' } });
  });

  it('one engine per core, at most four', () => {
    expect([0, 1, 2, 3, 8, 64].map(defaultEngineCount)).toEqual([1, 1, 2, 3, 4, 4]);
    expect(() => createEnginePool([])).toThrow(RangeError);
  });
});
