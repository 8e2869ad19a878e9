// The example library (examples/**/*.mms) as a test suite: every scenario
// parses and checks cleanly, opens with a comment that says what it shows,
// and passes every expectation with no violation under each policy it names.
// The cow.c matrix (examples/cow) must be exactly what its generator prints,
// and docs/examples.md must index every file.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { BUILTIN_POLICIES, type PolicyId, type Scenario } from '../core/lang/ast';
import { analyze } from '../core/lang/checker';
import type { RunResult } from '../core/mm/api';
import { runScenario } from '../core/mm/index';

const root = join(__dirname, '..');
const examplesDir = join(root, 'examples');
const cowDir = join(examplesDir, 'cow');

function mmsFiles(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) return mmsFiles(p);
      return name.endsWith('.mms') ? [p] : [];
    });
}

const files = mmsFiles(examplesDir).map((path) => ({ path, rel: relative(root, path) }));

/**
 * Steps the kernel refuses on purpose (the scenario shows that it does): their
 * trailing comment is `# fails: ERRNO ...`. Such a step must fail with that
 * errno, and no other step may fail. Line -> errno.
 */
function expectedFailures(scenario: Scenario): Map<number, string> {
  const out = new Map<number, string>();
  for (const c of scenario.comments) {
    const m = c.trailing ? /^#\s*fails:\s*(E[A-Z]+)\b/.exec(c.text) : null;
    if (m) out.set(c.line, m[1]);
  }
  return out;
}

/** What went wrong in one run, as readable lines (empty when the run is clean). */
function problems(r: RunResult, mustFail: Map<number, string>): string[] {
  return [
    ...(r.stopped ? [`stopped at step ${r.stopped.atStep}: ${r.stopped.message}`] : []),
    ...r.steps
      .filter((s) => (mustFail.has(s.line) ? !new RegExp(`\\b${mustFail.get(s.line)}\\b`).test(s.error ?? '') : s.error))
      .map((s) => `line ${s.line}: ${s.text}: ${s.error ?? 'succeeded'}${mustFail.has(s.line) ? `, expected ${mustFail.get(s.line)}` : ''}`),
    ...r.expectations.filter((e) => !e.passed).map((e) => `line ${e.line}: expect ${e.text}: actual ${e.actual}${e.message ? ` (${e.message})` : ''}`),
    ...r.violations.map((v) => `line ${v.line}: ${v.kind} violation in ${v.process}: ${v.message}`),
    ...r.invariants.map((i) => `line ${i.line}: invariant ${i.invariant}${i.policyDefect ? ' (policy defect)' : ''}: ${i.message}`),
  ];
}

describe('example library', () => {
  it('holds the cow.c matrix and the hand-written scenarios', () => {
    expect(files.filter((f) => f.rel.startsWith('examples/cow/')).length).toBeGreaterThanOrEqual(100);
    expect(files.filter((f) => !f.rel.startsWith('examples/cow/')).length).toBeGreaterThanOrEqual(10);
  });

  for (const { path, rel } of files) {
    describe(rel, () => {
      const source = readFileSync(path, 'utf8');
      const { scenario, diagnostics } = analyze(source, rel);
      const policies = (scenario.header.policies?.ids.map((n) => n.text) ?? []) as PolicyId[];

      it('starts with a comment that says what it demonstrates', () => {
        const first = source.split('\n')[0];
        expect(first).toMatch(/^# \S.{30,}/);
      });

      it('parses and checks with no diagnostics', () => {
        expect(diagnostics.map((d) => `${rel}:${d.line}:${d.col}: ${d.severity}: ${d.message}`)).toEqual([]);
      });

      it('names built-in policies and has expectations', () => {
        expect(policies.length).toBeGreaterThan(0);
        for (const p of policies) expect(BUILTIN_POLICIES).toContain(p);
        expect(scenario.expectations.length).toBeGreaterThan(0);
        expect(scenario.expectations.some((e) => e.text.replace(/\s+/g, ' ') === 'violations == 0')).toBe(true);
      });

      it.each(policies)('passes every expectation with no violation under %s', (policy) => {
        const r = runScenario(scenario, policy);
        expect(r.policy).toBe(policy);
        expect(r.expectations.length).toBe(scenario.expectations.filter((e) => !e.policies || e.policies.some((n) => n.text === policy)).length);
        expect(problems(r, expectedFailures(scenario))).toEqual([]);
        expect(r.counters.violations).toBe(0);
        expect(r.passed).toBe(true);
      });
    });
  }
});

describe('cow.c matrix generator (examples/cow/generate.mjs)', () => {
  it('the committed scenarios are exactly its output', async () => {
    const gen = (await import(pathToFileURL(join(cowDir, 'generate.mjs')).href)) as {
      generate(): Map<string, string>;
      GENERATED_NAME: RegExp;
    };
    const generated = gen.generate();
    const committed = readdirSync(cowDir).filter((f) => gen.GENERATED_NAME.test(f));
    expect(committed.sort()).toEqual([...generated.keys()].sort());
    for (const [name, text] of generated) expect(readFileSync(join(cowDir, name), 'utf8'), name).toBe(text);
  });

  it('covers 11 anonymous cases x 16 backings, 4 collapse cases and 2 cases x 2 zeropages', async () => {
    const gen = (await import(pathToFileURL(join(cowDir, 'generate.mjs')).href)) as { generate(): Map<string, string> };
    const names = [...gen.generate().keys()];
    const backings = new Set(names.filter((n) => !n.startsWith('collapse-') && !n.startsWith('non-anon-')).map((n) => n.split('--')[1]));
    const cases = new Set(names.map((n) => n.split('--')[0]));
    expect(backings.size).toBe(16);
    expect(cases.size).toBe(11 + 4 + 2);
    expect(names.length).toBe(11 * 16 + 4 + 2 * 2);
  });
});

describe('docs/examples.md', () => {
  const index = readFileSync(join(root, 'docs', 'examples.md'), 'utf8');

  it('lists every hand-written example and every cow.c case and backing', () => {
    for (const { rel } of files) {
      if (rel.startsWith('examples/cow/')) {
        const [caseId, backing] = rel.slice('examples/cow/'.length, -'.mms'.length).split('--');
        expect(index, rel).toContain(`\`${caseId}\``);
        expect(index, rel).toContain(`\`${backing}\``);
      } else {
        expect(index, rel).toContain(rel.slice('examples/'.length));
      }
    }
  });
});
