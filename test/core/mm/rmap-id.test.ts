import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  RMAP_ID_MAX,
  RMAP_SEQ_STEP,
  RmapValues,
  calcRmapSubid,
  rmapClass,
  rmapSeqHasWriters,
  rmapSubids,
} from '../../../core/mm/rmap-id';

const U64 = 2n ** 64n;

describe('rmap classes and sub-IDs (kernel-semantics 1.3, patch 11)', () => {
  it('maps every order 0..15 to the patch-11 class and rejects larger orders', () => {
    const want = (o: number) =>
      o <= 2 ? [4, 1, 24] : o <= 5 ? [32, 2, 12] : o <= 9 ? [512, 3, 8] : o === 10 ? [1024, 4, 6] : o <= 12 ? [4096, 5, 5] : [32768, 6, 4];
    for (let order = 0; order <= 15; order++) {
      const c = rmapClass(order);
      expect([c.n, c.nrValues, c.chunkBits]).toEqual(want(order));
      // The chunks cover the whole 24-bit ID.
      expect(c.nrValues * c.chunkBits).toBeGreaterThanOrEqual(24);
    }
    expect(() => rmapClass(16)).toThrow(RangeError);
    expect(() => rmapClass(-1)).toThrow(RangeError);
  });

  it('reproduces the sub-ID sequences of 1.3', () => {
    const seq = (n: number, count: number) => Array.from({ length: count }, (_, id) => calcRmapSubid(n, id));
    expect(seq(4, 16)).toEqual([0n, 1n, 5n, 6n, 25n, 26n, 30n, 31n, 125n, 126n, 130n, 131n, 150n, 151n, 155n, 156n]);
    expect(seq(1024, 5)).toEqual([0n, 1n, 1025n, 1026n, 1050625n]);
    expect(seq(4096, 5)).toEqual([0n, 1n, 4097n, 4098n, 16785409n]);
    expect(seq(32768, 5)).toEqual([0n, 1n, 32769n, 32770n, 1073807361n]);
  });

  it('follows the generation recursion of patch 07 (gen N = gens 0..N-1 plus (n+1)^(N-1))', () => {
    for (const n of [4, 32, 512]) {
      let gen = [0n];
      for (let g = 1; g <= 6; g++) gen = [...gen, ...gen.map((s) => s + BigInt(n + 1) ** BigInt(g - 1))];
      expect(gen).toEqual(gen.map((_, id) => calcRmapSubid(n, id)));
    }
  });

  it('cuts the ID into chunks, lowest bits -> value 0, and caches the list', () => {
    const id = 0x03_02_01;
    const s9 = rmapSubids(9, id);
    expect(s9).toEqual([calcRmapSubid(512, 1), calcRmapSubid(512, 2), calcRmapSubid(512, 3)]);
    expect(rmapSubids(8, id)).toBe(s9); // same class, same cached list
    expect(rmapSubids(2, id)).toEqual([calcRmapSubid(4, id)]);
    expect(rmapSubids(5, 0xabc_123)).toEqual([calcRmapSubid(32, 0x123), calcRmapSubid(32, 0xabc)]);
    expect(rmapSubids(15, 0xfedcba)).toEqual([0xa, 0xb, 0xc, 0xd, 0xe, 0xf].map((c) => calcRmapSubid(32768, c)));
    expect(() => rmapSubids(9, RMAP_ID_MAX + 1)).toThrow(RangeError);
  });

  it('states the overflow requirement: n * max subid < 2^64 for every class except orders 6..9', () => {
    for (const order of [2, 5, 9, 10, 12, 15]) {
      const { n, chunkBits } = rmapClass(order);
      const largest = BigInt(n) * calcRmapSubid(n, 2 ** chunkBits - 1);
      expect(largest).toBe(BigInt(n + 1) ** BigInt(chunkBits) - 1n);
      expect(largest < U64).toBe(order !== 9);
    }
  });
});

