// `npm run fuzz` (second half): at least 100,000 random operation sequences
// through analyze() and the mm engine under every policy (the same cases as
// test/reliability/engine-fuzz.test.ts, many more of them). Fails when an
// exception escapes, an invariant breaks, a process sees another's data, or
// a step error is not one plain sentence; prints each failure shrunk to a
// short reproducer.
//   node scripts/fuzz-engine.mjs [--cases N] [--seed S] [--processes P] [--steps T]
import { build } from 'esbuild';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const arg = (name, dflt) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const cases = arg('--cases', 100_000);
const seed = arg('--seed', Date.now() % 1_000_000);
const gen = { maxAlive: arg('--processes', 6), maxSteps: arg('--steps', 32) };
const MAX_PRINTED = 25; // reproducers printed (the most frequent first)
const MAX_SHRINKS = 30; // per kind: each failing case is shrunk and keyed by the operations it still needs

const dir = mkdtempSync(join(tmpdir(), 'foliolab-fuzz-engine-'));
const bundle = join(dir, 'fuzz-engine.mjs');
await build({ entryPoints: [join(root, 'test/reliability/engine-cases.ts')], bundle: true, platform: 'node', format: 'esm', outfile: bundle, logLevel: 'warning' });
const { ALL_POLICIES, checkCase, checkViews, generateScenario, mulberry32, shrinkCase, signature } = await import(pathToFileURL(bundle).href);
rmSync(dir, { recursive: true, force: true });
const POLICIES = ALL_POLICIES.length;

const rand = mulberry32(seed);
const failures = new Map(); // kind + operations of the shrunk case -> first case, how many cases, which policies
const shrinkCount = new Map();
let failingCases = 0;
let steps = 0;
let done = 0;
const t0 = performance.now();
let lastReport = t0;
for (; done < cases; done++) {
  const src = generateScenario(rand, gen);
  steps += src.split('\n').filter((l) => /^\w+:/.test(l)).length;
  const problems = checkCase(src);
  // Every 10th case also through a session at three steps (the views' time travel).
  if (done % 10 === 0) problems.push(...checkViews(src, ALL_POLICIES[(done / 10) % POLICIES], rand));
  if (problems.length) failingCases++;
  const kinds = new Map(); // one problem per kind and case
  for (const p of problems) if (!kinds.has(p.kind)) kinds.set(p.kind, p);
  for (const p of kinds.values()) {
    const shrinks = (shrinkCount.get(p.kind) ?? 0) + 1;
    shrinkCount.set(p.kind, shrinks);
    // A view problem is shrunk through a session at the first, a fixed and the last step.
    const viewCheck = p.kind.startsWith('view') ? (text) => checkViews(text, p.policy, mulberry32(1)) : undefined;
    const shrunk = shrinks <= MAX_SHRINKS ? shrinkCase(src, p, viewCheck) : src;
    const key = shrinks <= MAX_SHRINKS ? `${p.kind} [${signature(shrunk)}]` : `${p.kind} [not shrunk]`;
    let f = failures.get(key);
    if (!f) {
      const again = checkCase(shrunk, p.policy ? [p.policy] : undefined).find((q) => q.kind === p.kind) ?? p;
      failures.set(key, (f = { i: done, problem: again, shrunk, cases: 0, policies: new Set() }));
    }
    f.cases++;
    for (const q of problems) if (q.kind === p.kind && q.policy) f.policies.add(q.policy);
  }
  const now = performance.now();
  if (now - lastReport > 30_000) {
    console.log(`fuzz-engine: ${done + 1} cases so far, ${Math.round((done + 1) / ((now - t0) / 1000))} cases/s, ${failingCases} failing`);
    lastReport = now;
  }
}
const s = (performance.now() - t0) / 1000;
console.log(`fuzz-engine: ${done} cases (seed ${seed}), ${steps} steps, each case under ${POLICIES} policies, in ${s.toFixed(1)} s = ${Math.round(done / s)} cases/s`);
console.log(`fuzz-engine: ${failingCases} failing case(s), ${failures.size} kind(s) of failure`);
const sorted = [...failures].sort((a, b) => b[1].cases - a[1].cases);
for (const [kind, f] of sorted.slice(0, MAX_PRINTED)) {
  console.log(`\n--- ${kind}: ${f.cases} case(s), first case ${f.i}${f.policies.size ? `, under ${[...f.policies].join(' ')}` : ''}\n    ${f.problem.detail.split('\n').slice(0, 6).join('\n    ')}`);
  console.log(`shrunk reproducer:\n${f.shrunk}`);
}
if (sorted.length > MAX_PRINTED) console.log(`\n(${sorted.length - MAX_PRINTED} more kinds not printed)`);
process.exit(failures.size ? 1 : 0);
