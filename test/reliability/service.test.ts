// The engine service (core/service/engine-service.ts) with the REAL engine
// under hostile traffic: 1,000+ malformed messages, sources over the size
// limit, unknown run ids and impossible queries each get exactly one error
// reply (one sentence, no stack), and a run afterwards still works.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PROTOCOL_VERSION, type EngineMessage } from '../../core/contract/protocol';
import { MAX_SOURCE_CHARS } from '../../core/lang/limits';
import type { RunResult } from '../../core/mm/api';
import { createEngineService } from '../../core/service/engine-service';
import { notOneSentence } from './engine-cases';

type Reply = Extract<EngineMessage, { type: 'reply' }>;

function harness() {
  const out: EngineMessage[] = [];
  const svc = createEngineService((msg) => out.push(msg));
  const replies = () => out.filter((m): m is Reply => m.type === 'reply');
  return { svc, out, replies };
}

const SCENARIO = `scenario "after the storm"
P0: mmap A 2M
P0: madvise A hugepage
P0: write A 1
P0: fork P1
P1: write A[3] 2
expect P0 A[3].data == 1
expect P1 A[3].data == 2
expect violations == 0
`;

const goodRun = (id: number, runId: string) => ({ type: 'run', id, runId, file: 'storm.mms', source: SCENARIO, policies: ['v6.15', 'rmapid'], options: {} });

/** Valid requests of every type, to be broken field by field. */
const VALID: Record<string, unknown>[] = [
  { type: 'hello', id: 1, protocol: PROTOCOL_VERSION },
  { type: 'check', id: 1, file: 'a.mms', source: 'P0: mmap A 4K' },
  goodRun(1, 'r'),
  { type: 'cancel', id: 1, runId: 'r' },
  { type: 'query', id: 1, runId: 'r', policy: 'v6.15', step: 0, query: { kind: 'cells', process: 'P0', mapping: 'A', from: 0, count: 4 } },
  { type: 'dispose', id: 1, runId: 'r' },
];

const WEIRD = [undefined, null, NaN, Infinity, -1, 2 ** 53, 1.5, '', 'x'.repeat(5000), [], {}, true, Symbol.iterator.toString(), { __proto__: { id: 1 } }, '../../etc/passwd', '\u0000'];

/** A valid request with one field removed or replaced by something of the wrong kind. */
const brokenRequest = fc.tuple(fc.constantFrom(...VALID), fc.nat(), fc.constantFrom(...WEIRD)).map(([base, k, weird]) => {
  const keys = Object.keys(base).filter((key) => key !== 'id');
  const key = keys[k % keys.length];
  const copy: Record<string, unknown> = { ...base, id: 1000 + k };
  if (k % 3 === 0) delete copy[key];
  else copy[key] = weird;
  return copy;
});

