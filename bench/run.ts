// `npm run bench`: the benchmark suite of issue 6 (never part of npm test).
// Runs the simulator cases and, where a C compiler is present, the same work
// on the host kernel (bench/native/cow-bench.c), in one invocation; prints a
// table with simulator/kernel ratios and writes bench/results.json.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { analyze } from '../core/lang/checker';
import { createSession, runScenario, scenarioPolicies, type RunResult } from '../core/mm/index';
import { Engine } from '../core/mm/engine';
import type { PolicyId } from '../core/lang/ast';
import { bigScenario, cowCase, forkPmdCase, forkPteCase, manyProcessesCase, type BenchCase } from './scenarios';

const root = process.cwd();
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const POLICIES: PolicyId[] = ['v6.7', 'v6.9', 'rmapid', 'v6.15'];
const MB = 1024 * 1024;
const quick = process.argv.includes('--quick');

interface Entry {
  name: string;
  unit: string;
  median: number;
  min: number;
  max: number;
  runs: number;
  kernel?: number;
  ratio?: number;
  note?: string;
}
const entries: Entry[] = [];

function stats(xs: number[]): { median: number; min: number; max: number } {
  const s = [...xs].sort((a, b) => a - b);
  return { median: s[Math.floor(s.length / 2)], min: s[0], max: s[s.length - 1] };
}

function parse(source: string) {
  const { scenario, diagnostics } = analyze(source, 'bench.mms');
  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (errors.length) throw new Error(`bench scenario has errors: ${errors[0].line}:${errors[0].col} ${errors[0].message}`);
  return scenario;
}

/** Fails loudly when a run did not complete cleanly. */
function checked(r: RunResult): RunResult {
  const err = r.steps.find((s) => s.error);
  if (r.stopped || err) throw new Error(`bench run did not complete: ${r.stopped?.message ?? err?.error}`);
  if (r.counters.violations) throw new Error(`bench run reported ${r.counters.violations} violations`);
  return r;
}

const runChecked = (source: string, policy: PolicyId) => checked(runScenario(parse(source), policy));
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with --expose-gc (scripts/bench.mjs does)');

/**
 * The timed phase's cost per unit in microseconds, RUNS times. Each run does
 * the setup, collects the garbage earlier runs and the setup left behind, then
 * times the phase (its own allocations and their GC included), and finishes
 * the run with the oracle's final checks.
 */
function phase(c: BenchCase, policy: PolicyId, runs = RUNS): number[] {
  const scenario = parse(c.source);
  const out: number[] = [];
  // Warm-up: the JIT needs a few hundred thousand faults through these paths
  // before their code is optimised (a 64 MiB case needs several runs).
  const warmups = Math.min(5, Math.ceil(300_000 / c.units));
  for (let i = 0; i < warmups + runs; i++) {
    const engine = new Engine(scenario, policy);
    engine.runTo(c.setupSteps - 1);
    gc!();
    const t = performance.now();
    engine.runTo(scenario.steps.length - 1);
    const ms = performance.now() - t;
    checked(engine.result());
    if (i >= warmups) out.push((ms * 1000) / c.units);
  }
  return out;
}

function record(name: string, unit: string, xs: number[], kernel?: number, note?: string): Entry {
  const e: Entry = { name, unit, ...stats(xs), runs: xs.length, note };
  if (kernel !== undefined && kernel > 0) {
    e.kernel = kernel;
    e.ratio = e.median / kernel;
  }
  entries.push(e);
  return e;
}

// ---------------------------------------------------------------- kernel side
function nativeBinary(): string | null {
  const src = join(root, 'bench/native/cow-bench.c');
  const out = join(root, 'bench/native/build/cow-bench');
  const cc = ['cc', 'gcc', 'clang'].find((c) => spawnSync(c, ['--version']).status === 0);
  if (!cc) return null;
  if (!existsSync(out) || statSync(out).mtimeMs < statSync(src).mtimeMs) {
    mkdirSync(join(root, 'bench/native/build'), { recursive: true });
    execFileSync(cc, ['-O2', '-o', out, src]);
  }
  return out;
}

function kernelRuns(bin: string, kase: string, mb: number): Record<string, number | string>[] {
  const runs: Record<string, number | string>[] = [];
  for (let i = 0; i < RUNS; i++) runs.push(JSON.parse(execFileSync(bin, [kase, String(mb)], { encoding: 'utf8' })));
  return runs;
}