describe('RmapValues: update rules and the matching test (1.6, 1.7)', () => {
  it('trace T4: order-2 folio, A id 1, B id 2, C id 3', () => {
    expect([1, 2, 3].map((id) => rmapSubids(2, id)[0])).toEqual([1n, 5n, 6n]);
    const rv = new RmapValues(4);
    const f = 2;
    rv.reset(f);
    rv.set(f, 2, 4, 1); // A maps 4 pages
    let total = 4;
    expect(rv.values(f, 2)).toEqual([4n]);
    expect(rv.matches(f, 2, total, 1)).toBe(true);
    expect(rv.matches(f, 2, total, 2)).toBe(false);
    rv.add(f, 2, 4, 2); // fork B
    total += 4;
    expect(rv.values(f, 2)).toEqual([24n]);
    expect(total > 4).toBe(true); // shared without looking
    rv.add(f, 2, -2, 1); // A zaps pages 0-1
    rv.add(f, 2, -2, 2); // B zaps pages 2-3
    total -= 4;
    expect(rv.values(f, 2)).toEqual([12n]);
    expect(rv.expected(2, total, 1)).toEqual([4n]);
    expect(rv.expected(2, total, 2)).toEqual([20n]);
    expect(rv.matches(f, 2, total, 1)).toBe(false);
    expect(rv.matches(f, 2, total, 2)).toBe(false);
    expect(rv.matches(f, 2, total, 3)).toBe(false);
    // Other folio slots are untouched.
    expect(rv.values(1, 2)).toEqual([0n]);
  });

  it('naive sums of raw IDs fail where sub-IDs do not: mappings by {2,1,3}', () => {
    expect(2 + 1 + 3).toBe(3 * 2); // the raw-ID sum would call mm 2 exclusive
    const rv = new RmapValues(1);
    rv.reset(0);
    rv.set(0, 2, 1, 2);
    rv.add(0, 2, 1, 1);
    rv.add(0, 2, 1, 3);
    expect(rv.values(0, 2)).toEqual([12n]); // 5 + 1 + 6
    expect(rv.expected(2, 3, 2)).toEqual([15n]);
    expect(rv.matches(0, 2, 3, 2)).toBe(false);
  });

  it('unmapping everything returns to zero; reset and grow keep slots apart', () => {
    const rv = new RmapValues(2);
    rv.reset(1);
    rv.set(1, 9, 512, 0xabcdef);
    rv.add(1, 9, 100, 77);
    rv.grow(8);
    expect(rv.values(1, 9)).toEqual(rmapSubids(9, 0xabcdef).map((s, j) => BigInt.asUintN(64, 512n * s + 100n * rmapSubids(9, 77)[j])));
    rv.add(1, 9, -512, 0xabcdef);
    rv.add(1, 9, -100, 77);
    expect(rv.values(1, 9)).toEqual([0n, 0n, 0n]);
    rv.set(7, 15, 3, 0xffffff);
    expect(rv.matches(7, 15, 3, 0xffffff)).toBe(true);
    rv.reset(7);
    expect(rv.values(7, 15)).toEqual([0n, 0n, 0n, 0n, 0n, 0n]);
    expect(rv.matches(7, 15, 0, 0xffffff)).toBe(true);
  });

  it('property: k * subid and its removal are exact modulo 2^64 for any safe k (both product paths)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 15 }),
        fc.integer({ min: 0, max: RMAP_ID_MAX }),
        fc.oneof(fc.integer({ min: 0, max: 2 ** 21 - 1 }), fc.integer({ min: 2 ** 21, max: Number.MAX_SAFE_INTEGER })),
        fc.integer({ min: 1, max: 2 ** 21 + 5 }),
        (order, id, k, d) => {
          const rv = new RmapValues(1);
          rv.set(0, order, k, id);
          const want = rmapSubids(order, id).map((s) => BigInt.asUintN(64, BigInt(k) * s));
          expect(rv.values(0, order)).toEqual(want);
          rv.add(0, order, -d, id);
          expect(rv.values(0, order)).toEqual(rmapSubids(order, id).map((s, j) => BigInt.asUintN(64, want[j] - BigInt(d) * s)));
          rv.add(0, order, d, id);
          expect(rv.matches(0, order, k, id)).toBe(true);
        },
      ),
      { numRuns: 2000 },
    );
  });

  // Orders whose class fits in 64 bits (all except 6..9), one per class.
  const EXACT_ORDERS = [2, 4, 10, 11, 13];

  it('property: matches(m, id) iff every current mapping belongs to id, while total <= P', () => {
    const op = fc.record({ who: fc.nat(4), k: fc.integer({ min: -40000, max: 40000 }) });
    fc.assert(
      fc.property(
        fc.constantFrom(...EXACT_ORDERS),
        fc.uniqueArray(fc.integer({ min: 1, max: RMAP_ID_MAX }), { minLength: 5, maxLength: 5 }),
        fc.array(op, { maxLength: 60 }),
        (order, ids, ops) => {
          const P = 2 ** order;
          const rv = new RmapValues(1);
          rv.reset(0);
          const counts = ids.map(() => 0);
          let total = 0;
          for (const { who, k: raw } of ops) {
            // Map at most what fits in P (one mm maps a page at most once), unmap at most what it has.
            const k = raw >= 0 ? Math.min(raw % (P + 1), P - total) : -Math.min(-raw % (P + 1), counts[who]);
            if (k === 0) continue;
            rv.writerBegin(0);
            rv.add(0, order, k, ids[who]);
            rv.writerEnd(0);
            counts[who] += k;
            total += k;
            const exact = ids.reduce((sum, id, i) => rmapSubids(order, id).map((s, j) => sum[j] + BigInt(counts[i]) * s), rmapSubids(order, 0).map(() => 0n));
            expect(rv.values(0, order)).toEqual(exact.map((v) => BigInt.asUintN(64, v)));
            for (let i = 0; i < ids.length; i++) {
              expect(rv.matches(0, order, total, ids[i])).toBe(counts[i] === total);
            }
            expect(rmapSeqHasWriters(rv.seq(0))).toBe(false);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('section 9 item 1: order-9 values wrap and give a false "exclusive" (concrete construction)', () => {
    // Low ID chunks and how many of the 512 mappings carry each (solved by hand
    // from the bit counts: bit 0 only in 255, bit 6 adds 254, bit 2 adds 190,
    // bit 4 adds 186, bit 3 adds 170, bit 5 adds 162, bit 1 adds 130, bit 7 adds
    // 128, and chunk 0 takes the one mapping left).
    const multiplicity = new Map<number, number>([
      [0, 1], [128, 12], [130, 28], [162, 28], [170, 374], [186, 28], [190, 28], [254, 12], [255, 1],
    ]);
    const bitCounts = Array.from({ length: 8 }, (_, bit) =>
      [...multiplicity].reduce((sum, [chunk, m]) => sum + ((chunk >> bit) & 1) * m, 0),
    );
    expect(bitCounts).toEqual([1, 499, 41, 443, 69, 471, 13, 511]);
    expect([...multiplicity.values()].reduce((a, b) => a + b)).toBe(512);

    // Full IDs must be distinct and non-zero (0 is init_mm's dummy), and all
    // values but val0 must match too: every mm gets the same middle chunk 1, so
    // the IDs are 256 + chunk. With lowest-free-first allocation, ID 511 only
    // exists while IDs 1..510 are taken (>= 128 live mms, in fact 510).
    const idOf = (chunk: number) => 256 + chunk;
    const ids = [...multiplicity.keys()].map(idOf);
    expect(new Set(ids).size).toBe(9);
    expect(Math.min(...ids)).toBeGreaterThan(0);
    const me = idOf(255);

    const rv = new RmapValues(1);
    rv.reset(0);
    for (const [chunk, m] of multiplicity) rv.add(0, 9, m, idOf(chunk));

    // The unbounded sums: val0 differs from 512 * subid(255), val1/val2 are equal.
    const exact = [0, 1, 2].map((j) =>
      [...multiplicity].reduce((sum, [chunk, m]) => sum + BigInt(m) * rmapSubids(9, idOf(chunk))[j], 0n),
    );
    const wanted = rmapSubids(9, me).map((s) => 512n * s);
    expect(exact[0]).not.toBe(wanted[0]);
    expect(exact[0] >= U64).toBe(true); // the sum wrapped
    expect((exact[0] - wanted[0]) % U64).toBe(0n);
    expect(exact.slice(1)).toEqual(wanted.slice(1));
    // Base-513 digits of the true val0 are the bit counts: 9 mms, not one.
    expect(exact[0]).toBe(bitCounts.reduce((sum, c, i) => sum + BigInt(c) * 513n ** BigInt(i), 0n));

    // ... and the proposal's 64-bit test says "all 512 mappings are mine".
    expect(rv.matches(0, 9, 512, me)).toBe(true);
    for (const [chunk] of multiplicity) if (chunk !== 255) expect(rv.matches(0, 9, 512, idOf(chunk))).toBe(false);
  });
});

describe('RmapValues seqcount (patch 18 layout)', () => {
  it('a lone writer is exclusive and advances the sequence by one step', () => {
    const rv = new RmapValues(1);
    rv.reset(0);
    expect(rv.seq(0)).toBe(0);
    expect(rv.writerBegin(0)).toBe(true);
    expect(rv.seq(0)).toBe(2 ** 16);
    expect(rmapSeqHasWriters(rv.seq(0))).toBe(true);
    rv.writerEnd(0);
    expect(rv.seq(0)).toBe(RMAP_SEQ_STEP);
    expect(rmapSeqHasWriters(rv.seq(0))).toBe(false);
  });

  it('a second writer while one is inside registers as shared; both advance the sequence', () => {
    const rv = new RmapValues(1);
    rv.reset(0);
    const start = rv.seq(0);
    expect(rv.writerBegin(0)).toBe(true);
    expect(rv.writerBegin(0)).toBe(false);
    expect(rv.seq(0)).toBe(2 ** 16 + 1);
    rv.writerEnd(0); // the exclusive one leaves first
    expect(rv.seq(0)).toBe(RMAP_SEQ_STEP + 1);
    expect(rmapSeqHasWriters(rv.seq(0))).toBe(true);
    rv.writerEnd(0);
    expect(rv.seq(0)).toBe(2 * RMAP_SEQ_STEP);
    expect(rv.seq(0)).not.toBe(start); // a reader that started before must retry
    expect(() => rv.writerEnd(0)).toThrow(/without writerBegin/);
  });

  it('the sequence wraps without losing integer precision', () => {
    const rv = new RmapValues(1);
    rv.reset(0);
    for (let i = 0; i < 2 ** 21; i++) {
      rv.writerBegin(0);
      rv.writerEnd(0);
    }
    expect(rv.seq(0)).toBe(0);
    rv.writerBegin(0);
    rv.writerEnd(0);
    expect(rv.seq(0)).toBe(RMAP_SEQ_STEP);
    expect(Number.isSafeInteger((2 ** 21 - 1) * RMAP_SEQ_STEP + 2 ** 32 - 1)).toBe(true);
  });
});

describe('RmapValues: limb arithmetic equals BigInt arithmetic modulo 2^64', () => {
  const orders = fc.integer({ min: 0, max: 15 });
  const id = fc.integer({ min: 0, max: RMAP_ID_MAX });
  // Deltas far beyond a folio's page count, both signs, up to 2^53.
  const delta = fc.oneof(fc.integer({ min: -600, max: 600 }), fc.integer(), fc.maxSafeInteger().map((x) => (x % 2 === 0 ? x : -x)));

  it('property: set/add/matches over random IDs and deltas', () => {
    fc.assert(
      fc.property(orders, id, fc.nat({ max: 2 ** 31 }), fc.array(fc.record({ id, d: delta }), { maxLength: 30 }), (order, id0, count, ops) => {
        const rv = new RmapValues(2);
        rv.reset(1);
        rv.set(1, order, count, id0);
        let want = rmapSubids(order, id0).map((s) => BigInt.asUintN(64, BigInt(count) * s));
        expect(rv.values(1, order)).toEqual(want);
        for (const { id: who, d } of ops) {
          rv.add(1, order, d, who);
          want = want.map((v, j) => BigInt.asUintN(64, v + BigInt(d) * rmapSubids(order, who)[j]));
          expect(rv.values(1, order)).toEqual(want);
        }
        // matches() is the limb product compared word by word.
        const probe = Number(want[0] % 1000n);
        const exact = want.every((v, j) => v === BigInt.asUintN(64, BigInt(probe) * rmapSubids(order, id0)[j]));
        expect(rv.matches(1, order, probe, id0)).toBe(exact);
        expect(rv.values(0, order).every((v) => v === 0n)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('property: a value is matched exactly when it equals mapcount * subid mod 2^64', () => {
    fc.assert(
      fc.property(orders, id, fc.nat({ max: 2 ** 31 }), fc.integer({ min: -3, max: 3 }), (order, who, raw, off) => {
        const count = raw + 3; // mapcounts are never negative
        const rv = new RmapValues(1);
        rv.reset(0);
        rv.set(0, order, count, who);
        rv.add(0, order, off, who);
        expect(rv.matches(0, order, count + off, who)).toBe(true);
        const same = rmapSubids(order, who).every((s) => BigInt.asUintN(64, BigInt(count + off) * s) === BigInt.asUintN(64, BigInt(count) * s));
        expect(rv.matches(0, order, count, who)).toBe(same);
        if (off !== 0 && who !== 0) expect(same).toBe(false);
      }),
      { numRuns: 500 },
    );
  });

  it('sub-IDs above 2^32 and products that wrap past 2^64 (order 9, chunk 255; order 15, chunk 15)', () => {
    const s9 = rmapSubids(9, 255)[0];
    expect(s9).toBe((513n ** 8n - 1n) / 512n);
    expect(s9 > 2n ** 32n).toBe(true); // needs the high limb
    expect(calcRmapSubid(512, 255)).toBe(BigInt.asUintN(64, (513n ** 8n - 1n) / 512n));
    expect(calcRmapSubid(32768, 15)).toBe(BigInt.asUintN(64, (32769n ** 4n - 1n) / 32768n));
    const rv = new RmapValues(1);
    rv.reset(0);
    rv.add(0, 9, 512, 255);
    expect(512n * s9 >= 2n ** 64n).toBe(true);
    expect(rv.values(0, 9)[0]).toBe(BigInt.asUintN(64, 512n * s9));
    rv.add(0, 9, -513, 255);
    expect(rv.values(0, 9)[0]).toBe(BigInt.asUintN(64, -s9));
  });
});
