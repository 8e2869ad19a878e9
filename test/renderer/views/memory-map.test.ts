// The memory map under happy-dom: there is no 2D canvas here, so these tests
// cover what the component asks the engine, its controls, hover and click;
// the pixels are covered by map-draw.test.ts and the e2e screenshots.
import { describe, expect, it } from 'vitest';
import { flushPromises, mount } from '@vue/test-utils';
import MemoryMap from '../../../renderer/src/views/MemoryMap.vue';
import { exampleRuns } from './fixtures';
import { fakeQuery, processes } from './state-fixtures';

function cellQueries(calls: ReturnType<typeof fakeQuery>['calls']) {
  return calls.filter((c) => c.q.kind === 'cells').map((c) => c.q as { from: number; count: number; process: string; mapping: string });
}

describe('MemoryMap', () => {
  it('lists the processes and VMAs, and fetches the cells of the visible window', async () => {
    const { query, calls } = fakeQuery();
    const w = mount(MemoryMap, { props: { query, results: exampleRuns(), policy: 'v6.9', step: 7 } });
    await flushPromises();
    expect(calls[0]).toEqual({ policy: 'v6.9', step: 7, q: { kind: 'processes' } });
    expect(w.findAll('select[aria-label="Process"] option').map((o) => o.text())).toEqual(['P0 (pid 100)', 'P1 (pid 101, exited)']);
    const vmas = w.findAll('.flv-vmas tbody tr').map((r) => r.findAll('td').map((t) => t.text()));
    expect(vmas[0]).toEqual(['A', 'A[0-511]', '0x7f0000000000', '0x7f0000200000', '2 MiB', 'rw', 'VM_HUGEPAGE']);
    expect(vmas[1][0]).toBe('B');
    // 512 pages fit at 24 px per page (32 per row, 16 rows in 384 px): all of A in one query.
    expect(w.text()).toContain('24 px per page');
    expect(cellQueries(calls)).toEqual([{ kind: 'cells', process: 'P0', mapping: 'A', from: 0, count: 512 }]);
    expect(w.get('canvas').attributes('aria-label')).toBe('Memory map of P0 A: 512 pages');
    expect(w.get('[aria-label="Memory map legend"]').text()).toContain('writable (PageAnonExclusive)');
  });

  it('shows a tooltip on hover and emits select-page on click', async () => {
    const { query } = fakeQuery();
    const w = mount(MemoryMap, { props: { query, results: exampleRuns(), policy: 'v6.9', step: 7 } });
    await flushPromises();
    const canvas = w.get('canvas');
    // happy-dom puts the canvas at (0, 0): page 5 is the sixth 24-px cell of the first row.
    await canvas.trigger('pointermove', { clientX: 5 * 24 + 3, clientY: 3 });
    expect(w.get('[role="tooltip"]').text()).toBe('A[5] at 0x7f0000005000: present, writable, PageAnonExclusive, folio head');
    await canvas.trigger('pointerdown', { clientX: 5 * 24 + 3, clientY: 3 });
    await canvas.trigger('pointerup', { clientX: 5 * 24 + 3, clientY: 3 });
    await canvas.trigger('pointermove', { clientX: 1 * 24 + 1, clientY: 24 + 1 });
    expect(w.get('[role="tooltip"]').text()).toBe('A[33] at 0x7f0000021000: present');
    expect(w.emitted('select-page')).toEqual([[{ process: 'P0', mapping: 'A', page: 5 }]]);
  });

  it('fetches only a window of a 1,048,576-page mapping and follows panning', async () => {
    const { query, calls } = fakeQuery({ pagesOfA: 1_048_576 });
    const w = mount(MemoryMap, { props: { query, results: exampleRuns(), policy: 'v6.9', step: 7 } });
    await flushPromises();
    // Zoomed out to 1 px per page: 512 pages per row, 384 rows in view.
    expect(w.text()).toContain('1 px per page');
    expect(w.text()).toContain('pages 0-196,607 of 1,048,576, 512 per row');
    const first = cellQueries(calls);
    expect(first).toHaveLength(1);
    expect(first[0].from).toBe(0);
    expect(first[0].count).toBeLessThan(1_048_576);
    expect(first[0].count).toBeGreaterThanOrEqual(196_608);
    await w.get('canvas').trigger('keydown', { key: 'End' });
    await flushPromises();
    expect(w.text()).toContain('pages 851,968-1,048,575 of 1,048,576');
    const last = cellQueries(calls).at(-1)!;
    expect(last.from + last.count).toBe(1_048_576);
    expect(last.count).toBeLessThan(1_048_576);
    // Panning inside what is already fetched asks for nothing more.
    const n = cellQueries(calls).length;
    await w.get('canvas').trigger('keydown', { key: 'ArrowUp' });
    await flushPromises();
    expect(w.text()).toContain('pages 851,456-');
    expect(cellQueries(calls)).toHaveLength(n);
  });

  it('zooms with the buttons and the wheel, and follows the selection', async () => {
    const { query, calls } = fakeQuery({ pagesOfA: 262_144 });
    const w = mount(MemoryMap, { props: { query, results: exampleRuns(), policy: 'v6.9', step: 7 } });
    await flushPromises();
    expect(w.text()).toContain('1 px per page');
    expect(w.get('button[aria-label="Zoom out"]').attributes('disabled')).toBeDefined();
    await w.get('button[aria-label="Zoom in"]').trigger('click');
    expect(w.text()).toContain('2 px per page');
    await w.get('canvas').trigger('wheel', { deltaY: -100, clientX: 0, clientY: 0 });
    expect(w.text()).toContain('3 px per page');
    await w.setProps({ selection: { process: 'P0', mapping: 'B', page: 3 } });
    await flushPromises();
    expect((w.get('select[aria-label="Mapping"]').element as HTMLSelectElement).value).toBe('B');
    expect(cellQueries(calls).at(-1)).toMatchObject({ mapping: 'B', from: 0, count: 16 });
    expect(w.get('.flv-map-status').text()).toBe('Selected B[3] at 0x7f0040003000: present');
  });

  it('draws a mapping split into VMAs (mprotect A[1] ro) as one mapping', async () => {
    const split = processes();
    const [a] = split[0].vmas;
    split[0].vmas.splice(0, 1,
      { ...a, pages: 1, firstPage: 0 },
      { ...a, start: a.start + 4096, pages: 1, firstPage: 1, prot: 'ro' },
      { ...a, start: a.start + 2 * 4096, pages: 510, firstPage: 2 },
    );
    const base = fakeQuery();
    const query: typeof base.query = async (p, s, q) => (q.kind === 'processes' ? { kind: 'processes', processes: split } : base.query(p, s, q));
    const w = mount(MemoryMap, { props: { query, results: exampleRuns(), policy: 'v6.9', step: 3 } });
    await flushPromises();
    expect(w.findAll('select[aria-label="Mapping"] option').map((o) => o.text())).toEqual(['A', 'B']);
    expect(w.findAll('.flv-vmas tbody tr').map((r) => r.findAll('td')[1].text())).toEqual(['A[0]', 'A[1]', 'A[2-511]', 'B[0-15]']);
    expect(w.get('canvas').attributes('aria-label')).toBe('Memory map of P0 A: 512 pages');
    expect(cellQueries(base.calls)).toEqual([{ kind: 'cells', process: 'P0', mapping: 'A', from: 0, count: 512 }]);
    await w.get('canvas').trigger('pointermove', { clientX: 5 * 24 + 3, clientY: 3 });
    expect(w.get('[role="tooltip"]').text()).toContain('A[5] at 0x7f0000005000');
  });

  it('refetches when the step changes and shows engine errors', async () => {
    const { query, calls } = fakeQuery();
    const w = mount(MemoryMap, { props: { query, results: exampleRuns(), policy: 'v6.9', step: 7 } });
    await flushPromises();
    await w.setProps({ step: 3 });
    await flushPromises();
    expect(calls.filter((c) => c.step === 3).map((c) => c.q.kind)).toEqual(['processes', 'cells']);
    // What the user chose to look at stays across steps, even with a selection elsewhere.
    await w.setProps({ selection: { process: 'P0', mapping: 'A', page: 5 } });
    await w.get('select[aria-label="Mapping"]').setValue('B');
    await w.setProps({ step: 5 });
    await flushPromises();
    expect((w.get('select[aria-label="Mapping"]').element as HTMLSelectElement).value).toBe('B');
    expect(cellQueries(calls).at(-1)).toMatchObject({ mapping: 'B' });
    expect(calls.at(-1)?.step).toBe(5);
    await w.setProps({ query: async () => Promise.reject(new Error('unknown run')) , step: 4 });
    await flushPromises();
    expect(w.get('[role="alert"]').text()).toBe('unknown run');
  });
});
