// The engine fuzz sample in npm test: 300 seeded random operation sequences
// (scripts/fuzz-engine.mjs runs 100,000+ of the same kind). Each goes through
// analyze() and runScenario() under every policy; see engine-cases.ts for what
// is asserted. A failure prints its reproducer shrunk to the steps it needs.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ADVICES, ALL_POLICIES } from '../../core/lang/ast';
import { analyze } from '../../core/lang/checker';
import { checkCase, checkViews, generateScenario, mulberry32, notOneSentence, shrinkCase, signature } from './engine-cases';

describe('engine fuzz: random operation sequences under every policy', () => {
  it('300 seeded sequences: nothing escapes, no invariant failure, no violation, one-sentence errors', () => {
    fc.assert(
      fc.property(fc.integer(), (seed) => {
        const src = generateScenario(mulberry32(seed));
        const problems = checkCase(src);
        if (problems.length === 0) return true;
        const first = problems[0];
        throw new Error(`${first.kind}${first.policy ? ` under ${first.policy}` : ''}: ${first.detail}\nshrunk reproducer:\n${shrinkCase(src, first)}`);
      }),
      { seed: 20261127, numRuns: 300, endOnFailure: true },
    );
  });

  it('100 seeded sequences through sessions (time travel): deterministic, every query answers, pages read what POSIX says', () => {
    const r = mulberry32(20261128);
    for (let i = 0; i < 100; i++) {
      const src = generateScenario(r);
      const policy = ALL_POLICIES[i % ALL_POLICIES.length];
      expect(checkViews(src, policy, r), `${policy}\n${src}`).toEqual([]);
    }
  });

  it('the generator covers every operation, every advice, THP sizes, bad ranges and exited actors', () => {
    const r = mulberry32(7);
    const all = Array.from({ length: 300 }, () => generateScenario(r)).join('\n');
    for (const op of ['mmap', 'munmap', 'mprotect', 'mremap', 'read', 'write', 'fork', 'exit', 'pin', 'unpin', 'vmsplice', 'close', 'split', 'clear-soft-dirty']) {
      expect(signature(all)).toContain(op);
    }
    for (const advice of ADVICES) expect(signature(all)).toContain(`madvise:${advice}`);
    expect(all).toMatch(/mmap \w+ 2048K/); // THP-sized
    expect(all).toMatch(/memory 8M/);
    // Deliberately wrong steps: the checker reports out-of-range ranges and exited actors in some cases.
    const codes = new Set<string>();
    const r2 = mulberry32(8);
    for (let i = 0; i < 300; i++) for (const d of analyze(generateScenario(r2), 'g.mms').diagnostics) codes.add(d.code);
    expect(codes).toContain('range-outside-mapping');
    expect(codes).toContain('process-exited');
  });

  it('notOneSentence accepts a syscall error and rejects stacks and several lines', () => {
    expect(notOneSentence('mprotect: ENOMEM: A[9..10] is outside the mapping (4 pages)')).toBeNull();
    expect(notOneSentence('boom\n    at f (x.ts:1:2)')).not.toBeNull();
    expect(notOneSentence('internal error at Engine.run (/work/main/core/mm/engine.ts:12:5)')).not.toBeNull();
    expect(notOneSentence('')).not.toBeNull();
  });
});
