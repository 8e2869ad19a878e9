// Engine-level behaviour: bad input stays on its step, budgets and
// cancellation, time travel, and the oracle catching a broken policy.
import { describe, expect, it } from 'vitest';
import type { PolicyId } from '../../../core/lang/ast';
import { createSession, decodeTraceEvent, runAll, runScenario, scenarioPolicies } from '../../../core/mm/index';
import { Engine } from '../../../core/mm/engine';
import { PolicyV615 } from '../../../core/mm/policies/v6_15';
import { REASON } from '../../../core/mm/trace';
import { verdict } from '../../../core/mm/policies/types';
import { run, scenario } from './helpers';

describe('bad input', () => {
  it('reports syscall errors on their step and goes on', () => {
    const r = run(
      `P0: mmap A 32K
P0: mprotect A[9..12] ro
P2: write A
P0: write B
P0: fork P1
P1: exit
P1: write A
P0: unpin nothing
P0: fork P1
P0: write A[1] 3
expect P0 A[1].data == 3`,
      'v6.15',
    );
    expect(r.steps.map((s) => s.error)).toEqual([
      undefined,
      'mprotect: ENOMEM: A[9..12] is outside the mapping (8 pages)',
      'write: ESRCH: process P2 does not exist',
      'write: EINVAL: P0 has no mapping B',
      undefined,
      undefined,
      'write: ESRCH: process P1 has exited',
      'unpin: EINVAL: no pin named nothing',
      'fork: EEXIST: a process named P1 already exists',
      undefined,
    ]);
    expect(r.passed).toBe(true);
    const errs = [];
    for (let i = 0; i < r.trace.length; i++) if (decodeTraceEvent(r.trace, i).kind === 'syscall-error') errs.push(i);
    expect(errs).toHaveLength(6);
  });

  it('mmap and mremap fail with ENOMEM once the 4 TiB address space is full, and the run goes on', () => {
    const r = run(
      `P0: mmap A 1024G
P0: mmap B 1024G
P0: mmap C 1024G
P0: mmap D 1024G
P0: mmap D 1022G
P0: mmap E 1G
P0: mremap E F
P0: write E[0] 7
expect P0 E[0].data == 7`,
      'v6.15',
    );
    expect(r.steps.map((s) => s.error)).toEqual([
      undefined,
      undefined,
      undefined,
      'mmap: ENOMEM: no room for D in the 4096G simulated address space',
      undefined,
      undefined,
      'mremap: ENOMEM: no room for F in the 4096G simulated address space',
      undefined,
    ]);
    expect(r.passed).toBe(true);
  });

  it('an unknown policy is a failed run, not an exception', () => {
    const r = runScenario(scenario('P0: mmap A 4K'), 'v9.99' as PolicyId);
    expect(r.passed).toBe(false);
    expect(r.stopped?.message).toContain('unknown policy "v9.99"');
  });

  it('running out of simulated memory stops the run', () => {
    const r = run('memory 64K\nP0: mmap A 128K\nP0: write A\nP0: write A[0]', 'v6.9');
    expect(r.stopped).toMatchObject({ reason: 'out-of-memory', atStep: 1 });
    expect(r.steps).toHaveLength(2);
    expect(r.steps[1].error).toContain('out of simulated memory');
    expect(r.passed).toBe(false);
  });

  it('a THP allocation that cannot be served falls back to small pages', () => {
    const r = run('memory 2M\nP0: mmap X 4K\nP0: write X\nP0: mmap A 2M\nP0: madvise A hugepage\nP0: write A[0]\nexpect thp_fault_fallback == 1\nexpect P0 A[0].order == 0', 'v6.15');
    expect(r.expectations.every((e) => e.passed)).toBe(true);
  });
});

describe('budgets', () => {
  const src = 'P0: mmap A 1M\nP0: write A\nP0: write A\nP0: write A';
  it('maxSteps', () => {
    const r = runScenario(scenario(src), 'v6.15', { maxSteps: 2 });
    expect(r.stopped).toMatchObject({ reason: 'budget', atStep: 2 });
    expect(r.steps).toHaveLength(2);
  });
  it('maxPageOps stops inside a step', () => {
    const r = runScenario(scenario('P0: mmap A 64M\nP0: write A'), 'v6.15', { maxPageOps: 5000 });
    expect(r.stopped?.reason).toBe('budget');
  });
  it('shouldStop cancels', () => {
    let n = 0;
    const r = runScenario(scenario(src), 'v6.15', { shouldStop: () => ++n > 1 });
    expect(r.stopped?.reason).toBe('cancelled');
  });
});

describe('runAll and scenarioPolicies', () => {
  it('runs the header policies in order, or every built-in', () => {
    expect(scenarioPolicies(scenario('policies v6.15 v6.7\nP0: mmap A 4K'))).toEqual(['v6.15', 'v6.7']);
    expect(scenarioPolicies(scenario('P0: mmap A 4K'))).toEqual(['v6.7', 'v6.9', 'rmapid', 'v6.15']);
    expect(runAll(scenario('policies v6.9 ideal\nP0: mmap A 4K')).map((r) => r.policy)).toEqual(['v6.9', 'ideal']);
  });
});

