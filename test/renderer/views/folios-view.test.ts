import { describe, expect, it } from 'vitest';
import { flushPromises, mount } from '@vue/test-utils';
import FoliosView from '../../../renderer/src/views/FoliosView.vue';
import { COPY, THP, fakeQuery } from './state-fixtures';

describe('FoliosView', () => {
  it('lists folios with their counts, bit strip, mappers, flags and policy state', async () => {
    const { query, calls } = fakeQuery();
    const w = mount(FoliosView, { props: { query, policy: 'v6.15', step: 7 } });
    await flushPromises();
    expect(calls[0]).toEqual({ policy: 'v6.15', step: 7, q: { kind: 'folios', offset: 0, limit: 25 } });
    const thp = w.get('tr[data-pfn="512"]');
    const cells = thp.findAll('td').map((t) => t.text());
    expect(cells[0]).toBe('0x200');
    expect(cells[1]).toContain('9');
    expect(cells[1]).toContain('2 MiB');
    expect(cells.slice(2, 6)).toEqual(['511', '0', '511', '0']);
    // PageAnonExclusive for pages 0-2 only: two runs, and the count.
    const segs = thp.findAll('.seg');
    expect(segs.map((s) => s.attributes('aria-label'))).toEqual([
      'Folio 0x200 pages 0-2: PageAnonExclusive',
      'Folio 0x200 pages 3-511: not exclusive',
    ]);
    expect(segs[0].attributes('style')).toContain('flex-grow: 3');
    expect(cells[6]).toContain('3/512');
    expect(cells[7]).toContain('P0 A[0-4, 6-511]');
    expect(cells[8]).toBe('anon lru partially_mapped');
    expect(cells[9]).toContain('slot 0: mm 0 × 511');
    expect(cells[9]).toContain('maybe mapped shared: yes');
    const copy = w.get('tr[data-pfn="1024"]').findAll('td').map((t) => t.text());
    expect(copy[9]).toContain('rmap 18446744073709551615, 42');
    expect(copy[9]).toContain('seq 6');
  });

  it('emits select-page with the virtual page for a folio page', async () => {
    const { query } = fakeQuery();
    const w = mount(FoliosView, { props: { query, policy: 'v6.9', step: 7 } });
    await flushPromises();
    await w.get('tr[data-pfn="512"]').findAll('.seg')[1].trigger('click');
    await w.get('tr[data-pfn="1024"]').get('.seg').trigger('click');
    await w.get('button[aria-label="Select P0 A[5]"]').trigger('click');
    expect(w.emitted('select-page')).toEqual([
      [{ process: 'P0', mapping: 'A', page: 3 }],
      [{ process: 'P0', mapping: 'A', page: 5 }],
      [{ process: 'P0', mapping: 'A', page: 5 }],
    ]);
  });

  it('pages through the folios and highlights the selected page\'s folio', async () => {
    const many = Array.from({ length: 30 }, (_, i) => ({ ...COPY, pfn: 0x1000 + i }));
    const { query, calls } = fakeQuery({ folios: [THP, ...many] });
    const w = mount(FoliosView, {
      props: { query, policy: 'v6.9', step: 7, pageSize: 10, selection: { process: 'P0', mapping: 'A', page: 7 } },
    });
    await flushPromises();
    expect(w.text()).toContain('Page 1 of 4');
    expect(w.findAll('tbody tr')).toHaveLength(10);
    expect(w.get('tr[data-pfn="512"]').classes()).toContain('selected');
    await w.get('button[aria-label="Next folios"]').trigger('click');
    await flushPromises();
    expect(calls.at(-1)?.q).toEqual({ kind: 'folios', offset: 10, limit: 10 });
    expect(w.text()).toContain('Page 2 of 4');
    expect(w.get('tbody tr').attributes('data-pfn')).toBe(String(0x1000 + 9));
  });

  it('says when nothing is allocated', async () => {
    const { query } = fakeQuery({ folios: [] });
    const w = mount(FoliosView, { props: { query, policy: 'v6.9', step: -1 } });
    await flushPromises();
    expect(w.text()).toContain('No folios allocated at this step.');
  });
});