const median = (xs: number[]) => stats(xs).median;

/** Memory after full GCs, once typed-array backing stores freed by them are released too. */
async function settledMemory(): Promise<NodeJS.MemoryUsage> {
  for (let i = 0; i < 3; i++) {
    gc!();
    await new Promise((r) => setTimeout(r, 50));
  }
  return process.memoryUsage();
}

// ---------------------------------------------------------------- the cases
const native = nativeBinary();
console.log(native ? `kernel side: ${native}` : 'kernel side: no C compiler found; kernel rows are skipped');
const size1g = quick ? 256 * MB : 1024 * MB;

let kReuse: number | undefined, kCopy: number | undefined, kForkPte: number | undefined, kForkPmd: number | undefined;
if (native) {
  const reuse = kernelRuns(native, 'cow-reuse', size1g / MB);
  const copy = kernelRuns(native, 'cow-copy', size1g / MB);
  kReuse = median(reuse.map((r) => Number(r.us_per_fault)));
  kCopy = median(copy.map((r) => Number(r.us_per_fault)));
  kForkPte = median(reuse.map((r) => Number(r.fork_us) / (size1g / (2 * MB))));
  const pmd = kernelRuns(native, 'fork-pmd', size1g / MB);
  kForkPmd = median(pmd.map((r) => (Number(r.fork_exit_us) * 4096) / size1g));
  console.log(`kernel: reuse ${kReuse.toFixed(3)} us/fault (page 7 ${reuse[0].page7}), copy ${kCopy.toFixed(3)} us/fault (page 7 ${copy[0].page7})`);
  // The host kernel goes on working for a while after the runs free gigabytes
  // (zeroing, compaction, DAMON on this VM) and slowed the first simulator cases
  // measurably: let it settle first.
  await new Promise((r) => setTimeout(r, 10_000));
}

const label = quick ? '256m' : '1g';
for (const p of POLICIES) record(`cow-reuse-${label} [${p}]`, 'us/fault', phase(cowCase(size1g, p, false), p), kReuse);
for (const p of POLICIES) record(`cow-copy-${label} [${p}]`, 'us/fault', phase(cowCase(size1g, p, true), p), kCopy);
for (const p of POLICIES)
  record(`fork-pte-thp-${label} [${p}]`, 'us/2M', phase(forkPteCase(size1g, p), p), kForkPte, 'fork per 2 MiB THP');
record(`fork-pmd-thp-${label} [v6.15]`, 'us/4K', phase(forkPmdCase(size1g, 'v6.15'), 'v6.15'), kForkPmd, 'fork + child exit per 4K page');

// fork-16g: populate, fork, child exit: time of the whole run, and the engine
// memory per simulated 4K page (heap + typed arrays of the live engine state,
// measured after GC with a session holding the engine at its last step).
{
  const bytes = quick ? 2048 * MB : 16384 * MB;
  const c = forkPmdCase(bytes, 'v6.15');
  const scenario = parse(c.source);
  const times: number[] = [];
  for (let i = 0; i < Math.max(3, Math.min(RUNS, 5)); i++) {
    const t = performance.now();
    runChecked(c.source, 'v6.15');
    times.push(performance.now() - t);
  }
  const before = await settledMemory();
  const session = createSession(scenario, 'v6.15');
  session.at(scenario.steps.length - 1);
  const after = await settledMemory();
  const perPage = (after.heapUsed + after.arrayBuffers - before.heapUsed - before.arrayBuffers) / (bytes / 4096);
  record(`fork-${bytes / 1024 / MB}g [v6.15]`, 'ms', times, undefined, `engine memory ${perPage.toFixed(1)} bytes per 4K page, heap ${(after.heapUsed / MB).toFixed(0)} MiB`);
  void session; // keeps the engine reachable until `after` has been measured
}

