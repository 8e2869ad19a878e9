import { describe, expect, it } from 'vitest';
import { ALL_POLICIES } from '../../core/lang/ast';
import { analyze, checkScenario, scopeAt } from '../../core/lang/checker';
import { parseScenario } from '../../core/lang/parser';
import { SPEC_EXAMPLE } from '../helpers/spec-example';
import { diags, diagsWith } from './helpers';

describe('checker: name resolution step by step', () => {
  it('the spec example is clean', () => expect(diags(SPEC_EXAMPLE)).toEqual([]));
  it('a process exists only after its fork', () => {
    expect(diags('P1: exit\nP0: fork P1')).toEqual([
      '1:1-3 error unknown-process: process "P1" does not exist at this step: it is created by the fork at line 2, after this step; alive here: P0',
    ]);
  });
  it('an unknown process gets a suggestion and the list of live ones', () => {
    expect(diags('P0: fork P1\nP2: exit')).toEqual([
      '2:1-3 error unknown-process: process "P2" does not exist at this step: only P0 exists at the start and fork creates the others; alive here: P0, P1',
    ]);
  });
  it('an exited process can do nothing more', () => {
    expect(diags('P0: fork P1\nP1: exit\nP1: exit')).toEqual(['3:1-3 error process-exited: process P1 exited at line 2; an exited process can do nothing more']);
  });
  it('fork needs a fresh name', () => {
    expect(diags('P0: fork P1\nP1: fork P0')).toEqual(['2:10-12 error duplicate-process: process P0 already exists (it is the initial process); give the child a new name']);
  });
  it('mappings belong to a process and are inherited at fork', () => {
    expect(diags('P0: mmap A 4K\nP0: fork P1\nP1: write A\nP1: mmap B 4K\nP0: write B')).toEqual([
      '5:11-12 error unknown-mapping: P0 has no mapping "B"; its mappings here: A',
    ]);
  });
  it('whole munmap removes the name, partial munmap keeps it', () => {
    expect(diagsWith('P0: munmap A[0..4]\nP0: write A[5]\nP0: munmap A\nP0: write A')).toEqual(['6:11-12 error unknown-mapping: P0 has no mapping "A"; its mappings here: B']);
  });
  it('mremap creates the new name with the size of the range', () => {
    expect(diagsWith('P0: mremap A[256..] C\nP0: write C[255]\nP0: write C[256]\nP0: write A[0]')).toEqual([
      '5:11-17 error range-outside-mapping: page 256 is outside the mapping: C has 256 pages (1M), pages 0 to 255',
    ]);
    expect(diagsWith('P0: mremap B C\nP0: write B')).toEqual(['4:11-12 error unknown-mapping: P0 has no mapping "B"; its mappings here: A, C']);
  });
  it('a whole-mapping dontfork is not inherited', () => {
    expect(diagsWith('P0: madvise B dontfork\nP0: fork P1\nP1: write B\nP1: write A')).toEqual(['5:11-12 error unknown-mapping: P1 has no mapping "B"; its mappings here: A']);
  });
  it('duplicate mapping names', () => {
    expect(diagsWith('P0: mmap A 4K')).toEqual(['3:10-11 error duplicate-mapping: P0 already has a mapping A (from line 1); pick another name or munmap it first']);
  });
  it('pins and pipes', () => {
    expect(
      diagsWith('P0: pin A[0] ro as X\nP0: unpin X\nP0: unpin X\nP0: vmsplice B as Y\nP0: unpin Y\nP0: close Z\nP0: pin A rw as Y'),
    ).toEqual([
      '5:11-12 error pin-released: pin X was already released at line 4; unpin it only once',
      '7:11-12 error not-a-pin: Y is a pipe (line 6), not a pin; close Y releases it',
      '8:11-12 error unknown-pipe: no pipe named "Z"; "vmsplice RANGE as NAME" creates one; open pipes here: Y',
      '9:17-18 error duplicate-pin: "Y" is already an open pipe (line 6); close it first or pick another name',
    ]);
  });
  it('a pin never unpinned is fine', () => expect(diagsWith('P0: pin A ro as X')).toEqual([]));
  it('names from a broken line do not cascade', () => {
    expect(diags('P0: mmap A 2m\nP0: write A[3]\nP0: fork P1 x\nP1: exit').map((d) => d.split(' ')[2])).toEqual(['bad-size:', 'unexpected-token:']);
  });
});

