import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Ida } from '../../../core/mm/ida';

describe('Ida (ida_alloc_range: lowest free ID first)', () => {
  it('hands out IDs from min upwards and reuses the lowest freed one first', () => {
    const ida = new Ida(1, 100);
    expect([ida.alloc(), ida.alloc(), ida.alloc(), ida.alloc(), ida.alloc()]).toEqual([1, 2, 3, 4, 5]);
    ida.free(4);
    ida.free(2);
    expect(ida.alloc()).toBe(2);
    expect(ida.alloc()).toBe(4);
    expect(ida.alloc()).toBe(6);
    ida.free(6);
    expect(ida.alloc()).toBe(6);
  });

  it('throws RangeError when exhausted and again succeeds after a free', () => {
    const ida = new Ida(3, 5);
    expect([ida.alloc(), ida.alloc(), ida.alloc()]).toEqual([3, 4, 5]);
    expect(() => ida.alloc()).toThrow(RangeError);
    ida.free(4);
    expect(ida.alloc()).toBe(4);
    expect(() => ida.alloc()).toThrow(RangeError);
  });

  it('refuses to free an ID that is not allocated', () => {
    const ida = new Ida(1, 10);
    expect(() => ida.free(1)).toThrow(RangeError);
    const id = ida.alloc();
    ida.free(id);
    expect(() => ida.free(id)).toThrow(RangeError);
    expect(() => new Ida(5, 4)).toThrow(RangeError);
  });

  it('matches a naive lowest-free model on random alloc/free sequences', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.constant(-1), fc.nat(40)), { maxLength: 300 }), (ops) => {
        const ida = new Ida(1, 32);
        const live = new Set<number>();
        for (const op of ops) {
          if (op === -1) {
            let want = 1;
            while (live.has(want)) want++;
            if (want > 32) {
              expect(() => ida.alloc()).toThrow(RangeError);
            } else {
              expect(ida.alloc()).toBe(want);
              live.add(want);
            }
          } else if (live.has(op)) {
            ida.free(op);
            live.delete(op);
          }
        }
      }),
    );
  });

  it('stays fast with hundreds of live IDs in a 24-bit range (no scans up to max)', () => {
    const ida = new Ida(1, 2 ** 24 - 1);
    const live: number[] = [];
    for (let i = 0; i < 500; i++) live.push(ida.alloc());
    const t0 = performance.now();
    let x = 12345;
    for (let i = 0; i < 200_000; i++) {
      x = (x * 1103515245 + 12345) % 2 ** 31;
      const slot = x % live.length;
      ida.free(live[slot]);
      live[slot] = ida.alloc();
    }
    const ms = performance.now() - t0;
    // Only the 500 lowest IDs are ever in use: every alloc refills a hole.
    expect(Math.max(...live)).toBe(500);
    expect(new Set(live).size).toBe(500);
    expect(ms).toBeLessThan(2000);
  });
});