describe('engine service with the real engine: hostile traffic', () => {
  it('1,000 malformed messages each get one bad-request reply (one sentence); then a run works', async () => {
    const h = harness();
    const samples = [...fc.sample(fc.anything({ withObjectString: true, withNullPrototype: true, withBigInt: true, withMap: true, withSet: true, withTypedArray: true }), { seed: 7, numRuns: 500 }), ...fc.sample(brokenRequest, { seed: 8, numRuns: 500 })];
    let expected = 0;
    for (const msg of samples) {
      expect(() => h.svc.handle(msg)).not.toThrow();
      expected++;
    }
    // What structured clone can still deliver: a cyclic object, an id past 2^53, a null-prototype object, a Date, a typed-array source.
    const cyclic: Record<string, unknown> = { type: 'check', id: 6 };
    cyclic.source = cyclic;
    for (const msg of [cyclic, { type: 'hello', id: Number.MAX_SAFE_INTEGER + 2, protocol: 1 }, Object.create(null), new Date(0), { type: 'check', id: 7, file: 'a', source: new Uint8Array(8) }]) {
      expect(() => h.svc.handle(msg)).not.toThrow();
      expected++;
    }
    await h.svc.idle();
    const replies = h.replies();
    // Some broken requests are still valid (e.g. a hello with its protocol replaced by an integer is a protocol error): every one is answered once.
    expect(replies.length).toBe(expected);
    const failed = replies.filter((r) => !r.ok) as Extract<Reply, { ok: false }>[];
    expect(failed.length).toBeGreaterThan(950);
    for (const r of failed) {
      expect(['bad-request', 'protocol', 'unknown-run'], JSON.stringify(r)).toContain(r.error.code);
      expect(notOneSentence(r.error.message), r.error.message).toBeNull();
    }

    h.svc.handle(goodRun(1, 'after'));
    await h.svc.idle();
    const run = h.replies().find((r) => r.id === 1 && r.ok) as Extract<Reply, { ok: true }> | undefined;
    expect(run, JSON.stringify(h.replies().slice(-2))).toBeDefined();
    const runs = (run!.body as { runs: RunResult[] }).runs;
    expect(runs.map((r) => [r.policy, r.passed, r.violations.length])).toEqual([
      ['v6.15', true, 0],
      ['rmapid', true, 0],
    ]);
  });

  it(`sources over ${MAX_SOURCE_CHARS} characters: too-large naming the limit, for check and run`, async () => {
    const h = harness();
    const huge = `P0: mmap A 4K\n${'# ballast\n'.repeat(MAX_SOURCE_CHARS / 10 + 1)}`;
    h.svc.handle({ type: 'check', id: 1, file: 'big.mms', source: huge });
    h.svc.handle({ ...goodRun(2, 'big'), source: huge });
    h.svc.handle(goodRun(3, 'small'));
    await h.svc.idle();
    const [check, run, small] = [1, 2, 3].map((id) => h.replies().find((r) => r.id === id)!);
    for (const r of [check, run]) {
      expect(r).toMatchObject({ ok: false, error: { code: 'too-large' } });
      expect((r as Extract<Reply, { ok: false }>).error.message).toContain(String(MAX_SOURCE_CHARS));
    }
    expect(small.ok).toBe(true);
  });

  it('unknown run ids and impossible queries are answered, one reply each, and the service goes on', async () => {
    const h = harness();
    h.svc.handle(goodRun(1, 'real'));
    await h.svc.idle();
    const q = (id: number, query: unknown, extra: Record<string, unknown> = {}) => h.svc.handle({ type: 'query', id, runId: 'real', policy: 'v6.15', step: 3, query, ...extra });
    h.svc.handle({ type: 'query', id: 10, runId: 'ghost', policy: 'v6.15', step: 0, query: { kind: 'processes' } });
    h.svc.handle({ type: 'dispose', id: 11, runId: 'ghost' });
    h.svc.handle({ type: 'cancel', id: 12, runId: 'ghost' });
    q(13, { kind: 'processes' }, { policy: 'v6.7' }); // policy not in this run
    q(14, { kind: 'processes' }, { step: 99 }); // past the last step
    q(15, { kind: 'cells', process: 'P9', mapping: 'A', from: 0, count: 8 });
    q(16, { kind: 'cells', process: 'P0', mapping: 'Nope', from: 0, count: 8 });
    q(17, { kind: 'cells', process: 'P0', mapping: 'A', from: 10_000_000, count: 1 << 24 });
    q(18, { kind: 'walk', process: 'P1', mapping: 'A', page: 1 << 30 });
    q(19, { kind: 'folio', pfn: 2 ** 40 });
    q(20, { kind: 'folios', offset: 1 << 30, limit: 100_000 });
    q(21, { kind: 'processes' }, { step: -1 });
    await h.svc.idle();
    const byId = new Map(h.replies().map((r) => [r.id, r]));
    expect([...byId.keys()].sort((a, b) => a - b)).toEqual([1, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21]);
    expect(h.replies()).toHaveLength(13); // exactly one reply each
    expect(byId.get(10)).toMatchObject({ ok: false, error: { code: 'unknown-run' } });
    expect(byId.get(11)).toMatchObject({ ok: true, body: { disposed: false } });
    expect(byId.get(12)).toMatchObject({ ok: true, body: { cancelled: false } });
    expect(byId.get(13)).toMatchObject({ ok: false, error: { code: 'unknown-run' } });
    expect(byId.get(14)).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    for (const id of [15, 16, 17, 18, 19, 20, 21]) {
      const r = byId.get(id)!;
      // An impossible query is either an empty answer or an error reply; never an engine fault with a stack.
      if (!r.ok) {
        expect(notOneSentence(r.error.message), r.error.message).toBeNull();
        expect(r.error.code, `${id}: ${r.error.message}`).not.toBe('engine-error');
      }
    }
    h.svc.handle(goodRun(30, 'again'));
    await h.svc.idle();
    expect(h.replies().find((r) => r.id === 30)?.ok).toBe(true);
  });
});
