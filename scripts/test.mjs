// `npm test`: type-check, then every Vitest project (node, renderer, e2e),
// then one closing line `N passed, N failed` that CI reads.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name) => join(root, 'node_modules', '.bin', name);
const run = (cmd, args) => spawnSync(cmd, args, { cwd: root, stdio: 'inherit' }).status ?? 1;

let failedSteps = 0;
console.log('\n== type-check (tsc, vue-tsc)');
if (run(bin('tsc'), ['--noEmit', '-p', 'tsconfig.node.json']) !== 0) failedSteps++;
if (run(bin('vue-tsc'), ['--noEmit', '-p', 'tsconfig.web.json']) !== 0) failedSteps++;

console.log('\n== command-line bundle');
if (run(process.execPath, ['scripts/build-cli.mjs']) !== 0) failedSteps++;

console.log('\n== vitest (node, renderer, e2e)');
mkdirSync(join(root, 'test-results'), { recursive: true });
const report = join(root, 'test-results', 'vitest.json');
const extra = process.argv.slice(2);
const status = run(bin('vitest'), [
  'run',
  '--reporter=default',
  '--reporter=json',
  `--outputFile.json=${report}`,
  ...extra,
]);

let passed = 0;
let failed = 0;
if (existsSync(report)) {
  const r = JSON.parse(readFileSync(report, 'utf8'));
  passed = r.numPassedTests;
  failed = r.numFailedTests + (r.numRuntimeErrors ?? 0);
  if (r.testResults?.some((f) => f.status === 'failed' && f.assertionResults.length === 0)) failed++;
} else {
  failed = 1;
}
if (status !== 0 && failed === 0) failed = 1;
if (failedSteps) console.log(`\n${failedSteps} check step(s) failed (type-check or bundle), see above.`);
console.log(`\n${passed} passed, ${failed + failedSteps} failed`);
process.exit(failed + failedSteps > 0 ? 1 : 0);
