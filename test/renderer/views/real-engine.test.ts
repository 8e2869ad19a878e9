// The views fed by the real engine: the spec's example scenario run through
// createSession under v6.9 and v6.15, queried the way the engine host answers.
import { describe, expect, it } from 'vitest';
import { flushPromises, mount } from '@vue/test-utils';
import { analyze } from '../../../core/lang/checker';
import type { PolicyId } from '../../../core/lang/ast';
import type { StateQueryReply, StateQueryRequest } from '../../../core/contract/protocol';
import { createSession } from '../../../core/mm/index';
import type { Session } from '../../../core/mm/api';
import type { QueryFn } from '../../../renderer/src/views/common/seam';
import CompareView from '../../../renderer/src/views/CompareView.vue';
import PageInspector from '../../../renderer/src/views/PageInspector.vue';
import TraceView from '../../../renderer/src/views/TraceView.vue';
import FoliosView from '../../../renderer/src/views/FoliosView.vue';
import MemoryMap from '../../../renderer/src/views/MemoryMap.vue';
import { specExample, withoutComments } from '../../helpers/spec-example';

const SOURCE = withoutComments(specExample('v6.9 v6.15', ['P0.cow_copies == 1 for v6.9', 'P0.pgreuse == 1 for v6.15']));
const WRITE_STEP = 7;

function sessions(): Map<PolicyId, Session> {
  const { scenario, diagnostics } = analyze(SOURCE, 'example.mms');
  expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return new Map((['v6.9', 'v6.15'] as const).map((p) => [p, createSession(scenario, p)]));
}

function queryOf(all: Map<PolicyId, Session>): QueryFn {
  return async (policy, step, q: StateQueryRequest): Promise<StateQueryReply> => {
    const s = all.get(policy)!.at(step);
    switch (q.kind) {
      case 'processes':
        return { kind: 'processes', processes: s.processes() };
      case 'cells':
        return { kind: 'cells', cells: s.pageCells(q.process, q.mapping, q.from, q.count) };
      case 'walk':
        return { kind: 'walk', walk: s.pageWalk(q.process, q.mapping, q.page) };
      case 'folios':
        return { kind: 'folios', ...s.folios(q.offset, q.limit) };
      case 'folio':
        return { kind: 'folio', folio: s.folio(q.pfn) };
    }
  };
}

describe('views on a real run', () => {
  const all = sessions();
  const results = [...all.values()].map((s) => s.result);
  const query = queryOf(all);

  it('compare finds the write to A[5] as the first different decision', async () => {
    const w = mount(CompareView, { props: { results, policy: 'v6.9', step: -1 } });
    await flushPromises();
    const text = w.get('.flv-first-diff').text();
    expect(text).toContain(`Step ${WRITE_STEP} (line 12: P0: write A[5]), P0 A[5]`);
    expect(text).toMatch(/v6\.9 copy/);
    expect(text).toMatch(/v6\.15 reuse/);
    expect(w.get('tr[data-counter="cow_copies"]').classes()).toContain('differs');
  });

  it('the trace shows the decisions of the write step', async () => {
    const w = mount(TraceView, { props: { results, policy: 'v6.15', step: WRITE_STEP } });
    await flushPromises();
    const current = w.findAll('.flv-trace-row.current').map((r) => r.text());
    expect(current.some((t) => /fault wp pte A\[5\] → reuse REUSE_/.test(t))).toBe(true);
  });

  it('the inspector walks A[5] after the write and lists its history', async () => {
    const sel = { process: 'P0', mapping: 'A', page: 5 };
    const w = mount(PageInspector, { props: { query, results, policy: 'v6.9', step: WRITE_STEP, selection: sel } });
    await flushPromises();
    expect(w.get('section[aria-label="PTE"]').text()).toMatch(/writable\s*yes/);
    expect(w.get('section[aria-label="Folio"]').text()).toMatch(/order\s*0/);
    expect(w.get('[data-field="data"]').text()).toBe(w.get('[data-field="logical"]').text());
    expect(w.findAll('.hist').some((h) => h.text().includes(`step ${WRITE_STEP} fault wp pte A[5] → copy`))).toBe(true);
  });

  it('the folios view and the memory map read the state at a step', async () => {
    const f = mount(FoliosView, { props: { query, policy: 'v6.15', step: WRITE_STEP } });
    await flushPromises();
    const thp = f.findAll('tbody tr').find((r) => r.findAll('td')[1].text().startsWith('9'))!;
    expect(thp.findAll('td')[7].text()).toBe('P0 A[0-511]');
    // The folio is mapped at A[0]: a segment of the bit strip selects its first page there.
    const seg = thp.findAll('.seg').at(-1)!;
    const start = Number(/pages (\d+)/.exec(seg.attributes('aria-label')!)![1]);
    await seg.trigger('click');
    expect(f.emitted('select-page')!.at(-1)).toEqual([{ process: 'P0', mapping: 'A', page: start }]);
    const m = mount(MemoryMap, { props: { query, results, policy: 'v6.15', step: WRITE_STEP } });
    await flushPromises();
    expect(m.get('canvas').attributes('aria-label')).toBe('Memory map of P0 A: 512 pages');
    await m.get('canvas').trigger('pointermove', { clientX: 5 * 24 + 2, clientY: 2 });
    expect(m.get('[role="tooltip"]').text()).toMatch(/^A\[5\] at 0x[0-9a-f]{12}: present, writable, PageAnonExclusive/);
    // After `mprotect A[1] ro` (step 3) A is three VMAs, still one 512-page mapping on the map.
    await m.setProps({ step: 3 });
    await flushPromises();
    expect(m.findAll('.flv-vmas tbody tr').map((r) => r.findAll('td')[1].text())).toEqual(['A[0]', 'A[1]', 'A[2-511]']);
    expect(m.get('canvas').attributes('aria-label')).toBe('Memory map of P0 A: 512 pages');
  });
});