// Growth: time per reuse fault from 64 MiB to 16 GiB.
const growth: { mb: number; usPerFault: number }[] = [];
for (const mb of quick ? [64, 256, 1024] : [64, 256, 1024, 4096, 16384]) {
  // Short phases are the noisiest on shared cores: more runs for the small sizes.
  const xs = phase(cowCase(mb * MB, 'v6.15', false), 'v6.15', mb >= 4096 ? 3 : mb <= 256 ? 3 * RUNS : RUNS);
  growth.push({ mb, usPerFault: median(xs) });
}
record('growth: reuse us/fault 64M..16G max/min', 'ratio', [Math.max(...growth.map((g) => g.usPerFault)) / Math.min(...growth.map((g) => g.usPerFault))]);

// Processes: time per COW fault of P0 with 2..256 processes mapping its folios.
const procs: { n: number; usPerFault: number }[] = [];
for (const n of [2, 16, 64, 256]) procs.push({ n, usPerFault: median(phase(manyProcessesCase(n, 'v6.15'), 'v6.15', 3 * RUNS)) });
record('processes: us/fault 256 procs / 2 procs', 'ratio', [procs[procs.length - 1].usPerFault / procs[0].usPerFault]);

// parse-100k.
{
  const text = bigScenario(100_000);
  const xs: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    analyze(text, 'big.mms');
    xs.push(performance.now() - t);
  }
  record('parse-100k', 'ms', xs);
}

// cow-matrix: the whole example library under every policy.
{
  const files: string[] = [];
  const walk = (d: string) => {
    for (const n of readdirSync(d)) {
      const p = join(d, n);
      if (statSync(p).isDirectory()) walk(p);
      else if (p.endsWith('.mms')) files.push(p);
    }
  };
  if (existsSync(join(root, 'examples'))) walk(join(root, 'examples'));
  const scenarios = files.map((f) => analyze(readFileSync(f, 'utf8'), f).scenario);
  const xs: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    for (const s of scenarios) for (const p of scenarioPolicies(s)) runScenario(s, p);
    xs.push(performance.now() - t);
  }
  record(`cow-matrix (${files.length} examples, their policies)`, 'ms', xs);
}

// cli-run: `foliolab run` on one small example, wall time of the whole
// command (node start-up included), against bare `node -e ""` in the same run.
{
  execFileSync(process.execPath, [join(root, 'scripts/build-cli.mjs')]);
  const example = join(root, 'examples/base-page-cow.mms');
  const wall = (args: string[]) => {
    const t = performance.now();
    const r = spawnSync(process.execPath, args, { cwd: root, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`${args.join(' ')} exited with ${r.status}: ${r.stderr}`);
    return performance.now() - t;
  };
  wall([join(root, 'bin/foliolab.js'), 'run', example]); // warm the file cache
  const node = Array.from({ length: RUNS }, () => wall(['-e', '']));
  const cli = Array.from({ length: RUNS }, () => wall([join(root, 'bin/foliolab.js'), 'run', example]));
  record('cli-run (base-page-cow.mms)', 'ms', cli, undefined, `bare node start-up ${median(node).toFixed(0)} ms`);
}

// ---------------------------------------------------------------- output
const fmt = (x: number | undefined) => (x === undefined ? '' : x < 10 ? x.toFixed(3) : x.toFixed(1));
console.log('\n' + ['case', 'unit', 'median', 'min', 'max', 'kernel', 'sim/kernel'].join('\t'));
for (const e of entries)
  console.log([e.name, e.unit, fmt(e.median), fmt(e.min), fmt(e.max), fmt(e.kernel), e.ratio ? e.ratio.toFixed(3) : ''].join('\t') + (e.note ? `\t(${e.note})` : ''));
console.log('\ngrowth (v6.15 reuse):', growth.map((g) => `${g.mb}M ${g.usPerFault.toFixed(3)}us`).join(', '));
console.log('processes (v6.15):', procs.map((p) => `${p.n}: ${p.usPerFault.toFixed(3)}us`).join(', '));

const machine = {
  cpu: cpus()[0]?.model,
  cores: cpus().length,
  memoryBytes: totalmem(),
  node: process.version,
  kernel: spawnSync('uname', ['-r'], { encoding: 'utf8' }).stdout.trim(),
};
mkdirSync(join(root, 'bench'), { recursive: true });
writeFileSync(
  join(root, 'bench/results.json'),
  JSON.stringify({ date: new Date().toISOString(), machine, runs: RUNS, quick, cases: entries, growth, processes: procs }, null, 2) + '\n',
);
console.log('\nwritten bench/results.json');
