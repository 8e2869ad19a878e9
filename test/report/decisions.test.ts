import { describe, expect, it } from 'vitest';
import type { FaultDecision } from '../../core/mm/api';
import { differingDecisions, groupDecisions, headAndTail, type Decision } from '../../core/report/decisions';

function d(step: number, page: number, decision: FaultDecision, process = 'P0'): Decision {
  return {
    index: 0, step, process, mapping: 'A', page, address: 0x10000000 + page * 4096, type: decision === 'alloc' ? 'anon' : 'wp', level: 'pte', decision,
    reason: decision === 'copy' ? 'COPY_LARGE_FOLIO' : decision === 'reuse' ? 'REUSE_ALL_MAPPINGS_OURS' : 'ALLOC_NEW_FOLIO', rule: `rule ${decision}`,
  };
}

describe('decision summaries', () => {
  it('pairs faults across policies by step, process, page and occurrence, and counts the differing ones by pattern', () => {
    const a = [d(0, 0, 'alloc'), d(0, 1, 'alloc'), d(2, 0, 'copy'), d(2, 0, 'copy'), d(2, 1, 'copy'), d(3, 0, 'copy', 'P1')];
    // Same step 2 faults in another order, a second fault on page 0 that reuses, page 1 never faulted, P1 same.
    const b = [d(0, 0, 'alloc'), d(0, 1, 'alloc'), d(2, 0, 'reuse'), d(2, 0, 'copy'), d(3, 0, 'copy', 'P1'), d(3, 5, 'reuse', 'P1')];
    const s = differingDecisions([a, b], 20);
    expect(s.total).toBe(3);
    expect(s.patterns).toEqual([
      { decisions: ['copy', 'reuse'], count: 1 },
      { decisions: ['copy', '-'], count: 1 },
      { decisions: ['-', 'reuse'], count: 1 },
    ]);
    expect(s.rows.map((r) => [r.step, r.process, r.page, r.byPolicy.map((x) => x?.decision ?? null)])).toEqual([
      [2, 'P0', 0, ['copy', 'reuse']],
      [2, 'P0', 1, ['copy', null]],
      [3, 'P1', 5, [null, 'reuse']],
    ]);
  });

  it('keeps a few examples of every pattern, however common one of them is', () => {
    const a = [...Array.from({ length: 1000 }, (_, p) => d(1, p, 'copy')), d(2, 0, 'alloc')];
    const b = [...Array.from({ length: 1000 }, (_, p) => d(1, p, 'reuse')), d(2, 0, 'copy')];
    const s = differingDecisions([a, b], 5);
    expect(s.total).toBe(1001);
    expect(s.patterns.map((p) => [p.decisions.join(), p.count])).toEqual([['copy,reuse', 1000], ['alloc,copy', 1]]);
    expect(s.rows.map((r) => `${r.step}:${r.page}`)).toEqual(['1:0', '1:1', '1:2', '1:3', '1:4', '2:0']);
  });

  it('groups by process, kind, decision and reason, largest first; head and tail', () => {
    const all = [d(0, 0, 'alloc'), d(1, 0, 'copy'), d(1, 1, 'copy'), d(1, 0, 'copy', 'P1')];
    expect(groupDecisions(all).map((g) => [g.process, g.decision, g.count])).toEqual([['P0', 'copy', 2], ['P0', 'alloc', 1], ['P1', 'copy', 1]]);
    expect(headAndTail([1, 2, 3, 4, 5], 2)).toEqual({ head: [1, 2], tail: [4, 5], omitted: 1 });
    expect(headAndTail([1, 2, 3, 4], 2)).toEqual({ head: [1, 2, 3, 4], tail: [], omitted: 0 });
  });
});
