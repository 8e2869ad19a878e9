import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { MmOwnerSlots } from '../../../core/mm/mm-owner';

const A = 1;
const B = 2;
const C = 3;
const P = 512;

describe('MmOwnerSlots (v6.15 MM owner tracking, kernel-semantics 3.3/3.4)', () => {
  it('trace T1: slot0 (A,512); fork B takes slot1 and sets the bit; B exits -> exclusive again', () => {
    const s = new MmOwnerSlots(2);
    s.set(1, P, A);
    expect(s.slots(1)).toEqual([{ mmId: A, mapcount: 512 }, { mmId: 0, mapcount: 0 }]);
    expect(s.maybeMappedShared(1)).toBe(false);
    s.add(1, P, B);
    expect(s.total(1)).toBe(1024);
    expect(s.slots(1)).toEqual([{ mmId: A, mapcount: 512 }, { mmId: B, mapcount: 512 }]);
    expect(s.maybeMappedShared(1)).toBe(true);
    s.sub(1, P, B);
    expect(s.total(1)).toBe(512);
    expect(s.slots(1)).toEqual([{ mmId: A, mapcount: 512 }, { mmId: 0, mapcount: 0 }]);
    expect(s.maybeMappedShared(1)).toBe(false);
    // Folio slot 0 was never touched.
    expect(s.total(0)).toBe(0);
  });

  it('trace T2: B alive, A copies page 7 -> A slot 511, still shared', () => {
    const s = new MmOwnerSlots(1);
    s.set(0, P, A);
    s.add(0, P, B);
    s.sub(0, 1, A);
    expect(s.total(0)).toBe(1023);
    expect(s.slots(0)[0]).toEqual({ mmId: A, mapcount: 511 });
    expect(s.maybeMappedShared(0)).toBe(true);
  });

  it('trace T3, C exits last: B exits (still shared), then C (untracked) -> re-evaluated, exclusive', () => {
    const s = new MmOwnerSlots(1);
    s.set(0, P, A);
    s.add(0, P, B);
    s.add(0, P, C); // both slots taken: C is untracked
    expect(s.total(0)).toBe(1536);
    expect(s.slots(0)).toEqual([{ mmId: A, mapcount: 512 }, { mmId: B, mapcount: 512 }]);
    expect(s.maybeMappedShared(0)).toBe(true);
    s.sub(0, P, B);
    expect(s.slots(0)).toEqual([{ mmId: A, mapcount: 512 }, { mmId: 0, mapcount: 0 }]);
    expect(s.total(0)).toBe(1024);
    expect(s.maybeMappedShared(0)).toBe(true); // slot0 512 != total 1024
    s.sub(0, P, C);
    expect(s.total(0)).toBe(512);
    expect(s.maybeMappedShared(0)).toBe(false); // slot0 == total
  });

  it('trace T3, A then B exit: both slots free, C alone, the bit stays set (stale "maybe shared")', () => {
    const s = new MmOwnerSlots(1);
    s.set(0, P, A);
    s.add(0, P, B);
    s.add(0, P, C);
    s.sub(0, P, A);
    expect(s.slots(0)).toEqual([{ mmId: 0, mapcount: 0 }, { mmId: B, mapcount: 512 }]);
    expect(s.maybeMappedShared(0)).toBe(true);
    s.sub(0, P, B);
    expect(s.slots(0)).toEqual([{ mmId: 0, mapcount: 0 }, { mmId: 0, mapcount: 0 }]);
    expect(s.total(0)).toBe(512);
    expect(s.maybeMappedShared(0)).toBe(true); // only C maps, yet "maybe shared"
    // A fresh mapping by D lands in slot 0 and keeps the bit (C still maps).
    s.add(0, 1, 4);
    expect(s.slots(0)[0]).toEqual({ mmId: 4, mapcount: 1 });
    expect(s.maybeMappedShared(0)).toBe(true);
    // Precision comes back once the folio is fully unmapped.
    s.sub(0, 1, 4);
    s.sub(0, P, C);
    expect(s.total(0)).toBe(0);
    expect(s.maybeMappedShared(0)).toBe(false);
    s.add(0, 3, C);
    expect(s.slots(0)[0]).toEqual({ mmId: C, mapcount: 3 });
    expect(s.maybeMappedShared(0)).toBe(false);
  });

  it('a partial unmap that leaves the slot >= 1 does not re-evaluate', () => {
    const s = new MmOwnerSlots(1);
    s.set(0, P, A);
    s.add(0, P, B);
    s.add(0, 10, C); // untracked
    s.sub(0, P, B); // slot1 freed: slot0 512 != 522
    expect(s.maybeMappedShared(0)).toBe(true);
    s.sub(0, 10, C); // untracked unmap: re-evaluate -> exclusive
    expect(s.maybeMappedShared(0)).toBe(false);
    s.add(0, 5, B);
    s.sub(0, 2, B); // slot1 keeps 3: no re-evaluation, bit stays (B really still maps)
    expect(s.maybeMappedShared(0)).toBe(true);
  });

  it('with at most one mapping the folio is never "maybe shared" (3.4)', () => {
    const s = new MmOwnerSlots(1);
    s.set(0, P, A);
    s.add(0, P, B);
    s.add(0, 1, C);
    s.sub(0, P, A);
    s.sub(0, P, B);
    expect(s.total(0)).toBe(1);
    expect(s.maybeMappedShared(0)).toBe(false);
  });

  it('grow keeps the state of existing folios', () => {
    const s = new MmOwnerSlots(1);
    s.set(0, 7, A);
    s.add(0, 2, B);
    s.grow(100);
    expect(s.slots(0)).toEqual([{ mmId: A, mapcount: 7 }, { mmId: B, mapcount: 2 }]);
    expect(s.maybeMappedShared(0)).toBe(true);
    s.set(99, 1, C);
    expect(s.total(99)).toBe(1);
  });

  // Random map/unmap sequences of k pages by up to 4 mms, each mm mapping at most P pages.
  const ops = fc.array(fc.record({ who: fc.nat(3), k: fc.integer({ min: -600, max: 600 }) }), { maxLength: 80 });

  function run(seq: { who: number; k: number }[], mms: number, check: (s: MmOwnerSlots, counts: number[], tainted: boolean) => void) {
    const s = new MmOwnerSlots(1);
    s.reset(0);
    const counts = new Array(mms).fill(0);
    let tainted = false; // three or more mms mapped at once since the last full unmap
    for (const { who: w, k: raw } of seq) {
      const who = w % mms;
      const k = raw >= 0 ? Math.min(raw, P - counts[who]) : -Math.min(-raw, counts[who]);
      if (k === 0) continue;
      if (k > 0) s.add(0, k, 100 + who);
      else s.sub(0, -k, 100 + who);
      counts[who] += k;
      const mappers = counts.filter((c) => c > 0).length;
      if (mappers >= 3) tainted = true;
      if (mappers === 0) tainted = false;
      expect(s.total(0)).toBe(counts.reduce((a, b) => a + b, 0));
      check(s, counts, tainted);
    }
  }

  it('property: never a false "exclusive" (not maybe-shared -> at most one mm maps)', () => {
    fc.assert(
      fc.property(ops, (seq) =>
        run(seq, 4, (s, counts) => {
          if (!s.maybeMappedShared(0)) expect(counts.filter((c) => c > 0).length).toBeLessThanOrEqual(1);
          // A slot never over-counts its mm (it may under-count an mm that mapped
          // while untracked and took a slot later), so "slot == total" is safe.
          for (const { mmId, mapcount } of s.slots(0)) if (mmId !== 0) expect(mapcount).toBeLessThanOrEqual(counts[mmId - 100]);
        }),
      ),
      { numRuns: 500 },
    );
  });

  it('property: exact while no more than two mms have mapped the folio at once', () => {
    fc.assert(
      fc.property(ops, fc.constantFrom(2, 3, 4), (seq, mms) =>
        run(seq, mms, (s, counts, tainted) => {
          if (!tainted) expect(s.maybeMappedShared(0)).toBe(counts.filter((c) => c > 0).length >= 2);
        }),
      ),
      { numRuns: 500 },
    );
  });
});
