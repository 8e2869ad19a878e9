import { describe, expect, it, vi } from 'vitest';
import { flushPromises, mount } from '@vue/test-utils';
import PageInspector from '../../../renderer/src/views/PageInspector.vue';
import { bigRun, exampleRuns } from './fixtures';
import { fakeQuery, walkOf } from './state-fixtures';

const sel = (page: number) => ({ process: 'P0', mapping: 'A', page });

describe('PageInspector', () => {
  it('shows the walk VMA -> PMD -> PTE -> folio -> page with its fields', async () => {
    const { query, calls } = fakeQuery();
    const w = mount(PageInspector, { props: { query, results: exampleRuns(), policy: 'v6.9', step: 7, selection: sel(5) } });
    await flushPromises();
    expect(calls[0]).toEqual({ policy: 'v6.9', step: 7, q: { kind: 'walk', process: 'P0', mapping: 'A', page: 5 } });
    const section = (name: string) => w.get(`section[aria-label="${name}"]`).text();
    expect(w.get('h3').text()).toContain('P0 A[5] 0x7f0000005000');
    expect(section('VMA')).toContain('0x7f0000000000-0x7f0000200000');
    expect(section('VMA')).toContain('VM_HUGEPAGE');
    expect(section('PMD')).toContain('table');
    expect(section('PTE')).toMatch(/pfn\s*1024/);
    expect(section('PTE')).toMatch(/writable\s*yes/);
    expect(section('Folio')).toMatch(/order\s*0 \(4 KiB\)/);
    expect(section('Folio')).toContain('18446744073709551615, 42');
    expect(section('Page')).toMatch(/PageAnonExclusive\s*yes/);
    expect(w.get('[data-field="data"]').text()).toBe('0x41');
    expect(w.get('[data-field="logical"]').text()).toBe('0x41');
    expect(w.find('[role="alert"]').exists()).toBe(false);
  });

  it('flags a page whose data differs from the POSIX data', async () => {
    const { query } = fakeQuery({
      walk: (p, m, page) => ({ ...walkOf(p, m, page)!, data: 0x42, logicalData: 0x41 }),
    });
    const w = mount(PageInspector, { props: { query, results: exampleRuns(), policy: 'v6.9', step: 7, selection: sel(5) } });
    await flushPromises();
    expect(w.get('[data-field="data"]').classes()).toContain('bad');
    expect(w.get('[role="alert"]').text()).toContain('does not read what POSIX says');
  });

  it('lists the page\'s history across the run; a click selects the step', async () => {
    const { query } = fakeQuery();
    const w = mount(PageInspector, { props: { query, results: exampleRuns(), policy: 'v6.9', step: 7, selection: sel(5) } });
    await flushPromises();
    const items = w.findAll('.hist');
    // The THP allocation and fault (order 9 covers page 5), the PMD split, the write fault on A[5].
    expect(items.map((i) => i.text())).toEqual([
      expect.stringContaining('step 2 folio-alloc A[0] order 9'),
      expect.stringContaining('step 2 fault anon pmd A[0] → alloc ALLOC_THP'),
      expect.stringContaining('step 3 split-pmd A[0] order 9'),
      expect.stringContaining('step 7 fault wp pte A[5] → copy COPY_LARGE_FOLIO'),
    ]);
    expect(items[3].classes()).toContain('current');
    await items[2].trigger('click');
    expect(w.emitted('select-step')).toEqual([[3]]);
  });

  it('finds a page\'s history in a 262,144-event trace without rendering it all', async () => {
    const { query } = fakeQuery();
    const w = mount(PageInspector, { props: { query, results: [bigRun(262_144)], policy: 'v6.9', step: 1, selection: sel(200_000) } });
    await vi.waitFor(() => expect(w.text()).toContain('History (1 events)'), { timeout: 10_000 });
    expect(w.get('.hist').text()).toContain('A[200000] → reuse');
  });

  it('asks for nothing without a selection', () => {
    const { query, calls } = fakeQuery();
    const w = mount(PageInspector, { props: { query, results: exampleRuns(), policy: 'v6.9', step: 7, selection: null } });
    expect(w.text()).toContain('Click a page');
    expect(calls).toHaveLength(0);
  });
});
