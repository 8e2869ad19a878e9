import { describe, expect, it, vi } from 'vitest';
import { flushPromises, mount } from '@vue/test-utils';
import TraceView from '../../../renderer/src/views/TraceView.vue';
import { bigRun, exampleRuns } from './fixtures';

function rows(w: ReturnType<typeof mount>) {
  return w.findAll('.flv-trace-row');
}

describe('TraceView', () => {
  it('shows every event with its decision and reason, in its process lane', async () => {
    const w = mount(TraceView, { props: { results: exampleRuns(), policy: 'v6.9', step: -1 } });
    await flushPromises();
    const text = w.text();
    expect(text).toContain('5 of 5 events');
    const last = rows(w).find((r) => r.text().includes('A[5]'))!;
    expect(last.text()).toContain('fault wp pte A[5] → copy COPY_LARGE_FOLIO');
    // P0 is the first lane: column 3 (after index and step).
    expect(last.find('.lane').attributes('style')).toContain('grid-column: 3');
    expect(w.findAll('.flv-trace-head span').map((s) => s.text())).toEqual(['#', 'step', 'P0', 'P1', '(global)']);
  });

  it('follows the selected policy', async () => {
    const w = mount(TraceView, { props: { results: exampleRuns(), policy: 'v6.15', step: -1 } });
    await flushPromises();
    expect(w.text()).toContain('REUSE_ALL_MAPPINGS_OURS');
    expect(w.text()).not.toContain('COPY_LARGE_FOLIO');
  });

  it('emits select-step on click, shows the rule and evidence, and highlights the step', async () => {
    const w = mount(TraceView, { props: { results: exampleRuns(), policy: 'v6.9', step: -1 } });
    await flushPromises();
    const fault = rows(w).find((r) => r.text().includes('A[5]'))!;
    await fault.trigger('click');
    expect(w.emitted('select-step')).toEqual([[7]]);
    const detail = w.get('.flv-trace-detail').text();
    expect(detail).toContain('wp_can_reuse_anon_folio (v6.9)');
    expect(detail).toContain('COPY_LARGE_FOLIO');
    expect(detail).toMatch(/refcount\s*512/);
    await w.setProps({ step: 7 });
    const current = rows(w).filter((r) => r.classes('current'));
    expect(current.map((r) => r.attributes('aria-label'))).toEqual([
      expect.stringContaining('Event 3, step 7'),
      expect.stringContaining('Event 4, step 7'),
    ]);
  });

  it('filters by kind, decision and process', async () => {
    const w = mount(TraceView, { props: { results: exampleRuns(), policy: 'v6.9', step: -1 } });
    await w.get('select[aria-label="Filter by kind"]').setValue('fault');
    await flushPromises();
    expect(w.text()).toContain('2 of 5 events');
    await w.get('select[aria-label="Filter by decision"]').setValue('copy');
    await flushPromises();
    expect(w.text()).toContain('1 of 5 events');
    expect(rows(w)).toHaveLength(1);
    await w.get('select[aria-label="Filter by kind"]').setValue('');
    await w.get('select[aria-label="Filter by decision"]').setValue('');
    await w.get('select[aria-label="Filter by process"]').setValue('(global)');
    await flushPromises();
    expect(rows(w).map((r) => r.text())).toEqual([expect.stringContaining('policy-note')]);
  });

  it('keeps the DOM bounded with 262,144 events and scrolls to the selected step', async () => {
    const run = bigRun(262_144);
    const w = mount(TraceView, { props: { results: [run], policy: 'v6.9', step: 0, height: 440 } });
    await flushPromises();
    expect(w.text()).toContain('262,144 of 262,144 events');
    const n = rows(w).length;
    expect(n).toBeGreaterThan(10);
    expect(n).toBeLessThan(60);
    // The spacer is as tall as all the rows, so the scrollbar is right.
    expect(w.get('.flv-vlist-spacer').attributes('style')).toContain(`height: ${262_144 * 22}px`);
    // Scrolling far down renders the rows there, still bounded.
    const list = w.get('.flv-vlist').element as HTMLElement;
    list.scrollTop = 200_000 * 22;
    await w.get('.flv-vlist').trigger('scroll');
    const labels = rows(w).map((r) => r.attributes('aria-label'));
    expect(labels.some((l) => l?.startsWith('Event 200000,'))).toBe(true);
    expect(labels.length).toBeLessThan(60);
  });

  it('jumps to a newly selected step, but not away from an event the user clicked', async () => {
    const w = mount(TraceView, { props: { results: [bigRun(262_144)], policy: 'v6.9', step: -1, height: 440 } });
    const list = w.get('.flv-vlist').element as HTMLElement;
    list.scrollTop = 200_000 * 22;
    await w.get('.flv-vlist').trigger('scroll');
    const row = rows(w).find((r) => r.attributes('aria-label')?.startsWith('Event 200010,'))!;
    await row.trigger('click');
    expect(w.emitted('select-step')).toEqual([[1]]);
    await w.setProps({ step: 1 });
    expect(list.scrollTop).toBe(200_000 * 22);
    // A step chosen elsewhere (step controls) scrolls to its first event.
    await w.setProps({ step: 0 });
    await w.setProps({ results: [bigRun(262_144)], step: 1 });
    expect(list.scrollTop).toBe(0);
  });

  it('filters a 262,144-event trace and still renders a bounded list', async () => {
    const w = mount(TraceView, { props: { results: [bigRun(262_144)], policy: 'v6.9', step: 1 } });
    await w.get('select[aria-label="Filter by decision"]').setValue('copy');
    await vi.waitFor(() => expect(w.text()).toContain('87,382 of 262,144 events'), { timeout: 10_000 });
    expect(rows(w).length).toBeLessThan(60);
    expect(rows(w).every((r) => r.text().includes('→ copy'))).toBe(true);
  });
});
