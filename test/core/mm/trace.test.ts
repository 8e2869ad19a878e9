// The trace's storage: a fault whose evidence equals the previous record's
// points at that record instead of writing a new one, and decodes the same.
import { describe, expect, it } from 'vitest';
import { decodeTraceEvent, EvidenceScratch, Trace } from '../../../core/mm/trace';
import type { TraceData } from '../../../core/mm/api';
import { B_EV, BASE, CHUNK, CHUNK_SHIFT, EV_CHUNK } from '../../../core/mm/trace-layout';
import { faults, pteMapAll, run } from './helpers';

/** Records one reuse fault with the given folio counts (and rmap / MM-slot words when asked). */
function fault(t: Trace, ev: EvidenceScratch, page: number, refcount: number, opts: { rmapSeq?: number; slot0?: number } = {}): void {
  ev.clear().folio(refcount, refcount, 0, 512).page(1, true).pins(0);
  if (opts.rmapSeq !== undefined) {
    ev.rmapWords.set([refcount, 0, 7, 0, 9, 0]);
    ev.rmap(3, opts.rmapSeq);
  }
  if (opts.slot0 !== undefined) ev.mmSlots(opts.slot0, refcount, 0, 0, false);
  t.fault(0, 0, 0, page, page, 1000 + page, 9, 1, 0, 1, 0, 0, ev);
}

/** The evidence record each event's row points at (-1 = none). */
const records = (d: TraceData) => Array.from({ length: d.length }, (_, i) => d.columns.rows[i >>> CHUNK_SHIFT][(i & (CHUNK - 1)) * BASE + B_EV]);
const distinct = (xs: number[]) => new Set(xs).size;

describe('Trace evidence records', () => {
  it('a fault that saw the same counts as the one before shares its record', () => {
    const t = new Trace(['P0']);
    const ev = new EvidenceScratch();
    for (let p = 0; p < 4; p++) fault(t, ev, p, 512);
    expect(records(t.data())).toEqual([0, 0, 0, 0]); // one record of the folio words, at the start
    for (let p = 0; p < 4; p++) {
      const e = decodeTraceEvent(t.data(), p);
      expect(e.page).toBe(p);
      expect(e.fault!.evidence).toMatchObject({ refcount: 512, mapcount: 512, pageMapcount: 1, pincount: 0, nrPages: 512, anonExclusive: true });
    }
  });

  it('any word that differs gets a record of its own, and each row decodes its own counts', () => {
    const t = new Trace(['P0']);
    const ev = new EvidenceScratch();
    fault(t, ev, 0, 512);
    fault(t, ev, 1, 511);
    fault(t, ev, 2, 511, { slot0: 1 });
    fault(t, ev, 3, 511, { slot0: 2 });
    fault(t, ev, 4, 511, { rmapSeq: 5 });
    fault(t, ev, 5, 511, { rmapSeq: 2 ** 32 + 5 }); // differs only in the high word of the sequence
    fault(t, ev, 6, 511, { rmapSeq: 2 ** 32 + 5 });
    const d = t.data();
    // Back to back: 7 folio words, 11 with the MM slots, 16 with the rmap words.
    expect(records(d)).toEqual([0, 7, 14, 25, 36, 52, 52]);
    expect([0, 1].map((i) => decodeTraceEvent(d, i).fault!.evidence.refcount)).toEqual([512, 511]);
    expect([2, 3].map((i) => decodeTraceEvent(d, i).fault!.evidence.mmSlots![0].mmId)).toEqual([1, 2]);
    expect([4, 5, 6].map((i) => decodeTraceEvent(d, i).fault!.evidence.rmapSeq)).toEqual([5, 2 ** 32 + 5, 2 ** 32 + 5]);
  });

  it('sharing works across the chunk boundary of the rows and never reaches into an earlier evidence chunk', () => {
    const t = new Trace(['P0']);
    const ev = new EvidenceScratch();
    // Pairs of faults share a 7-word record: enough pairs to fill more than
    // one evidence chunk (and several row chunks); every row must still decode.
    const n = 2 * (Math.ceil(EV_CHUNK / 7) + 10);
    for (let p = 0; p < n; p++) fault(t, ev, p, 100 + (p >> 1));
    const d = t.data();
    expect(d.columns.evidence.length).toBe(2); // the premise: the records did cross into a second chunk
    for (let p = 0; p < n; p++) expect(decodeTraceEvent(d, p).fault!.evidence.refcount).toBe(100 + (p >> 1));
  });
});

describe('reuse faults of a PTE-mapped THP share their evidence record', () => {
  for (const policy of ['rmapid', 'v6.15'] as const) {
    it(policy, () => {
      const r = run(`policies ${policy}\nthp 2M=madvise\nP0: mmap A 4M\nP0: madvise A hugepage\nP0: write A 1\n${pteMapAll('A', 2)}\nP0: fork P1\nP1: exit\nP0: write A 2\n`, policy);
      const reuse = faults(r).filter((f) => f.fault!.decision === 'reuse');
      expect(reuse.length).toBe(1024);
      for (const f of reuse) expect(f.fault!.evidence).toMatchObject({ refcount: 512, mapcount: 512, pageMapcount: 1 });
      // Both folios saw the same counts: one record for all 1,024 rows.
      const rows = records(r.trace);
      expect(distinct(reuse.map((f) => rows[f.index]))).toBe(1);
    });
  }
});
