// The engine service with a scripted stand-in engine (core/mm/index is mocked):
// validation, error codes, size limit, sessions per run, cancel between
// policies, and that no exception escapes. The real engine is exercised over
// a real child process in test/host/engine-host.test.ts.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { EngineMessage } from '../../core/contract/protocol';
import { PROTOCOL_VERSION } from '../../core/contract/protocol';
import type { PolicyId, Scenario } from '../../core/lang/ast';
import type { RunOptions, RunResult, Session } from '../../core/mm/api';

const engine = vi.hoisted(() => ({
  calls: [] as { policy: string; opts: unknown }[],
  throwFor: null as string | null,
  cells: new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]),
}));

vi.mock('../../core/mm/index', () => ({
  createSession(scenario: Scenario, policy: PolicyId, opts: RunOptions): Session {
    engine.calls.push({ policy, opts });
    if (engine.throwFor === policy) throw new Error(`boom in ${policy}`);
    const result = {
      policy,
      title: scenario.header.title?.value ?? scenario.file,
      passed: true,
      steps: scenario.steps.map((s, i) => ({ index: i, line: s.span.line, text: '', process: s.actor.text, firstEvent: 0, endEvent: 0 })),
      trace: { length: 1, columns: { rows: [new Int32Array(10), new Int32Array(10)], evidence: [new Int32Array(7)] }, strings: [], extra: {} },
    } as unknown as RunResult;
    return {
      result,
      at: (step: number) => ({
        processes: () => [{ name: `at-${step}` }] as never,
        pageCells: (_p: string, _m: string, from: number, count: number) => engine.cells.subarray(from, from + count),
        pageWalk: () => null,
        folios: (offset: number, limit: number) => ({ total: 99, folios: [{ pfn: offset, limit }] as never }),
        folio: () => null,
      }),
    };
  },
}));

const { createEngineService, MAX_KEPT_RUNS } = await import('../../core/service/engine-service');

const GOOD = 'scenario "t"\nP0: mmap A 8K\nP0: write A[0]\nP0: fork P1\n';

function harness() {
  const out: { msg: EngineMessage; transfer?: ArrayBuffer[] }[] = [];
  const svc = createEngineService((msg, transfer) => out.push({ msg, transfer }));
  const replies = () => out.map((o) => o.msg).filter((m): m is Extract<EngineMessage, { type: 'reply' }> => m.type === 'reply');
  const reply = (id: number) => {
    const r = replies().find((m) => m.id === id);
    if (!r) throw new Error(`no reply ${id}`);
    return r;
  };
  return { svc, out, replies, reply };
}

beforeEach(() => {
  engine.calls.length = 0;
  engine.throwFor = null;
});

