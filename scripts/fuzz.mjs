// `npm run fuzz`: at least 100,000 random and mutated inputs through the
// scenario parser, checker and formatter (the same cases as
// test/lang/fuzz.test.ts, many more of them). Fails when anything throws, a
// diagnostic points outside the text, or formatting changes a clean scenario.
//   node scripts/fuzz.mjs [--cases N] [--seed S]
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { importBundled, root } from './bundle.mjs';

const arg = (name, dflt) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const cases = arg('--cases', 100_000);
const seed = arg('--seed', Date.now() % 1_000_000);

const { SEEDS, checkInput, fuzzInput, mulberry32 } = await importBundled('test/lang/mutate.ts');

const exDir = join(root, 'examples');
const examples = existsSync(exDir)
  ? readdirSync(exDir, { recursive: true }).filter((f) => f.endsWith('.mms')).map((f) => readFileSync(join(exDir, f), 'utf8'))
  : [];
const seeds = [...SEEDS, ...examples];

const rand = mulberry32(seed);
const failures = [];
let chars = 0;
const t0 = performance.now();
for (let i = 0; i < cases; i++) {
  const src = fuzzInput(rand, seeds);
  chars += src.length;
  const problems = checkInput(src);
  if (problems.length) failures.push({ i, src, problems });
  if (failures.length >= 20) break;
}
const ms = performance.now() - t0;
const done = failures.length >= 20 ? failures[failures.length - 1].i + 1 : cases;
console.log(`fuzz: ${done} cases (seed ${seed}, ${seeds.length} seed scenarios, ${(chars / 1e6).toFixed(1)} M chars) in ${(ms / 1000).toFixed(1)} s = ${Math.round(done / (ms / 1000))} cases/s`);
console.log(`fuzz: ${failures.length} failing case(s)`);
for (const f of failures.slice(0, 5)) {
  console.log(`\n--- case ${f.i}: ${f.problems.slice(0, 3).join('\n    ')}\n${JSON.stringify(f.src.slice(0, 500))}`);
}
process.exit(failures.length ? 1 : 0);
