// fast-check arbitraries that produce valid scenario text (every statement
// form), for the round-trip and fuzz tests.
import fc from 'fast-check';
import { ADVICES, ALL_POLICIES, GLOBAL_COUNTERS, PAGE_PROPERTIES, PROCESS_COUNTERS } from '../../core/lang/ast';

const size = fc.constantFrom('4K', '8K', '64K', '1M', '2M', '2MB', '4096', '1G');
const page = fc.integer({ min: 0, max: 600 });
const mapping = fc.constantFrom('A', 'B', 'buf');
const proc = fc.constantFrom('P0', 'P1', 'child');
const range = fc.oneof(
  mapping,
  fc.tuple(mapping, page).map(([m, i]) => `${m}[${i}]`),
  fc.tuple(mapping, page, page).map(([m, i, j]) => `${m}[${i}..${j}]`),
  fc.tuple(mapping, page).map(([m, i]) => `${m}[${i}..]`),
  fc.tuple(mapping, page).map(([m, i]) => `${m}[..${i}]`),
  fc.tuple(mapping, fc.integer({ min: 0, max: 64 })).map(([m, i]) => `${m}[${i * 4}K..]`),
);
const prot = fc.constantFrom('rw', 'ro', 'none');
const step = fc.tuple(
  proc,
  fc.oneof(
    fc.tuple(mapping, size, fc.option(prot)).map(([m, s, p]) => `mmap ${m} ${s}${p ? ` ${p}` : ''}`),
    range.map((r) => `munmap ${r}`),
    fc.tuple(range, prot).map(([r, p]) => `mprotect ${r} ${p}`),
    fc.tuple(range, fc.constantFrom(...ADVICES)).map(([r, a]) => `madvise ${r} ${a}`),
    fc.tuple(range, mapping).map(([r, m]) => `mremap ${r} ${m}2`),
    range.map((r) => `read ${r}`),
    fc.tuple(range, fc.option(fc.integer({ min: 0, max: 255 }))).map(([r, b]) => `write ${r}${b === null ? '' : ` ${b}`}`),
    proc.map((p) => `fork ${p}`),
    fc.constant('exit'),
    fc.tuple(range, fc.constantFrom('ro', 'rw'), fc.constantFrom('X', 'pinned')).map(([r, m, n]) => `pin ${r} ${m} as ${n}`),
    fc.constantFrom('X', 'pinned').map((n) => `unpin ${n}`),
    fc.tuple(range, fc.constantFrom('pipe', 'Y')).map(([r, n]) => `vmsplice ${r} as ${n}`),
    fc.constantFrom('pipe', 'Y').map((n) => `close ${n}`),
    range.map((r) => `split ${r}`),
    fc.constant('clear-soft-dirty'),
  ),
).map(([p, o]) => `${p}: ${o}`);
const value = fc.oneof(
  fc.integer({ min: 0, max: 100000 }).map(String),
  size,
  fc.constantFrom('true', 'false'),
  fc.constantFrom(...GLOBAL_COUNTERS),
  fc.tuple(proc, fc.constantFrom(...PROCESS_COUNTERS)).map(([p, c]) => `${p}.${c}`),
  fc.tuple(proc, range, fc.constantFrom(...PAGE_PROPERTIES)).map(([p, r, x]) => `${p} ${r}.${x}`),
);
const policy = fc.constantFrom(...ALL_POLICIES);
const expectation = fc
  .tuple(value, fc.constantFrom('==', '!=', '<', '<=', '>', '>='), value, fc.option(fc.array(policy, { minLength: 1, maxLength: 3 })))
  .map(([l, op, r, ps]) => `expect ${l} ${op} ${r}${ps ? ` for ${ps.join(' ')}` : ''}`);
const comment = fc.constantFrom('', '', '', '  # note', ' # why: "quoted" [x]');
const header = fc.tuple(
  fc.option(fc.string({ maxLength: 20 }).map((t) => `scenario "${t.replace(/[\\"]/g, (c) => `\\${c}`).replace(/[\r\n]/g, ' ')}"`)),
  fc.option(fc.array(policy, { minLength: 1, maxLength: 4 }).map((ps) => `policies ${ps.join(' ')}`)),
  fc.option(fc.constantFrom('thp 2M=madvise', 'thp 64K=always 2M=never', 'thp 16K=never')),
  fc.option(fc.constantFrom('memory 4G', 'memory 512M')),
  fc.option(fc.constantFrom('swap 0', 'swap 1G')),
);

/** Valid-syntax scenario text (names need not resolve). */
export function scenarioSource(): fc.Arbitrary<string> {
  return fc
    .tuple(
      fc.option(fc.constant('# what this shows')),
      header,
      fc.array(fc.tuple(step, comment, fc.boolean()), { maxLength: 25 }),
      fc.array(fc.tuple(expectation, comment), { maxLength: 6 }),
    )
    .map(([top, h, steps, expects]) => {
      const lines: string[] = [];
      if (top) lines.push(top);
      for (const d of h) if (d) lines.push(d);
      for (const [s, c, blank] of steps) {
        if (blank) lines.push('');
        lines.push(`${s}${c}`);
      }
      for (const [e, c] of expects) lines.push(`${e}${c}`);
      return lines.join('\n');
    });
}
