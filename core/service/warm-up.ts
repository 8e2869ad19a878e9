// JIT warm-up of a fresh engine (a Web Worker or an engine process): a small
// run of the hot paths (PTE-mapped THP, fork, COW copy with the child alive,
// exit, COW reuse) under every built-in policy, one policy per task so a
// request that arrives meanwhile waits for one slice (~50 ms) at most.
// Measured in Node: the first 1 GiB run of four policies took 1.2 s cold,
// 0.54 s right after a 16 MiB warm-up of this kind, and 0.70-0.88 s when it
// came 1 s after this warm-up; in Chromium the first v6.7 run took 0.39 s
// instead of 0.50 s.

import { BUILTIN_POLICIES } from '../lang/ast';
import { analyze } from '../lang/checker';
import { createSession } from '../mm/index';
import type { Session } from '../mm/api';

const THPS = 8;

export const WARM_UP_SCENARIO = [
  'scenario "engine warm-up"',
  'thp 2M=madvise',
  'P0: mmap A 16M',
  'P0: madvise A hugepage',
  'P0: write A 1',
  // cow.c's recipe: an mprotect over one page splits each PMD into PTEs.
  ...Array.from({ length: THPS }, (_, i) => [`P0: mprotect A[${i * 512 + 1}] ro`, `P0: mprotect A[${i * 512 + 1}] rw`]).flat(),
  'P0: fork P1',
  'P0: write A[..2M] 2',
  'P1: exit',
  'P0: write A 3',
  '',
].join('\n');

/**
 * The warm-up's engines, kept for good. The engine classes' hidden classes
 * (maps) die with their last instance, and V8 then drops every optimised
 * function that checked them: after a 1 s pause with no engine alive, a 64 MiB
 * write ran at 2.7-4.5 us per fault, and at 0.14-0.16 with one engine kept
 * (Node 20). Four small engines (about 7 MB with their results) keep the maps and that code.
 */
const kept: Session[] = [];

/** Runs the warm-up one policy per `next` callback (default: a zero-delay timer). */
export function warmUpEngine(next: (slice: () => void) => void = (slice) => void setTimeout(slice, 0)): void {
  const { scenario } = analyze(WARM_UP_SCENARIO, 'warm-up.mms');
  const policies = [...BUILTIN_POLICIES];
  kept.length = 0;
  const slice = () => {
    const policy = policies.shift();
    if (policy === undefined) return;
    kept.push(createSession(scenario, policy));
    next(slice);
  };
  next(slice);
}
