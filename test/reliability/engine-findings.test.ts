// Reproducers of the engine faults the fuzz job found (docs/engine-findings.md,
// "Reliability findings"), shrunk by scripts/fuzz-engine.mjs. Each fails until
// the engine is fixed, then guards the fix.
import { describe, expect, it } from 'vitest';
import { ALL_POLICIES } from '../../core/lang/ast';
import { analyze } from '../../core/lang/checker';
import { runScenario } from '../../core/mm/index';

function runClean(source: string) {
  const { scenario, diagnostics } = analyze(source, 'finding.mms');
  expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return ALL_POLICIES.map((p) => runScenario(scenario, p));
}

describe('engine findings from the fuzz job', () => {
  it('F4: out of memory during fork leaves no half-copied child to blame (no violation)', () => {
    const runs = runClean(`memory 8M
P0: mmap A 6M
P0: write A 127
P0: pin A rw as X
P0: fork C
`);
    for (const r of runs) {
      expect(r.stopped?.reason, r.policy).toBe('out-of-memory');
      expect(r.stopped?.atStep, r.policy).toBe(3);
      expect(r.violations.map((v) => v.message).slice(0, 3), r.policy).toEqual([]);
    }
  });

  it('F5: pinned pages dropped by the process itself (MADV_DONTNEED) are not a kernel violation', () => {
    const runs = runClean(`P0: mmap M 32K
P0: pin M[0..3] ro as X
P0: madvise M dontneed
P0: read M[2..]
`);
    for (const r of runs) expect(r.violations.map((v) => v.message), r.policy).toEqual([]);
  });

  it('F6: a write to a folio left in the swapcache reaches swap at the next pageout (no lost write)', () => {
    const runs = runClean(`P0: mmap B 16K
P0: write B[0..3] 3
P0: pin B[0..3] ro as X
P0: madvise B pageout
P0: unpin X
P0: write B 5
P0: madvise B pageout
P0: read B
expect P0 B.data == 5
`);
    for (const r of runs) {
      expect(r.violations.map((v) => v.message), r.policy).toEqual([]);
      expect(r.expectations.map((e) => [e.text, e.passed, e.actual]), r.policy).toEqual([['P0 B.data == 5', true, 5]]);
    }
  });
});