describe('engine service', () => {
  it('answers hello, and refuses another protocol version', async () => {
    const h = harness();
    h.svc.handle({ type: 'hello', id: 1, protocol: PROTOCOL_VERSION });
    h.svc.handle({ type: 'hello', id: 2, protocol: PROTOCOL_VERSION + 1 });
    await h.svc.idle();
    expect(h.reply(1)).toMatchObject({ ok: true, body: { protocol: PROTOCOL_VERSION } });
    expect(h.reply(2)).toMatchObject({ ok: false, error: { code: 'protocol' } });
  });

  it('rejects malformed messages with bad-request and keeps working', async () => {
    const h = harness();
    const bad: unknown[] = [
      null,
      42,
      'run',
      { type: 'run', id: 3 },
      { type: 'nope', id: 4 },
      { type: 'check', id: 5, file: 'x', source: 7 },
      { type: 'run', id: 6, runId: 'r', file: 'f', source: '', policies: ['v9.99'], options: {} },
      { type: 'run', id: 7, runId: '../etc', file: 'f', source: '', policies: [], options: {} },
      { type: 'run', id: 8, runId: 'r', file: 'f', source: '', policies: [], options: { maxSteps: -1 } },
      { type: 'query', id: 9, runId: 'r', policy: 'v6.9', step: 0, query: { kind: 'cells', process: 'P0' } },
      { type: 'query', id: 10, runId: 'r', policy: 'v6.9', step: 0, query: { kind: 'evil' } },
    ];
    bad.forEach((m) => h.svc.handle(m));
    h.svc.handle({ type: 'hello', id: 11, protocol: PROTOCOL_VERSION });
    await h.svc.idle();
    const rs = h.replies();
    expect(rs).toHaveLength(bad.length + 1);
    for (const r of rs.slice(0, -1)) {
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error.code).toBe('bad-request');
    }
    expect(rs.filter((r) => r.id === -1)).toHaveLength(3); // null, 42, 'run': no usable id, addressed to -1
    expect(h.reply(6)).toMatchObject({ error: { message: expect.stringContaining('v9.99') } });
    expect(h.reply(11).ok).toBe(true);
  });

  it('check returns the checker diagnostics with positions', async () => {
    const h = harness();
    h.svc.handle({ type: 'check', id: 1, file: 'bad.mms', source: 'P0: frobnicate A\n' });
    await h.svc.idle();
    const r = h.reply(1);
    expect(r.ok).toBe(true);
    const diags = (r as { body: { diagnostics: { line: number; severity: string }[] } }).body.diagnostics;
    expect(diags.length).toBeGreaterThan(0);
    expect(diags[0]).toMatchObject({ line: 1, severity: 'error' });
  });

  it('refuses sources over the size limit with too-large, naming the limit', async () => {
    const h = harness();
    h.svc.handle({ type: 'check', id: 1, file: 'big.mms', source: '#'.repeat(8 * 1024 * 1024 + 1) });
    await h.svc.idle();
    expect(h.reply(1)).toMatchObject({ ok: false, error: { code: 'too-large', message: expect.stringContaining('8 MiB') } });
  });

  it('runs the requested policies, emits progress, keeps sessions for queries, disposes', async () => {
    const h = harness();
    h.svc.handle({ type: 'run', id: 1, runId: 'r1', file: 'a.mms', source: GOOD, policies: ['v6.9', 'rmapid'], options: { maxSteps: 100 } });
    h.svc.handle({ type: 'query', id: 2, runId: 'r1', policy: 'rmapid', step: 1, query: { kind: 'processes' } });
    h.svc.handle({ type: 'query', id: 3, runId: 'r1', policy: 'v6.9', step: 0, query: { kind: 'cells', process: 'P0', mapping: 'A', from: 2, count: 3 } });
    h.svc.handle({ type: 'query', id: 4, runId: 'r1', policy: 'v6.7', step: 0, query: { kind: 'processes' } });
    h.svc.handle({ type: 'query', id: 5, runId: 'r1', policy: 'v6.9', step: 3, query: { kind: 'processes' } });
    h.svc.handle({ type: 'dispose', id: 6, runId: 'r1' });
    h.svc.handle({ type: 'query', id: 7, runId: 'r1', policy: 'v6.9', step: 0, query: { kind: 'processes' } });
    await h.svc.idle();
    const run = h.reply(1) as { ok: true; body: { title: string; runs: RunResult[] } };
    expect(run.ok).toBe(true);
    expect(run.body.title).toBe('t');
    expect(run.body.runs.map((r) => r.policy)).toEqual(['v6.9', 'rmapid']);
    // Every chunk of the trace columns travels as a transferred buffer (a Worker moves them instead of copying 100 MB).
    const runTransfer = h.out.find((o) => o.msg.type === 'reply' && o.msg.id === 1)!.transfer!;
    const buffers = run.body.runs.flatMap((r) => [...r.trace.columns.rows, ...r.trace.columns.evidence].map((c) => c.buffer));
    expect(runTransfer).toHaveLength(6);
    runTransfer.forEach((b, i) => expect(b).toBe(buffers[i]));
    expect((engine.calls[0].opts as RunOptions).maxSteps).toBe(100);
    expect(h.out.filter((o) => o.msg.type === 'progress').map((o) => o.msg)).toContainEqual({ type: 'progress', runId: 'r1', policy: 'rmapid', step: 3, steps: 3 });
    expect(h.reply(2)).toMatchObject({ ok: true, body: { kind: 'processes', processes: [{ name: 'at-1' }] } });
    const cells = h.out.find((o) => o.msg.type === 'reply' && o.msg.id === 3)!;
    expect(Array.from((cells.msg as { body: { cells: Uint8Array } }).body.cells)).toEqual([3, 4, 5]);
    expect(cells.transfer).toHaveLength(1);
    expect(engine.cells.byteLength).toBe(8); // the engine's own buffer is not the one transferred
    expect(h.reply(4)).toMatchObject({ ok: false, error: { code: 'unknown-run' } });
    expect(h.reply(5)).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    expect(h.reply(6)).toMatchObject({ ok: true, body: { disposed: true } });
    expect(h.reply(7)).toMatchObject({ ok: false, error: { code: 'unknown-run' } });
  });

  it('uses the scenario policies header, else every built-in policy', async () => {
    const h = harness();
    h.svc.handle({ type: 'run', id: 1, runId: 'a', file: 'a.mms', source: 'policies v6.7 v6.15\n' + GOOD.split('\n').slice(1).join('\n'), policies: [], options: {} });
    h.svc.handle({ type: 'run', id: 2, runId: 'b', file: 'b.mms', source: GOOD, policies: [], options: {} });
    await h.svc.idle();
    expect((h.reply(1) as { body: { runs: RunResult[] } }).body.runs.map((r) => r.policy)).toEqual(['v6.7', 'v6.15']);
    expect((h.reply(2) as { body: { runs: RunResult[] } }).body.runs.map((r) => r.policy)).toEqual(['v6.7', 'v6.9', 'rmapid', 'v6.15']);
  });

  it('does not run a scenario with errors; returns its diagnostics', async () => {
    const h = harness();
    h.svc.handle({ type: 'run', id: 1, runId: 'r', file: 'a.mms', source: 'P0: write Z[0]\n', policies: [], options: {} });
    await h.svc.idle();
    const r = h.reply(1) as { ok: true; body: { runs: unknown[]; diagnostics: unknown[] } };
    expect(r.body.runs).toEqual([]);
    expect(r.body.diagnostics.length).toBeGreaterThan(0);
    expect(engine.calls).toHaveLength(0);
  });

  it('turns an engine exception into engine-error and keeps serving', async () => {
    const h = harness();
    engine.throwFor = 'rmapid';
    h.svc.handle({ type: 'run', id: 1, runId: 'r', file: 'a.mms', source: GOOD, policies: ['v6.9', 'rmapid'], options: {} });
    h.svc.handle({ type: 'hello', id: 2, protocol: PROTOCOL_VERSION });
    await h.svc.idle();
    expect(h.reply(1)).toMatchObject({ ok: false, error: { code: 'engine-error', message: expect.stringContaining('boom in rmapid') } });
    expect(h.reply(1)).not.toHaveProperty('error.stack');
    expect(h.reply(2).ok).toBe(true);
  });

  it('cancel reaches a run between two policies', async () => {
    const h = harness();
    h.svc.handle({ type: 'run', id: 1, runId: 'r', file: 'a.mms', source: GOOD, policies: ['v6.7', 'v6.9', 'rmapid'], options: {} });
    // The run yields after each policy; the cancel arrives during the first yield.
    await new Promise((r) => setTimeout(r, 0));
    h.svc.handle({ type: 'cancel', id: 2, runId: 'r' });
    h.svc.handle({ type: 'cancel', id: 3, runId: 'nope' });
    await h.svc.idle();
    expect(h.reply(2)).toMatchObject({ ok: true, body: { cancelled: true } });
    expect(h.reply(3)).toMatchObject({ ok: true, body: { cancelled: false } });
    expect(h.reply(1)).toMatchObject({ ok: false, error: { code: 'cancelled' } });
    expect(engine.calls.length).toBeLessThan(3);
    // each policy's run polls the cancel flag
    expect((engine.calls[0].opts as RunOptions).shouldStop?.()).toBe(true);
  });

  it(`keeps the last ${'MAX_KEPT_RUNS'} runs for queries`, async () => {
    const h = harness();
    for (let i = 0; i <= MAX_KEPT_RUNS; i++) h.svc.handle({ type: 'run', id: i, runId: `r${i}`, file: 'a.mms', source: GOOD, policies: ['v6.9'], options: {} });
    h.svc.handle({ type: 'query', id: 100, runId: 'r0', policy: 'v6.9', step: 0, query: { kind: 'processes' } });
    h.svc.handle({ type: 'query', id: 101, runId: `r${MAX_KEPT_RUNS}`, policy: 'v6.9', step: 0, query: { kind: 'processes' } });
    await h.svc.idle();
    expect(h.reply(100)).toMatchObject({ ok: false, error: { code: 'unknown-run' } });
    expect(h.reply(101).ok).toBe(true);
  });

  it('survives a post function that throws (closed port)', async () => {
    let calls = 0;
    const svc = createEngineService(() => {
      calls++;
      throw new Error('port closed');
    });
    expect(() => svc.handle({ type: 'hello', id: 1, protocol: PROTOCOL_VERSION })).not.toThrow();
    await svc.idle();
    expect(() => svc.handle(null)).toThrow('port closed'); // synchronous bad-request post: the caller's port is gone
    expect(calls).toBeGreaterThan(0);
  });
});
