import { describe, expect, it } from 'vitest';
import { mount } from '@vue/test-utils';
import ExpectationsView from '../../../renderer/src/views/ExpectationsView.vue';
import { exampleRuns } from './fixtures';

describe('ExpectationsView', () => {
  it('shows pass or fail per expectation and policy with the actual value and message', () => {
    const w = mount(ExpectationsView, { props: { results: exampleRuns(), policy: 'v6.9', step: -1 } });
    const rows = w.findAll('tbody tr');
    expect(rows.map((r) => r.findAll('td')[0].text())).toEqual(['15', '16', '17', '18', '19']);
    const line18 = rows[3];
    expect(line18.classes()).toContain('failed');
    expect(line18.get('td[data-policy="v6.15"]').text()).toContain('✗ fail');
    expect(line18.get('td[data-policy="v6.15"]').text()).toContain('actual 0');
    expect(line18.get('td[data-policy="v6.15"]').text()).toContain('P0 A[5].order is 0, expected 9');
    expect(line18.get('td[data-policy="v6.9"]').text()).toBe('—');
    expect(rows[4].get('td[data-policy="v6.9"]').text()).toContain('✓ pass');
    expect(rows[4].classes()).not.toContain('failed');
    expect(w.text()).toContain('v6.9: 3/3 passed');
    expect(w.text()).toContain('v6.15: 2/3 passed (run failed)');
  });

  it('emits select-line when a row or its line button is clicked', async () => {
    const w = mount(ExpectationsView, { props: { results: exampleRuns(), policy: 'v6.9', step: -1 } });
    await w.findAll('tbody tr')[1].trigger('click');
    await w.get('button[aria-label="Go to line 18"]').trigger('click');
    expect(w.emitted('select-line')).toEqual([[16], [18]]);
  });

  it('links violations and policy defects to their step', async () => {
    const [v69, v615] = exampleRuns();
    v615.violations = [
      { kind: 'leak', step: 7, line: 13, process: 'P1', mapping: 'A', page: 5, expected: 0, actual: 0x41, message: 'P1 reads P0\'s write at A[5]' },
    ];
    v615.invariants = [
      { step: 7, line: 13, invariant: 'PageAnonExclusive page mapped by one mm only', message: 'A[5] pfn 4101', policyDefect: true },
    ];
    const w = mount(ExpectationsView, { props: { results: [v69, v615], policy: 'v6.15', step: -1 } });
    const items = w.findAll('.flv-problems li').map((li) => li.text());
    expect(items[0]).toContain("v6.15 violation: leak (line 13): P1 reads P0's write at A[5]");
    expect(items[1]).toContain('policy defect');
    await w.get('button[aria-label="Go to step 7 (v6.15)"]').trigger('click');
    expect(w.emitted('select-step')?.[0]).toEqual([7]);
  });
});
