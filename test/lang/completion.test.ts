import { describe, expect, it } from 'vitest';
import { ADVICES, ALL_POLICIES, GLOBAL_COUNTERS, PAGE_PROPERTIES, PROCESS_COUNTERS } from '../../core/lang/ast';
import { completionsAt, hoverAt } from '../../core/lang/completion';
import { OPERATIONS } from '../../core/lang/parser';
import { SPEC_EXAMPLE } from '../helpers/spec-example';

/** Completions with the cursor at `|` in the source. */
function at(src: string) {
  const i = src.indexOf('|');
  const before = src.slice(0, i).split('\n');
  return completionsAt(src.slice(0, i) + src.slice(i + 1), before.length, before[before.length - 1].length + 1);
}
const labels = (src: string) => at(src).map((c) => c.label);
const kinds = (src: string) => new Set(at(src).map((c) => c.kind));

const PRELUDE = 'policies v6.7\nP0: mmap A 2M\nP0: fork P1\nP1: mmap C 4K\n';

describe('completion', () => {
  it('offers operations after "P1: ", with syntax and docs', () => {
    const items = at(`${PRELUDE}P1: |`);
    expect(items.map((c) => c.label)).toEqual(OPERATIONS);
    expect(new Set(items.map((c) => c.kind))).toEqual(new Set(['operation']));
    expect(items.find((c) => c.label === 'madvise')).toMatchObject({ detail: 'madvise RANGE ADVICE' });
    expect(items.find((c) => c.label === 'pin')?.documentation).toMatch(/FOLL_LONGTERM/);
    expect(labels(`${PRELUDE}P1: wr|`)).toEqual(OPERATIONS); // the word being typed is replaced
  });
  it('offers the actor\'s mappings in scope at that line', () => {
    expect(labels(`${PRELUDE}P1: write |`)).toEqual(['A', 'C']);
    expect(labels(`${PRELUDE}P0: write |`)).toEqual(['A']);
    expect(labels(`P0: mmap A 2M\nP0: read |\nP0: mmap B 4K`)).toEqual(['A']);
    expect(kinds(`${PRELUDE}P1: madvise |`)).toEqual(new Set(['mapping']));
  });
  it('offers advice after "madvise A ", protections after "mprotect A "', () => {
    expect(labels(`${PRELUDE}P0: madvise A |`)).toEqual([...ADVICES]);
    expect(labels(`${PRELUDE}P0: madvise A[1..4] |`)).toEqual([...ADVICES]);
    expect(at(`${PRELUDE}P0: madvise A |`).find((c) => c.label === 'pageout')?.documentation).toMatch(/madvise\(MADV_PAGEOUT\)/);
    expect(labels(`${PRELUDE}P0: mprotect A[1] |`)).toEqual(['rw', 'ro', 'none']);
    expect(labels(`${PRELUDE}P0: mmap B 2M |`)).toEqual(['rw', 'ro', 'none']);
    expect(labels(`${PRELUDE}P0: pin A ro |`)).toEqual(['as']);
    expect(labels(`${PRELUDE}P0: read A[|`)).toEqual([]);
  });
  it('offers a fresh process name after fork and open pins after unpin', () => {
    expect(labels(`${PRELUDE}P0: fork |`)).toEqual(['P2']);
    expect(labels(`${PRELUDE}P0: pin A ro as X\nP0: pin A ro as Y\nP0: unpin Y\nP0: unpin |`)).toEqual(['X']);
  });
  it('offers policies after "for " and in "policies"', () => {
    expect(labels(`${PRELUDE}expect pgfault == 1 for |`)).toEqual([...ALL_POLICIES]);
    expect(labels(`${PRELUDE}expect pgfault == 1 for v6.7 |`)).toEqual([...ALL_POLICIES]);
    expect(labels('policies v6.7 |')).toEqual([...ALL_POLICIES]);
    expect(kinds('policies |')).toEqual(new Set(['policy']));
  });
  it('knows the parts of an expectation', () => {
    const values = labels(`${PRELUDE}expect |`);
    expect(values).toEqual(expect.arrayContaining([...GLOBAL_COUNTERS, 'P0', 'P1', 'true', 'false']));
    expect(labels(`${PRELUDE}expect P1.|`)).toEqual([...PROCESS_COUNTERS]);
    expect(labels(`${PRELUDE}expect mem.|`)).toEqual(['used', 'peak']);
    expect(labels(`${PRELUDE}expect P1 |`)).toEqual(['A', 'C']);
    expect(labels(`${PRELUDE}expect P1 C.|`)).toEqual([...PAGE_PROPERTIES]);
    expect(labels(`${PRELUDE}expect P1 C[0].|`)).toEqual([...PAGE_PROPERTIES]);
    expect(labels(`${PRELUDE}expect pgfault |`)).toEqual(['==', '!=', '<', '<=', '>', '>=']);
    expect(labels(`${PRELUDE}expect pgfault == 3 |`)).toEqual(['for']);
    expect(labels(`${PRELUDE}expect pgfault == |`)).toContain('cow_copies');
  });
  it('offers directives only before the first step, and the live processes at a statement start', () => {
    expect(labels('|')).toEqual(expect.arrayContaining(['scenario', 'policies', 'thp', 'memory', 'swap', 'expect', 'P0']));
    expect(labels('policies v6.7\n|')).not.toContain('policies');
    const later = labels(`${PRELUDE}P1: exit\n|`);
    expect(later).not.toContain('scenario');
    expect(later).toContain('P0');
    expect(later).not.toContain('P1');
    expect(labels('thp 2M=|')).toEqual(['always', 'madvise', 'never']);
  });
  it('offers nothing inside a comment and never throws', () => {
    expect(labels(`${PRELUDE}P0: write A # |`)).toEqual([]);
    expect(() => completionsAt('\0\0', 5, 99)).not.toThrow();
    expect(completionsAt('P0: ', 0, 0)).toEqual(expect.any(Array));
  });
});