describe('expectations', () => {
  it('report the failing page and the actual value', () => {
    const r = run('P0: mmap A 16K\nP0: write A[0..2] 1\nexpect P0 A.present == true\nexpect P0.rss == 8K\nexpect P0 A[0..2].pfn != P0 A[1..3].pfn\nexpect pgfault < 2 for v6.9', 'v6.15');
    const [present, rss, pfn] = r.expectations;
    expect(r.expectations).toHaveLength(3);
    expect(present).toMatchObject({ passed: false, actual: false });
    expect(present.message).toContain('P0 A[2].present');
    expect(rss).toMatchObject({ passed: true, actual: 8192 });
    expect(pfn.passed).toBe(false);
    expect(pfn.message).toContain('P0 A[1].pfn');
    expect(r.passed).toBe(false);
  });
});

describe('time travel', () => {
  const src = `P0: mmap A 2M
P0: madvise A hugepage
P0: write A 1
P0: mprotect A[1] ro
P0: mprotect A[1] rw
P0: fork P1
P0: write A[3] 2
P1: exit
P0: write A[4] 3
P0: madvise A pageout`;
  it('session.at(k) equals a fresh run truncated at k, forwards and backwards', () => {
    const sc = scenario(src);
    const s = createSession(sc, 'v6.15');
    const snap = (q: ReturnType<typeof s.at>) => ({
      procs: q.processes(),
      cells: q.pageCells('P0', 'A', 0, 16),
      walk: q.pageWalk('P0', 'A', 3),
      folios: q.folios(0, 10),
    });
    for (const k of [9, 2, 6, 5, 8, -1]) {
      const got = snap(s.at(k));
      const fresh = createSession({ ...sc, steps: sc.steps.slice(0, k + 1) }, 'v6.15').at(k);
      expect(got).toEqual(snap(fresh));
    }
  });
  it('views show policy state: MM slots for v6.15, rmap values for rmapid', () => {
    const sc = scenario(src);
    const a = createSession(sc, 'v6.15').at(5).pageWalk('P0', 'A', 1)!.folio!;
    expect(a.policyState).toEqual({ mmSlots: [{ mmId: 1, mapcount: 512 }, { mmId: 2, mapcount: 512 }], maybeMappedShared: true });
    expect(a.mappers.map((m) => [m.process, m.pages.length])).toEqual([['P0', 512], ['P1', 512]]);
    const b = createSession(sc, 'rmapid').at(5).pageWalk('P0', 'A', 1)!.folio!;
    expect(b.policyState?.rmapValues).toEqual([String(512 * 1 + 512 * 513), '0', '0']); // 512 x subid(1) + 512 x subid(2), base 513
  });
});

describe('the oracle catches a broken policy', () => {
  class AlwaysReuse extends PolicyV615 {
    override wpCanReuse(): number {
      return verdict(REASON.REUSE_ALL_MAPPINGS_OURS, 0);
    }
  }
  it('always-reuse leaks into the child and is blamed as a policy defect', () => {
    const sc = scenario('P0: mmap A 8K\nP0: write A 1\nP0: fork P1\nP0: write A[0] 2\nP1: read A');
    const e = new Engine(sc, 'v6.15', {}, new AlwaysReuse());
    e.runTo(sc.steps.length - 1);
    const r = e.result();
    const leak = r.violations.find((v) => v.kind === 'leak')!;
    expect(leak).toMatchObject({ step: 3, process: 'P1', mapping: 'A', page: 0, expected: 1, actual: 2 });
    expect(r.violations.filter((v) => v.kind === 'leak')).toHaveLength(1); // reported once
    expect(r.invariants.some((i) => i.policyDefect && i.step === 3 && i.invariant === 'PageAnonExclusive page mapped by one mm only')).toBe(true);
    expect(r.invariants.filter((i) => !i.policyDefect)).toEqual([]);
    expect(r.counters.violations).toBeGreaterThan(0);
  });
  it('the same scenario under the real v6.15 is clean', () => {
    const r = run('P0: mmap A 8K\nP0: write A 1\nP0: fork P1\nP0: write A[0] 2\nP1: read A', 'v6.15');
    expect(r.violations).toEqual([]);
    expect(r.invariants).toEqual([]);
  });
});

describe('pin coherence', () => {
  it('a pin whose page the process itself dropped (MADV_DONTNEED) is not a violation', () => {
    const r = run('P0: mmap A 8K\nP0: write A 1\nP0: pin A ro as p\nP0: madvise A dontneed\nP0: write A 2', 'v6.15');
    expect(r.violations).toEqual([]);
    expect(r.invariants).toEqual([]);
  });

  it('a pinned page replaced behind the process\'s back is pin-incoherent', () => {
    const sc = scenario('P0: mmap A 8K\nP0: write A 1\nP0: pin A[0] rw as p\nP0: read A');
    const e = new Engine(sc, 'v6.15');
    e.runTo(2);
    // Corrupt the state as a buggy COW path would: A[0] now maps A[1]'s page.
    const t = e.k.byName.get('P0')!.pt.tables.find((x) => x !== undefined)!;
    const i = t.flags.findIndex((f) => f !== 0);
    t.pfn[i] = t.pfn[i + 1];
    e.runTo(3);
    const r = e.result();
    expect(r.violations.filter((v) => v.kind === 'pin-incoherent')).toMatchObject([{ step: 3, process: 'P0', mapping: 'A', page: 0 }]);
  });
});

describe('sessions of a run that cannot start', () => {
  it('an unknown policy gives an empty state, not an exception', () => {
    const s = createSession(scenario('P0: mmap A 4K'), 'nope' as PolicyId);
    expect(s.result.stopped?.reason).toBe('invalid');
    expect(s.at(0).processes()).toEqual([]);
    expect(s.at(0).pageWalk('P0', 'A', 0)).toBeNull();
  });
});
