// Fuzzing of the language front end, shared by test/lang/fuzz.test.ts (a few
// thousand cases in npm test) and scripts/fuzz.mjs (100,000+ cases):
// inputs are random text or valid scenarios mutated at the character, token
// and line level; every input must parse and check without throwing, every
// diagnostic must point inside the text, and an input without errors must
// survive the formatter unchanged in meaning.
import { analyze } from '../../core/lang/checker';
import { sameScenario } from '../../core/lang/compare';
import { formatScenario } from '../../core/lang/format';
import { parseScenario, splitLines } from '../../core/lang/parser';

export type Rand = () => number;

/** Small seeded PRNG (mulberry32), so a failing case can be replayed from its seed. */
export function mulberry32(seed: number): Rand {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const int = (r: Rand, n: number) => Math.floor(r() * n);
const pick = <T>(r: Rand, xs: readonly T[]): T => xs[int(r, xs.length)];

const INTERESTING = ['[', ']', '..', ':', '.', '#', '"', '\\', '=', '==', '<', '-', ',', ' ', '\t', '\n', '\r', '\r\n', '\0', '\ufeff', '\ud800', '\u00e9', '😀', '0x', '4K', '2M', '99999999999999999999', 'P1', 'A', 'for', 'expect', 'exit', 'fork', 'as'];
const TOKENS = ['P0:', 'P1:', 'mmap', 'A', 'B', '2M', '4K', 'write', 'read', 'fork', 'P1', 'exit', 'madvise', 'hugepage', 'pin', 'ro', 'rw', 'as', 'X', 'unpin', 'vmsplice', 'close', 'A[1]', 'A[0..4]', 'A[4..]', 'A[..2M]', 'expect', '==', '<', 'for', 'v6.7', 'v6.15', 'rmapid', 'ideal', 'P0.pgfault', 'P0 A.present', 'true', 'mem.used', 'scenario', '"t"', 'policies', 'thp', '2M=always', 'memory', 'swap', '0', 'clear-soft-dirty', 'split', 'mremap', 'munmap', 'mprotect', 'none'];

export const SEEDS = [
  `# PTE-mapped THP\nscenario "pte"\npolicies v6.7 v6.9 rmapid v6.15\nthp 2M=madvise\n\nP0: mmap A 2M\nP0: madvise A hugepage\nP0: write A   # fault\nP0: mprotect A[1] ro\nP0: mprotect A[1] rw\nP0: fork P1\nP1: exit\nP0: write A[5]\n\nexpect P0.cow_copies == 1 for v6.7 v6.9\nexpect P0 A[5].order == 9 for rmapid v6.15\nexpect violations == 0\n`,
  `memory 64M\nswap 0\nP0: mmap A 64K ro\nP0: mprotect A rw\nP0: write A[1..3] 0xff\nP0: pin A[0] ro as X\nP0: fork C\nC: vmsplice A[2] as pipe\nC: close pipe\nP0: unpin X\nP0: mremap A[8..] B\nP0: split B\nP0: clear-soft-dirty\nexpect P0 A[0..2].pfn != C A[0..2].pfn\nexpect mem.peak <= 1M\n`,
];

function mutateOnce(r: Rand, s: string): string {
  const at = int(r, s.length + 1);
  switch (int(r, 9)) {
    case 0: // delete a run of characters
      return s.slice(0, at) + s.slice(at + 1 + int(r, 8));
    case 1: // insert an interesting fragment
      return s.slice(0, at) + pick(r, INTERESTING) + s.slice(at);
    case 2: // insert a random code unit
      return s.slice(0, at) + String.fromCharCode(int(r, 0x10000)) + s.slice(at);
    case 3: { // replace a token with another
      const words = s.split(/(\s+)/);
      const i = int(r, words.length);
      if (!/\s/.test(words[i] ?? ' ')) words[i] = pick(r, TOKENS);
      return words.join('');
    }
    case 4: { // swap two tokens
      const words = s.split(' ');
      const i = int(r, words.length);
      const j = int(r, words.length);
      [words[i], words[j]] = [words[j], words[i]];
      return words.join(' ');
    }
    case 5: { // duplicate, drop or move a line
      const lines = s.split('\n');
      const i = int(r, lines.length);
      const op = int(r, 3);
      if (op === 0) lines.splice(i, 0, lines[int(r, lines.length)]);
      else if (op === 1) lines.splice(i, 1);
      else lines.splice(int(r, lines.length), 0, ...lines.splice(i, 1));
      return lines.join('\n');
    }
    case 6: // a line of random tokens
      return `${s}\n${Array.from({ length: 1 + int(r, 8) }, () => pick(r, TOKENS)).join(pick(r, [' ', '', '  ']))}`;
    case 7: // a long line now and then
      return r() < 0.05 ? s.slice(0, at) + pick(r, ['x', '#', '[', '9']).repeat(int(r, 30_000)) + s.slice(at) : s.slice(0, at) + pick(r, TOKENS) + s.slice(at);
    default: // random printable-ish noise
      return s.slice(0, at) + Array.from({ length: int(r, 6) }, () => String.fromCharCode(32 + int(r, 95))).join('') + s.slice(at);
  }
}

/** One fuzz input: mostly mutated seeds, sometimes pure random text. */
export function fuzzInput(r: Rand, seeds: readonly string[] = SEEDS): string {
  if (r() < 0.1) return Array.from({ length: int(r, 200) }, () => String.fromCharCode(int(r, 128))).join('');
  let s = pick(r, seeds);
  const n = 1 + int(r, 6);
  for (let k = 0; k < n; k++) s = mutateOnce(r, s);
  return s;
}

/** What is wrong with the front end's answer on `src` (empty = fine). */
export function checkInput(src: string): string[] {
  const problems: string[] = [];
  let result;
  try {
    result = analyze(src, 'fuzz.mms');
  } catch (e) {
    return [`analyze threw: ${e instanceof Error ? e.stack : String(e)}`];
  }
  const lines = splitLines(src);
  for (const d of result.diagnostics) {
    const len = lines[d.line - 1]?.length;
    const ok = Number.isInteger(d.line) && len !== undefined && d.endLine === d.line && d.col >= 1 && d.col <= len + 1 && d.endCol >= d.col && d.endCol <= len + 1;
    if (!ok) problems.push(`bad position ${d.line}:${d.col}-${d.endLine}:${d.endCol} (line length ${len}) for ${d.code}: ${d.message}`);
    if (!d.message || !d.code) problems.push(`empty message or code at ${d.line}:${d.col}`);
  }
  if (!result.diagnostics.some((d) => d.severity === 'error')) {
    try {
      const again = parseScenario(formatScenario(result.scenario), 'fuzz.mms');
      if (again.diagnostics.some((d) => d.severity === 'error')) problems.push(`formatted text does not parse: ${again.diagnostics[0].message}`);
      else if (!sameScenario(result.scenario, again.scenario)) problems.push('formatting changed the scenario');
    } catch (e) {
      problems.push(`format threw: ${e instanceof Error ? e.stack : String(e)}`);
    }
  }
  return problems;
}
