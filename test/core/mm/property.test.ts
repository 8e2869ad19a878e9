// Property: random sequences of operations on random processes never break a
// kernel invariant, never produce a violation under the correct policies, and
// never make the engine throw (kernel-semantics 0.1; engine-model.md oracle).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { PolicyId } from '../../../core/lang/ast';
import { runScenario } from '../../../core/mm/index';
import { scenario } from './helpers';

const OPS = ['write', 'write', 'write', 'read', 'fork', 'fork', 'exit', 'mprotect', 'dontneed', 'pageout', 'collapse', 'dontfork', 'dofork', 'wipeonfork', 'pin', 'unpin', 'vmsplice', 'close', 'split', 'clear-soft-dirty', 'mremap', 'munmap', 'nohugepage'] as const;

const opArb = fc.record({
  op: fc.constantFrom(...OPS),
  actor: fc.nat(7),
  map: fc.nat(1),
  start: fc.nat(600),
  len: fc.integer({ min: 1, max: 600 }),
  flag: fc.boolean(),
  byte: fc.integer({ min: 1, max: 255 }),
});
type Op = typeof opArb extends fc.Arbitrary<infer T> ? T : never;

/** Turn random descriptors into a scenario that mostly makes sense (errors are allowed). */
function compile(ops: Op[], thp: string): string {
  const lines = [thp, 'P0: mmap A 2M', 'P0: madvise A hugepage', 'P0: mmap B 64K', 'P0: write A 1', 'P0: write B 2'];
  const alive = ['P0'];
  const sizes: Record<string, number> = { A: 512, B: 16 };
  const maps = ['A', 'B'];
  const pins: string[] = [];
  const pipes: string[] = [];
  let n = 1;
  for (const o of ops) {
    const who = alive[o.actor % alive.length];
    const m = maps[o.map % maps.length];
    const size = sizes[m];
    const s = o.start % size;
    const e = Math.min(size, s + (o.len % 64) + 1);
    const r = `${m}[${s}..${e}]`;
    switch (o.op) {
      case 'write':
        lines.push(`${who}: write ${r}${o.flag ? '' : ` ${o.byte}`}`);
        break;
      case 'read':
        lines.push(`${who}: read ${r}`);
        break;
      case 'fork': {
        if (alive.length >= 6) break;
        const c = `P${n++}`;
        lines.push(`${who}: fork ${c}`);
        alive.push(c);
        break;
      }
      case 'exit':
        if (alive.length === 1) break;
        lines.push(`${who}: exit`);
        alive.splice(alive.indexOf(who), 1);
        break;
      case 'mprotect':
        lines.push(`${who}: mprotect ${r} ${o.flag ? 'ro' : 'rw'}`);
        break;
      case 'dontneed':
      case 'pageout':
      case 'collapse':
      case 'dontfork':
      case 'dofork':
      case 'wipeonfork':
      case 'nohugepage':
        lines.push(`${who}: madvise ${o.op === 'collapse' ? m : r} ${o.op}`);
        break;
      case 'pin': {
        const name = `pin${pins.length}`;
        pins.push(name);
        lines.push(`${who}: pin ${r} ${o.flag ? 'rw' : 'ro'} as ${name}`);
        break;
      }
      case 'unpin':
        if (pins.length > 0) lines.push(`${who}: unpin ${pins.splice(o.start % pins.length, 1)[0]}`);
        break;
      case 'vmsplice': {
        const name = `pipe${pipes.length}`;
        pipes.push(name);
        lines.push(`${who}: vmsplice ${r} as ${name}`);
        break;
      }
      case 'close':
        if (pipes.length > 0) lines.push(`${who}: close ${pipes.splice(o.start % pipes.length, 1)[0]}`);
        break;
      case 'split':
        lines.push(`${who}: split ${r}`);
        break;
      case 'clear-soft-dirty':
        lines.push(`${who}: clear-soft-dirty`);
        break;
      case 'mremap': {
        const name = `M${maps.length}`;
        lines.push(`${who}: mremap ${r} ${name}`);
        maps.push(name);
        sizes[name] = e - s;
        break;
      }
      case 'munmap':
        lines.push(`${who}: munmap ${r}`);
        break;
    }
  }
  return lines.join('\n');
}

const THP_SETTINGS = ['thp 2M=madvise', 'thp 2M=always 64K=always', 'thp 2M=never 16K=always'];

const seen = { steps: 0, errors: 0, faults: 0, copies: 0, reuses: 0, forkCopies: 0, swapouts: 0, splits: 0 };

function check(policy: PolicyId, ops: Op[], thpIdx: number): void {
  const src = compile(ops, THP_SETTINGS[thpIdx]);
  const r = runScenario(scenario(src), policy);
  seen.steps += r.steps.length;
  seen.errors += r.steps.filter((s) => s.error).length;
  seen.faults += r.counters.pgfault;
  seen.copies += r.counters.cow_copies;
  seen.reuses += r.counters.pgreuse;
  seen.forkCopies += r.counters.fork_copies;
  seen.swapouts += r.counters.pswpout;
  seen.splits += r.counters.thp_split_pmd;
  const ctx = `${policy}\n${src}`;
  expect(r.stopped, ctx).toBeUndefined();
  expect(r.invariants, ctx).toEqual([]);
  expect(r.violations, ctx).toEqual([]);
  expect(r.steps.filter((s) => s.error?.includes('internal engine error')), ctx).toEqual([]);
}

describe('random operation sequences', () => {
  for (const policy of ['v6.7', 'v6.9', 'v6.15', 'ideal'] as PolicyId[]) {
    it(`${policy}: no invariant failure, no violation, no exception`, () => {
      fc.assert(
        fc.property(fc.array(opArb, { minLength: 1, maxLength: 40 }), fc.nat(2), (ops, thp) => check(policy, ops, thp)),
        { numRuns: 200, seed: 20261127 },
      );
    });
  }

  it('the generator exercises the interesting paths', () => {
    // Guards against a generator that only produces refused steps.
    expect(seen.errors).toBeLessThan(seen.steps / 3);
    for (const k of ['copies', 'reuses', 'forkCopies', 'swapouts', 'splits'] as const) expect(seen[k], k).toBeGreaterThan(0);
  });

  it('rmapid: no exception and no engine-bug invariant (its own defects need >= 128 mms)', () => {
    fc.assert(
      fc.property(fc.array(opArb, { minLength: 1, maxLength: 40 }), fc.nat(2), (ops, thp) => {
        const src = compile(ops, THP_SETTINGS[thp]);
        const r = runScenario(scenario(src), 'rmapid');
        expect(r.invariants.filter((i) => !i.policyDefect), src).toEqual([]);
        expect(r.violations, src).toEqual([]);
      }),
      { numRuns: 100, seed: 7 },
    );
  });
});
