import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../core/lang/checker';
import { sameScenario, withoutSpans } from '../../core/lang/compare';
import { formatScenario } from '../../core/lang/format';
import { parseScenario } from '../../core/lang/parser';
import { SPEC_EXAMPLE } from '../helpers/spec-example';
import { scenarioSource } from './generate';

const parse = (s: string) => parseScenario(s, 't.mms');

function roundTrip(src: string): string {
  const a = parse(src);
  expect(a.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const out = formatScenario(a.scenario);
  const b = parse(out);
  expect(b.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  expect(withoutSpans(b.scenario)).toEqual(withoutSpans(a.scenario));
  expect(formatScenario(b.scenario)).toBe(out); // idempotent
  return out;
}

describe('formatter', () => {
  it('prints the spec example canonically and keeps its comments', () => {
    expect(roundTrip(SPEC_EXAMPLE)).toBe(`# PTE-mapped THP: the parent writes after the child has exited.
scenario "pte-mapped THP reuse after child exit"
policies v6.7 v6.9 rmapid v6.15
thp 2M=madvise

P0: mmap A 2M
P0: madvise A hugepage
P0: write A           # one fault: a PMD-mapped THP
P0: mprotect A[1] ro  # splits the PMD: A is now a PTE-mapped THP
P0: mprotect A[1] rw
P0: fork P1
P1: exit
P0: write A[5]

expect P0.cow_copies == 1 for v6.7 v6.9
expect P0.pgreuse == 1 for rmapid v6.15
expect P0 A[5].order == 0 for v6.7 v6.9  # the copy is a small page
expect P0 A[5].order == 9 for rmapid v6.15
expect violations == 0
`);
  });
  it('orders the header, separates sections, normalises spacing, sizes and numbers', () => {
    const src = '# top\n\nswap   1024K\nscenario "a \\"q\\""   # title\nthp 64K=always 2097152=madvise\nP0:mmap A 2048K rw\nP0: write A[0x2]  0xff\n\n\n# then fork\nP0: fork  P1\nexpect P0 A[0..4K].data==255 for v6.15\nexpect mem.peak <= 2MB\n# trailing note';
    expect(roundTrip(src)).toBe(
      '# top\n\nscenario "a \\"q\\""  # title\nthp 64K=always 2M=madvise\nswap 1M\n\nP0: mmap A 2M\nP0: write A[2] 255\n\n# then fork\nP0: fork P1\n\nexpect P0 A[0..4K].data == 255 for v6.15\nexpect mem.peak <= 2M\n\n# trailing note\n',
    );
  });
  it('keeps every range form and every operation', () => {
    const src = [
      'P0: mmap A 4M none',
      'P0: mprotect A rw',
      'P0: madvise A[..1M] wipeonfork',
      'P0: read A[3..]',
      'P0: write A[0K..8K]',
      'P0: mremap A[1M..2M] B',
      'P0: pin A[0] rw as X',
      'P0: unpin X',
      'P0: vmsplice A[1..3] as Y',
      'P0: close Y',
      'P0: split A',
      'P0: clear-soft-dirty',
      'P0: munmap B',
      'P0: fork P1',
      'P1: exit',
      '',
      'expect P0 A[0..2].pfn != P0 A[2..4].pfn',
      'expect P0.rss > 0K',
    ].join('\n');
    expect(roundTrip(src)).toBe(`${src}\n`);
  });
  it('round-trips generated scenarios', () => {
    fc.assert(fc.property(scenarioSource(), (src) => void roundTrip(src)), { numRuns: 300 });
  });
  it('round-trips every example in examples/', () => {
    const dir = join(__dirname, '../../examples');
    const files = existsSync(dir) ? (readdirSync(dir, { recursive: true }) as string[]).filter((f) => f.endsWith('.mms')) : [];
    for (const f of files) {
      const src = readFileSync(join(dir, f), 'utf8');
      const a = analyze(src, f);
      if (a.diagnostics.some((d) => d.severity === 'error')) continue; // the examples' own test reports those
      const b = parseScenario(formatScenario(a.scenario), f);
      expect(sameScenario(a.scenario, b.scenario), f).toBe(true);
    }
  });
  it('sameScenario sees a real difference', () => {
    expect(sameScenario(parse('P0: mmap A 2M').scenario, parse('P0: mmap A 4M').scenario)).toBe(false);
    expect(sameScenario(parse('P0: mmap A 2M').scenario, parse('\n\nP0:  mmap A 2048K').scenario)).toBe(true);
  });
});
