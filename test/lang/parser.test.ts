import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../core/lang/parser';
import type { Operation, Value } from '../../core/lang/ast';
import { SPEC_EXAMPLE } from '../helpers/spec-example';
import { show } from './helpers';

const parse = (src: string) => parseScenario(src, 't.mms');
const op = (line: string): Operation => {
  const r = parse(line);
  expect(r.diagnostics.map(show)).toEqual([]);
  return r.scenario.steps[0].operation;
};
const value = (text: string): Value => {
  const r = parse(`expect ${text} == 1`);
  expect(r.diagnostics.map(show)).toEqual([]);
  return r.scenario.expectations[0].condition.lhs;
};

describe('parser: the spec example', () => {
  const r = parse(SPEC_EXAMPLE);
  it('parses with no diagnostics', () => expect(r.diagnostics).toEqual([]));
  it('reads the header', () => {
    const h = r.scenario.header;
    expect(h.title?.value).toBe('pte-mapped THP reuse after child exit');
    expect(h.policies?.ids.map((n) => n.text)).toEqual(['v6.7', 'v6.9', 'rmapid', 'v6.15']);
    expect(h.thp?.settings.map((s) => [s.size, s.mode])).toEqual([[2 * 1024 * 1024, 'madvise']]);
  });
  it('reads the steps in order with their spans', () => {
    const s = r.scenario.steps;
    expect(s.map((x) => `${x.actor.text}:${x.operation.op}`)).toEqual(['P0:mmap', 'P0:madvise', 'P0:write', 'P0:mprotect', 'P0:mprotect', 'P0:fork', 'P1:exit', 'P0:write']);
    expect(s.map((x) => x.index)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(s[3].span).toEqual({ line: 9, col: 1, endLine: 9, endCol: 21 });
    expect(s[3].operation).toMatchObject({ op: 'mprotect', prot: 'ro', range: { mapping: { text: 'A' }, single: true, start: { kind: 'page', value: 1 } } });
  });
  it('reads the expectations with text, policies and spans', () => {
    const e = r.scenario.expectations;
    expect(e.map((x) => x.text)).toEqual(['P0.cow_copies == 1', 'P0.pgreuse == 1', 'P0 A[5].order == 0', 'P0 A[5].order == 9', 'violations == 0']);
    expect(e[0].policies?.map((p) => p.text)).toEqual(['v6.7', 'v6.9']);
    expect(e[4].policies).toBeUndefined();
    expect(e[2].condition.lhs).toMatchObject({ kind: 'page', process: { text: 'P0' }, property: 'order', range: { single: true, start: { value: 5 } } });
    expect(e[2].span).toEqual({ line: 17, col: 1, endLine: 17, endCol: 40 });
  });
  it('keeps every comment, own-line and trailing', () => {
    expect(r.scenario.comments.map((c) => [c.line, c.trailing, c.text])).toEqual([
      [1, false, '# PTE-mapped THP: the parent writes after the child has exited.'],
      [8, true, '# one fault: a PMD-mapped THP'],
      [9, true, '# splits the PMD: A is now a PTE-mapped THP'],
      [17, true, '# the copy is a small page'],
    ]);
  });
});

describe('parser: every form of the grammar', () => {
  it('header directives', () => {
    const h = parse('scenario "a \\"b\\" \\\\ c"\npolicies ideal v6.15\nthp 16K=always 2M=never 64K=madvise\nmemory 64G\nswap 0').scenario.header;
    expect(h.title?.value).toBe('a "b" \\ c');
    expect(h.policies?.ids.map((n) => n.text)).toEqual(['ideal', 'v6.15']);
    expect(h.thp?.settings.map((s) => `${s.size}=${s.mode}`)).toEqual(['16384=always', '2097152=never', '65536=madvise']);
    expect(h.memory?.bytes).toBe(64 * 2 ** 30);
    expect(h.swap?.bytes).toBe(0);
  });
  it('sizes with and without B, numbers decimal and hex', () => {
    expect(op('P0: mmap A 2MB')).toMatchObject({ size: 2 ** 21 });
    expect(op('P0: mmap A 1G ro')).toMatchObject({ size: 2 ** 30, prot: 'ro' });
    expect(op('P0: mmap A 4KB none')).toMatchObject({ size: 4096, prot: 'none' });
    expect(op('P0: mmap A 8192')).toMatchObject({ size: 8192, prot: 'rw' });
    expect(op('P0: write A 0xff')).toMatchObject({ byte: 255 });
    expect(op('P0: write A[0x10]')).toMatchObject({ range: { start: { kind: 'page', value: 16 } } });
  });
  it('ranges: whole, page, i..j, i.., ..j, byte offsets', () => {
    expect(op('P0: read A')).toMatchObject({ range: { single: false } });
    expect((op('P0: read A') as { range: object }).range).not.toHaveProperty('start');
    expect(op('P0: read A[3]')).toMatchObject({ range: { single: true, start: { kind: 'page', value: 3 } } });
    expect(op('P0: read A[2..8]')).toMatchObject({ range: { single: false, start: { value: 2 }, end: { value: 8 } } });
    const open = op('P0: read A[4..]') as { range: { end?: unknown; start?: unknown } };
    expect(open.range.start).toMatchObject({ value: 4 });
    expect(open.range.end).toBeUndefined();
    const upTo = op('P0: read A[..2M]') as { range: { end?: unknown; start?: unknown } };
    expect(upTo.range.start).toBeUndefined();
    expect(upTo.range.end).toMatchObject({ kind: 'bytes', value: 2 ** 21 });
    expect(op('P0: read A[1M..2M]')).toMatchObject({ range: { start: { kind: 'bytes', value: 2 ** 20 }, end: { kind: 'bytes', value: 2 ** 21 } } });
    expect(op('P0: read A[12K]')).toMatchObject({ range: { single: true, start: { kind: 'bytes', value: 12288 } } });
  });
  it('every operation', () => {
    expect(op('P0: munmap A[1..2]')).toMatchObject({ op: 'munmap' });
    expect(op('P0: mprotect A none')).toMatchObject({ op: 'mprotect', prot: 'none' });
    for (const a of ['hugepage', 'nohugepage', 'dontneed', 'pageout', 'collapse', 'dontfork', 'dofork', 'wipeonfork']) expect(op(`P0: madvise A ${a}`)).toMatchObject({ op: 'madvise', advice: a });
    expect(op('P0: mremap A[256..] B')).toMatchObject({ op: 'mremap', newName: { text: 'B' } });
    expect(op('P0: write A')).not.toHaveProperty('byte');
    expect(op('P0: fork child_1')).toMatchObject({ op: 'fork', child: { text: 'child_1' } });
    expect(op('P1: exit')).toEqual({ op: 'exit' });
    expect(op('P0: pin A[0] ro as pin1')).toMatchObject({ op: 'pin', mode: 'ro', name: { text: 'pin1' } });
    expect(op('P0: pin A rw as X')).toMatchObject({ mode: 'rw' });
    expect(op('P0: unpin pin1')).toMatchObject({ op: 'unpin', name: { text: 'pin1' } });
    expect(op('P0: vmsplice A as pipe')).toMatchObject({ op: 'vmsplice', name: { text: 'pipe' } });
    expect(op('P0: close pipe')).toMatchObject({ op: 'close' });
    expect(op('P0: split A')).toMatchObject({ op: 'split' });
    expect(op('P0: clear-soft-dirty')).toEqual({ op: 'clear-soft-dirty' });
  });
  it('values: numbers, sizes, booleans, counters, per-process counters, page properties', () => {
    expect(value('512')).toMatchObject({ kind: 'number', value: 512 });
    expect(value('2M')).toMatchObject({ kind: 'number', value: 2 ** 21, size: true });
    expect(parse('expect true == P0 A.present').scenario.expectations[0].condition.lhs).toMatchObject({ kind: 'bool', value: true });
    expect(value('mem.used')).toMatchObject({ kind: 'counter', name: 'mem.used' });
    expect(value('thp_split_pmd')).toMatchObject({ kind: 'counter', name: 'thp_split_pmd' });
    expect(value('P1.anon_huge')).toMatchObject({ kind: 'process-counter', process: { text: 'P1' }, name: 'anon_huge' });
    expect(value('P0 A[0..4].pfn')).toMatchObject({ kind: 'page', property: 'pfn', range: { start: { value: 0 }, end: { value: 4 } } });
    const e = parse('expect P0 A.writable != false').scenario.expectations[0];
    expect(e.condition.op).toBe('!=');
    for (const cmp of ['==', '!=', '<', '<=', '>', '>=']) expect(parse(`expect pgfault ${cmp} 3`).scenario.expectations[0].condition.op).toBe(cmp);
  });
  it('accepts CRLF, tabs, a BOM and trailing spaces', () => {
    const r = parse('\ufeffscenario "x"\r\nP0:\tmmap A 4K   \r\nP0: write A\r');
    expect(r.diagnostics).toEqual([]);
    expect(r.scenario.steps).toHaveLength(2);
    expect(r.scenario.steps[1].span.line).toBe(3);
  });
  it('an empty file is an empty scenario', () => {
    expect(parse('')).toEqual({ scenario: { file: 't.mms', header: {}, steps: [], expectations: [], comments: [] }, diagnostics: [] });
  });
});

describe('parser: errors, with exact positions and messages', () => {
  const one = (src: string) => {
    const d = parse(src).diagnostics;
    expect(d).toHaveLength(1);
    return show(d[0]);
  };
  it('the spec standard: unknown advice', () => {
    expect(one('P0: mmap A 2M\nP0: madvise A hugepages')).toBe(
      '2:15-24 error unknown-advice: unknown advice "hugepages" (did you mean "hugepage"?); expected one of hugepage, nohugepage, dontneed, pageout, collapse, dontfork, dofork, wipeonfork',
    );
  });
  it('unknown operation with a suggestion', () => {
    expect(one('P0: mmpa A 2M')).toMatch(/^1:5-9 error unknown-operation: unknown operation "mmpa" \(did you mean "mmap"\?\); expected one of mmap, munmap/);
  });
  it('bad size units', () => {
    expect(one('P0: mmap A 2m')).toBe('1:12-14 error bad-size: bad size "2m"; size units are K, M or G, optionally followed by B: write 2M');
    expect(one('P0: mmap A 4KiB')).toMatch(/^1:12-16 error bad-size: .*write 4K$/);
  });
  it('bad numbers and strings', () => {
    expect(one('P0: write A 12abc')).toMatch(/^1:13-18 error bad-number: bad number "12abc"/);
    expect(one('P0: write A 0x')).toMatch(/^1:13-15 error bad-number: .*0x/);
    expect(one('scenario "abc')).toBe('1:10-14 error unterminated-string: unterminated string; close it with " on the same line');
    expect(one('scenario "a\\nb"')).toBe('1:12-14 error bad-escape: unknown escape "\\n" in a string; only \\" and \\\\ are escapes');
    expect(one('P0: write A 99999999999999999999')).toMatch(/^1:13-33 error number-too-large/);
  });
  it('unexpected characters', () => {
    expect(one('P0: write A; read A')).toMatch(/^1:12-13 error unexpected-character: unexpected character ";"/);
    expect(one('P0: write Ä')).toMatch(/^1:11-12 error unexpected-character/);
  });
  it('missing pieces point at where they are missing', () => {
    expect(one('P0: mmap A')).toBe('1:11-11 error missing-argument: "mmap" needs a size after the name, e.g. mmap A 2M; usage: mmap NAME SIZE [rw|ro|none]');
    expect(one('P0:')).toMatch(/^1:4-4 error missing-operation/);
    expect(one('P0: madvise A')).toMatch(/^1:14-14 error missing-argument: "madvise" needs an advice/);
    expect(one('P0 write A')).toBe('1:3-4 error missing-colon: expected ":" after the process name "P0": write P0: write ...');
    expect(one('expect')).toMatch(/^1:7-7 error missing-argument/);
    expect(one('expect pgfault 3')).toMatch(/^1:16-17 error expected-comparison: expected a comparison after "pgfault"; expected one of == != < <= > >=$/);
    expect(one('expect pgfault = 3')).toMatch(/use == to compare/);
  });
  it('extra tokens, bad ranges and protections', () => {
    expect(one('P1: exit now')).toBe('1:10-13 error unexpected-token: unexpected "now" after "exit"; usage: exit');
    expect(one('P0: read A[]')).toMatch(/^1:11-13 error empty-range: empty index A\[\]/);
    expect(one('P0: read A[..]')).toMatch(/^1:11-15 error empty-range: A\[\.\.\] has no bounds; write A/);
    expect(one('P0: read A[1')).toMatch(/^1:13-13 error syntax: expected "\]"/);
    expect(one('P0: mprotect A rx')).toMatch(/^1:16-18 error bad-protection: unknown protection "rx"; expected rw, ro or none/);
    expect(one('P0: pin A rx as p')).toMatch(/^1:11-13 error bad-pin-mode/);
    expect(one('P0: pin A ro p')).toMatch(/^1:14-15 error syntax: expected "as", not "p"/);
  });
  it('header rules: unknown statement, duplicates, after a step, THP modes, commas', () => {
    expect(one('scenari "x"')).toMatch(/^1:1-8 error unknown-statement: unknown statement "scenari" \(did you mean "scenario"\?\)/);
    expect(one('swap 1G\nswap 2G')).toBe('2:1-5 error duplicate-directive: "swap" is already set at line 1; each header directive may appear only once');
    expect(one('P0: mmap A 4K\nmemory 4G')).toBe('2:1-7 error directive-after-step: "memory" must come before the first step (line 1); move it to the header at the top');
    expect(one('thp 2M=alway')).toMatch(/^1:8-13 error unknown-thp-mode: unknown THP mode "alway" \(did you mean "always"\?\)/);
    expect(one('policies v6.7, v6.9')).toBe('1:14-15 error expected-policy: expected a policy id, not ","; separate policy ids with spaces, not commas');
  });
  it('expectation values', () => {
    expect(one('expect P0.pgfualt == 1')).toMatch(/^1:11-18 error unknown-counter: unknown per-process counter "pgfualt" \(did you mean "pgfault"\?\)/);
    expect(one('expect pgfualt == 1')).toMatch(/^1:8-15 error unknown-counter: unknown counter "pgfualt" \(did you mean "pgfault"\?\)/);
    expect(one('expect mem.usd == 1')).toMatch(/^1:8-15 error unknown-counter: unknown counter "mem.usd"; expected mem.used or mem.peak/);
    expect(one('expect P0 A[5].ordr == 9')).toMatch(/^1:16-20 error unknown-property: unknown page property "ordr" \(did you mean "order"\?\)/);
    expect(one('expect P0 A[5] == 9')).toMatch(/^1:16-18 error expected-property: expected ".PROPERTY" after the range, e.g. P0 A\[5\].present/);
  });
  it('warns about a step after an expectation', () => {
    expect(one('expect pgfault == 0\nP0: mmap A 4K')).toMatch(/^2:1-14 warning step-after-expectation/);
  });
});

describe('parser: recovery and limits', () => {
  it('reports every bad line in one pass and keeps the good ones', () => {
    const src = ['P0: mmap A 2M', 'P0: madvise A hugepages', 'P0: write A', 'P0: mprotect A rx', 'P0: fork P1', 'P1: frob', 'P1: exit', 'expect pgfualt == 1', 'expect violations == 0'].join('\n');
    const r = parse(src);
    expect(r.diagnostics.map((d) => `${d.line}:${d.code}`)).toEqual(['2:unknown-advice', '4:bad-protection', '6:unknown-operation', '8:unknown-counter']);
    expect(r.scenario.steps.map((s) => s.span.line)).toEqual([1, 3, 5, 7]);
    expect(r.scenario.expectations).toHaveLength(1);
  });
  it('reports several lexical errors on one line', () => {
    expect(parse('P0: write A 4k ; 2g').diagnostics.map((d) => d.code)).toEqual(['bad-size', 'unexpected-character', 'bad-size']);
  });
  it('binary input gives one diagnostic', () => {
    const r = parse('P0: mmap A 4K\nab\0cd\n\0\0\0');
    expect(r.diagnostics.map(show)).toEqual(['2:3-4 error binary-file: this looks like a binary file (a NUL byte at 2:3); a scenario is UTF-8 text']);
    expect(r.scenario.steps).toEqual([]);
  });
  it('a file over the size limit gives one diagnostic', () => {
    const r = parse('x'.repeat(8 * 1024 * 1024 + 1));
    expect(r.diagnostics.map((d) => d.code)).toEqual(['file-too-large']);
    expect(r.diagnostics[0].message).toMatch(/the limit is 8\.0 MiB/);
  });
  it('a line over the length limit is reported and skipped', () => {
    const r = parse(`P0: mmap A 4K\nP0: write A ${'#'.repeat(20_000)}\nP0: read A`);
    expect(r.diagnostics.map(show)).toEqual(['2:1-10001 error line-too-long: line is too long (20012 characters); the limit is 10000']);
    expect(r.scenario.steps).toHaveLength(2);
  });
  it('states the step limit when it is hit', () => {
    const r = parse('P0: read A\n'.repeat(250_002));
    expect(r.scenario.steps).toHaveLength(250_000);
    expect(r.diagnostics.map(show)).toEqual(['250001:1-3 error too-many-steps: too many steps; the limit is 250000 (the steps after this line are ignored)']);
  });
  it('never throws on odd input', () => {
    for (const s of ['\uffff', '\ud800', ']]]]', 'P0:::', '"', '\\', 'expect for', 'policies', 'thp =', 'P0: pin A ro as', '\r\r\n\n', '#'.repeat(100)]) {
      expect(() => parse(s)).not.toThrow();
    }
    expect(() => parseScenario(undefined as unknown as string, 'x')).not.toThrow();
  });
});

describe('parser: the remaining error kinds', () => {
  const cases: [string, string][] = [
    ['scenario title', '1:10-15 error expected-string: expected the title as a string after "scenario", e.g. scenario "fork and COW"'],
    ['expect [ == 1', '1:8-9 error expected-value: expected a value: a number, a size, true/false, a counter (pgfault, pgreuse, cow_copies, fork_copies, thp_fault_alloc, thp_fault_fallback, thp_split_pmd, thp_split_page, thp_split_page_failed, thp_deferred_split_page, pswpin, pswpout, violations, mem.used, mem.peak), PROCESS.COUNTER or PROCESS RANGE.PROPERTY; found "["'],
    ['P0: fork 2M', '1:10-12 error expected-name: expected the child process name (letters, digits and _), not "2M"; usage: fork NAME'],
    ['memory lots', '1:8-12 error expected-size: "memory" needs a size, e.g. memory 4G; found "lots"'],
    ['P0: read 5', '1:10-11 error expected-range: expected a mapping name or range, not "5"; usage: read RANGE'],
    ['P0: read A[x]', '1:12-13 error expected-index: expected a page number (3) or a page-aligned byte offset (12K) in the range, not "x"'],
    ['P0: write A ff', '1:13-15 error bad-byte: expected the byte to write (0 to 255, e.g. 0xff) after the range; usage: write RANGE [BYTE]'],
    ['policies', '1:9-9 error missing-argument: "policies" needs at least one policy id, e.g. policies v6.7 v6.15'],
    ['thp 2M madvise', '1:8-15 error syntax: expected "=" after the THP size: write 2M=always, 2M=madvise or 2M=never'],
    ['expect pgfault == 1 for', '1:24-24 error missing-argument: "for" needs at least one policy id, e.g. for v6.7 v6.9'],
    ['expect pgfault == 1 junk', '1:21-25 error unexpected-token: unexpected "junk" after the condition; expect VALUE OP VALUE [for POLICY...]'],
  ];
  it.each(cases)('%s', (src, want) => {
    expect(parseScenario(src, 't').diagnostics.map(show)).toEqual([want]);
  });
  it('states the expectation limit when it is hit', () => {
    const r = parseScenario('expect pgfault >= 0\n'.repeat(100_001), 't');
    expect(r.scenario.expectations).toHaveLength(100_000);
    expect(r.diagnostics.map(show)).toEqual(['100001:1-7 error too-many-expectations: too many expectations; the limit is 100000 (the ones after this line are ignored)']);
  });
});