describe('hover', () => {
  const src = SPEC_EXAMPLE;
  const lines = src.split('\n');
  /** Hover on the first occurrence of `word` on 1-based `line`. */
  const hoverOn = (line: number, word: string, offset = 0) => hoverAt(src, line, lines[line - 1].indexOf(word) + 1 + offset);
  it('operations show syntax and the Linux call', () => {
    const h = hoverOn(7, 'madvise');
    expect(h?.contents).toMatch(/^`madvise RANGE ADVICE`/);
    expect(h?.contents).toContain('madvise()');
    expect(h?.span).toEqual({ line: 7, col: 5, endLine: 7, endCol: 12 });
  });
  it('advice, protections, directives, policies, counters, properties', () => {
    expect(hoverOn(7, 'hugepage')?.contents).toContain('madvise(MADV_HUGEPAGE)');
    expect(hoverOn(9, ' ro', 1)?.contents).toContain('PROT_READ');
    expect(hoverOn(4, 'thp')?.contents).toContain('/sys/kernel/mm/transparent_hugepage');
    const pol = hoverOn(3, 'v6.15', 3);
    expect(pol?.contents).toContain('MM owner tracking');
    expect(pol?.span).toEqual({ line: 3, col: 27, endLine: 3, endCol: 32 });
    expect(hoverOn(16, 'pgreuse')?.contents).toMatch(/reuse/);
    expect(hoverOn(17, 'order')?.contents).toContain('folio_order()');
    expect(hoverOn(19, 'violations')?.contents).toMatch(/violations/);
    expect(hoverOn(15, 'v6.9')?.contents).toContain('never reused');
  });
  it('clear-soft-dirty hovers as one word', () => {
    const h = hoverAt('P0: clear-soft-dirty', 1, 12);
    expect(h?.contents).toContain('/proc/self/clear_refs');
    expect(h?.span).toEqual({ line: 1, col: 5, endLine: 1, endCol: 21 });
  });
  it('processes and mappings say where they come from', () => {
    expect(hoverOn(12, 'P1')?.contents).toBe('**P1**: process, created by fork in P0 at line 11; exits at line 12');
    expect(hoverOn(13, 'A')?.contents).toBe('**A**: mapping of P0, 2M (512 pages), created at line 6');
    expect(hoverOn(17, 'A')?.contents).toBe('**A**: mapping of P0, 2M (512 pages), created at line 6');
  });
  it('nothing on blank space, comments or out of range', () => {
    expect(hoverAt(src, 5, 1)).toBeNull();
    expect(hoverAt(src, 1, 5)).toBeNull();
    expect(hoverAt(src, 999, 1)).toBeNull();
  });
});