describe('checker: ranges and sizes', () => {
  it('ranges inside the mapping', () => {
    expect(diagsWith('P0: write A[512]\nP0: read A[500..600]\nP0: read A[600..]\nP0: read A[5..5]\nP0: read A[..2M]\nP0: read A[1M..2M]')).toEqual([
      '3:11-17 error range-outside-mapping: page 512 is outside the mapping: A has 512 pages (2M), pages 0 to 511',
      '4:17-20 error range-outside-mapping: range ends at page 600, past the end of the mapping: A has 512 pages (2M), so the end can be at most 512',
      '5:12-15 error range-outside-mapping: range starts at page 600, outside the mapping: A has 512 pages (2M)',
      '6:10-17 error empty-range: range A[5..5] is empty: the end is exclusive, so write an end larger than the start',
    ]);
  });
  it('byte offsets must be page-aligned', () => {
    expect(diagsWith('P0: read A[6K]')).toEqual(['3:12-14 error unaligned-offset: byte offset 6K is not page-aligned; use a multiple of 4K such as 4K or 8K, or a page number']);
  });
  it('mmap sizes', () => {
    expect(diags('P0: mmap A 6000\nP0: mmap B 512\nP0: mmap C 0\nP0: mmap D 2T'.replace('2T', String(2 ** 41)))).toEqual([
      '1:1-16 error bad-size: mmap size 6000 is not a multiple of the page size 4K; write 8K',
      '2:1-15 error bad-size: mmap size 512 is not a multiple of the page size 4K; write 4K (512 pages would be 2M)',
      '3:1-13 error bad-size: mmap size must be larger than 0, e.g. mmap C 4K',
      '4:1-25 error limit-exceeded: mmap size 2048G is over the limit of 1024G per mapping',
    ]);
  });
  it('write bytes', () => expect(diagsWith('P0: write A 256')).toEqual(['3:1-16 error bad-byte: byte 256 is out of range; write a value from 0 to 255 (0x00 to 0xff)']));
  it('THP sizes, memory and swap', () => {
    expect(diags('thp 8K=always 2M=never 48K=always 4M=never 2M=always\nmemory 5000\nswap 128G\nP0: exit')).toEqual([
      '1:5-14 error bad-thp-size: THP size 8K is not a power of two from 16K to 2M; valid sizes: 16K, 32K, 64K, 128K, 256K, 512K, 1M, 2M',
      '1:24-34 error bad-thp-size: THP size 48K is not a power of two from 16K to 2M; valid sizes: 16K, 32K, 64K, 128K, 256K, 512K, 1M, 2M',
      '1:35-43 error bad-thp-size: THP size 4M is not a power of two from 16K to 2M; valid sizes: 16K, 32K, 64K, 128K, 256K, 512K, 1M, 2M',
      '1:44-53 error duplicate-thp-size: THP size 2M is set twice on this line; give each size one mode',
      '2:1-12 error bad-size: memory size 5000 is not a multiple of the page size 4K; write 8K',
      '3:1-10 error limit-exceeded: swap 128G is over the limit of 64G',
    ]);
  });
});

describe('checker: policies and expectations', () => {
  it('unknown policy ids list every valid one', () => {
    expect(diags('policies v6.8 ideal\nP0: exit')).toEqual([
      `1:10-14 error unknown-policy: unknown policy "v6.8" (did you mean "v6.7"?); expected one of ${ALL_POLICIES.join(', ')}`,
    ]);
  });
  it('an expectation for a policy that is not run is a warning', () => {
    expect(diags('policies v6.7\nexpect pgfault == 0 for v6.9 v6.7\nexpect pgfault == 0 for v7')).toEqual([
      "2:25-29 warning policy-not-run: v6.9 is not in this scenario's policies (line 1); this expectation is only checked when a run selects v6.9",
      `3:25-27 error unknown-policy: unknown policy "v7"; expected one of ${ALL_POLICIES.join(', ')}`,
    ]);
  });
  it('processes and mappings must exist at the end', () => {
    expect(diagsWith('P0: fork P1\nP1: exit\nexpect P1.pgfault == 0\nexpect P2.pgfault == 0\nexpect P1 A.present == true\nexpect P0 C.present == true')).toEqual([
      '6:8-10 error unknown-process: no process "P2" in this scenario; processes: P0, P1',
      '7:8-10 error process-exited: process P1 exited at line 4, so it has no pages to inspect after the run; expect on its counters instead (P1.pgfault)',
      '8:11-12 error unknown-mapping: P0 has no mapping "C"; its mappings here: A, B',
    ]);
  });
  it('types: booleans compare with == and != against booleans', () => {
    expect(diagsWith('expect P0 A.writable < true\nexpect P0 A.present == 1\nexpect P0 A.order < 9\nexpect P0 A[0].data == 300\nexpect 1 == 1')).toEqual([
      '3:8-28 error bool-ordering: "<" does not order true/false values; use == or !=',
      '4:8-25 error type-mismatch: present is true or false but 1 is a number; compare a true/false value with true or false',
      '6:24-27 warning out-of-range-value: data is one byte (0 to 255), so it is never 300',
      '7:8-14 warning constant-condition: both sides are constants, so this expectation does not look at the run',
    ]);
  });
  it('paired page ranges need the same length', () => {
    expect(diagsWith('P0: fork P1\nexpect P0 A[0..4].pfn == P1 A[0..8].pfn\nexpect P0 A[0..4].pfn == P1 A[4..8].pfn')).toEqual([
      '4:8-40 error range-length-mismatch: the two ranges have 4 and 8 pages; page properties are compared page by page, so both sides need the same number of pages',
    ]);
  });
});

