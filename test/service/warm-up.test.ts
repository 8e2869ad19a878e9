// The engine warm-up: a valid scenario that runs clean under every built-in
// policy through the paths it means to warm, one policy per slice.
import { describe, expect, it } from 'vitest';
import { BUILTIN_POLICIES } from '../../core/lang/ast';
import { analyze } from '../../core/lang/checker';
import { runScenario } from '../../core/mm/index';
import { WARM_UP_SCENARIO, warmUpEngine } from '../../core/service/warm-up';

describe('engine warm-up', () => {
  it('is a clean scenario that copies with the child alive and reuses or copies after it exits', () => {
    const { scenario, diagnostics } = analyze(WARM_UP_SCENARIO, 'warm-up.mms');
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    for (const policy of BUILTIN_POLICIES) {
      const r = runScenario(scenario, policy);
      expect(r.stopped).toBeUndefined();
      expect(r.steps.every((s) => !s.error)).toBe(true);
      expect(r.counters.violations).toBe(0);
      expect(r.counters.cow_copies).toBeGreaterThanOrEqual(512); // the 2 MiB written with the child alive
    }
    // After the child exits, the rmap-ID and MM-owner policies reuse the PTE-mapped THPs.
    expect(runScenario(scenario, 'v6.15').counters.pgreuse).toBeGreaterThan(0);
    expect(runScenario(scenario, 'rmapid').counters.pgreuse).toBeGreaterThan(0);
  });

  it('runs one policy per slice and then stops scheduling', () => {
    const slices: (() => void)[] = [];
    warmUpEngine((s) => slices.push(s));
    let ran = 0;
    while (slices.length) {
      slices.shift()!();
      ran++;
    }
    expect(ran).toBe(BUILTIN_POLICIES.length + 1); // the last slice finds nothing left
  });
});