describe('checker: an empty file', () => {
  it('warns that there is nothing to run, at 1:1', () => {
    const want = '1:1-1 warning empty-scenario: nothing to run: the file has no steps and no expectations (empty); a scenario starts with a step such as "P0: mmap A 4K"';
    for (const src of ['', '\n\n  \n', '# only a comment\n', 'scenario "header only"\npolicies v6.7']) expect(diags(src)).toEqual([want]);
  });
  it('not when there is a step, an expectation, or an error already reported', () => {
    expect(diags('P0: exit')).toEqual([]);
    expect(diags('expect pgfault == 0')).toEqual([]);
    expect(diags('P0: mmap A 2m').map((d) => d.split(' ')[2])).toEqual(['bad-size:']);
    expect(diags('policies v6.8').map((d) => d.split(' ')[2])).toEqual(['unknown-policy:']);
  });
});

describe('checker: API', () => {
  it('analyze sorts parse and check diagnostics together by position', () => {
    const d = analyze('P0: write X\nP0: mmap A 2m\nP9: exit', 't').diagnostics;
    expect(d.map((x) => x.line)).toEqual([1, 2, 3]);
  });
  it('checkScenario works on a parsed scenario and never throws on a broken AST', () => {
    expect(checkScenario(parseScenario(SPEC_EXAMPLE, 'x').scenario)).toEqual([]);
    expect(() => checkScenario({ steps: null } as never)).not.toThrow();
    expect(checkScenario({ steps: null } as never)[0].code).toBe('internal-error');
  });
  it('scopeAt gives the processes and mappings before a line', () => {
    const s = parseScenario('P0: mmap A 2M\nP0: fork P1\nP1: mmap B 4K\nP1: exit\nP0: read A', 'x').scenario;
    expect([...scopeAt(s, 3).processes.keys()]).toEqual(['P0', 'P1']);
    expect([...scopeAt(s, 3).processes.get('P1')!.mappings.keys()]).toEqual(['A']);
    expect([...scopeAt(s, 4).processes.get('P1')!.mappings.keys()]).toEqual(['A', 'B']);
    expect(scopeAt(s, 5).processes.get('P1')!.alive).toBe(false);
  });
  it('parses and checks 100,000 lines well under a second', () => {
    const lines = ['P0: mmap A 64M', 'P0: madvise A hugepage'];
    for (let i = 0; lines.length < 100_000; i++) {
      lines.push(i % 3 === 0 ? `P0: write A[${i % 16384}]  # step ${i}` : i % 3 === 1 ? `P0: read A[${i % 100}..${(i % 100) + 8}]` : `P0: mprotect A[1M..2M] ${i % 2 ? 'ro' : 'rw'}`);
    }
    const src = lines.join('\n');
    // CPU time, best of three: other work on a busy machine must not decide the figure.
    let ms = Infinity;
    let r = analyze(src, 'big');
    for (let k = 0; k < 3; k++) {
      const c0 = process.cpuUsage();
      r = analyze(src, 'big');
      const c = process.cpuUsage(c0);
      ms = Math.min(ms, (c.user + c.system) / 1000);
    }
    expect(r.diagnostics).toEqual([]);
    expect(r.scenario.steps).toHaveLength(100_000);
    expect(ms).toBeLessThan(1000);
  });
});

describe('checker: the remaining error kinds', () => {
  it('pipes released twice, closed as pins, duplicate policies, too many processes', () => {
    expect(diagsWith('P0: vmsplice A as Y\nP0: close Y\nP0: close Y\nP0: pin A ro as Z\nP0: close Z')).toEqual([
      '5:11-12 error pipe-released: pipe Y was already released at line 4; close it only once',
      '7:11-12 error not-a-pipe: Z is a pin (line 6), not a pipe; unpin Z releases it',
    ]);
    expect(diags('policies v6.7 v6.7\nP0: exit')).toEqual(['1:15-19 warning duplicate-policy: policy v6.7 is listed twice; it runs once']);
    const forks = Array.from({ length: 4096 }, (_, i) => `P0: fork C${i}`).join('\n');
    expect(diags(forks)).toEqual(['4096:10-15 error limit-exceeded: too many processes; the limit is 4096']);
  });
});

describe('checker: hostile input stays fast', () => {
  it('one mistake repeated 50,000 times among 2,000 processes', () => {
    const forks = Array.from({ length: 2000 }, (_, i) => `P0: fork C${i}`);
    const src = [...forks, ...Array.from({ length: 50_000 }, (_, i) => (i % 2 ? 'Px: exit' : 'P0: read Q'))].join('\n');
    const c0 = process.cpuUsage();
    const d = analyze(src, 'hostile').diagnostics;
    const c = process.cpuUsage(c0);
    expect(d).toHaveLength(50_000);
    expect(d[0].message).toMatch(/^P0 has no mapping "Q"; its mappings here: none$/);
    expect(d[1].message).toMatch(/alive here: P0, C0, C1, .* and 1989 more$/);
    expect((c.user + c.system) / 1000).toBeLessThan(2000);
  });
});
