// Engine fuzzing, shared by test/reliability/engine-fuzz.test.ts (a few
// hundred seeded cases in npm test) and scripts/fuzz-engine.mjs (100,000+):
// random operation sequences over several processes are written as scenario
// TEXT, go through analyze() and runScenario() under every policy, and each
// run must come back without an escaped exception, with no invariant failure,
// no violation, and every step error as one plain sentence.
import { ADVICES, ALL_POLICIES, type PolicyId } from '../../core/lang/ast';
import { analyze } from '../../core/lang/checker';
import type { RunResult } from '../../core/mm/api';
import { createSession, runScenario } from '../../core/mm/index';
import { mulberry32, type Rand } from '../lang/mutate';

export { ALL_POLICIES, mulberry32 };

const int = (r: Rand, n: number) => Math.floor(r() * n);
const pick = <T>(r: Rand, xs: readonly T[]): T => xs[int(r, xs.length)];
const chance = (r: Rand, p: number) => r() < p;

/** Mapping sizes in pages: small, mTHP-sized, THP-sized (512) and a little over. */
const SIZES = [1, 2, 3, 4, 8, 16, 32, 64, 128, 256, 512, 512, 512, 513, 1024, 1536];
const THP_LINES = ['', '', 'thp 2M=always', 'thp 2M=madvise 64K=always', 'thp 16K=always 32K=madvise 2M=always', 'thp 2M=never 128K=always', 'thp 64K=madvise 512K=madvise 2M=madvise'];
const MEMORY_LINES = ['', '', '', 'memory 8M', 'memory 16M', 'memory 64M'];
const SWAP_LINES = ['', '', 'swap 0', 'swap 4M', 'swap 64M'];

export interface GenOptions {
  /** Live processes at most (forks beyond become writes). Default 6. */
  maxAlive?: number;
  /** Steps: 4 up to, not including, this many. Default 32. */
  maxSteps?: number;
}

interface Proc {
  name: string;
  alive: boolean;
  maps: Map<string, number>; // name -> pages
}

/** A random scenario: 4 to `maxSteps` - 1 operations over up to `maxAlive` live processes; some steps are wrong on purpose. */
export function generateScenario(r: Rand, opts: GenOptions = {}): string {
  const maxAlive = opts.maxAlive ?? 6;
  const steps = 4 + int(r, (opts.maxSteps ?? 32) - 4);
  const lines: string[] = ['scenario "engine fuzz"'];
  for (const options of [THP_LINES, MEMORY_LINES, SWAP_LINES]) {
    const l = pick(r, options);
    if (l) lines.push(l);
  }
  const procs: Proc[] = [{ name: 'P0', alive: true, maps: new Map() }];
  const pins: string[] = [];
  const pipes: string[] = [];
  let forks = 0;
  let names = 0;
  let handles = 0;
  const bad = chance(r, 0.3) ? 0.08 : 0; // share of deliberately wrong steps in this case

  const range = (p: Proc): string => {
    const maps = [...p.maps];
    if (maps.length === 0 || (bad && chance(r, bad))) return pick(r, ['A', 'Q', 'A[0]', 'B[1..3]']);
    const [m, pages] = pick(r, maps);
    const oob = bad && chance(r, bad);
    const hi = oob ? pages + 1 + int(r, 4) : pages;
    const i = int(r, hi);
    const j = i + 1 + int(r, Math.max(1, hi - i));
    switch (int(r, 7)) {
      case 0:
      case 1:
        return m;
      case 2:
        return `${m}[${oob ? pages + int(r, 3) : i}]`;
      case 3:
        return `${m}[${i}..${j}]`;
      case 4:
        return `${m}[${i}..]`;
      case 5:
        return `${m}[..${j}]`;
      default:
        return `${m}[${i * 4}K..${j * 4}K]`;
    }
  };

  for (let n = 0; n < steps; n++) {
    const alive = procs.filter((p) => p.alive);
    const dead = procs.filter((p) => !p.alive);
    const actor = dead.length > 0 && bad && chance(r, bad) ? pick(r, dead) : alive.length > 0 ? pick(r, alive) : procs[0];
    const hasMaps = actor.maps.size > 0;
    const k = hasMaps ? int(r, 100) : chance(r, 0.85) ? 0 : int(r, 100);
    let op: string;
    if (k < 14) {
      const name = pick(r, ['A', 'B', 'C', 'D', `M${names++}`]);
      const pages = pick(r, SIZES);
      const prot = pick(r, ['', '', '', ' ro', ' none']);
      op = `mmap ${name} ${pages * 4}K${prot}`;
      if (!actor.maps.has(name) || bad) actor.maps.set(name, pages);
    } else if (k < 34) {
      op = `write ${range(actor)}${chance(r, 0.5) ? ` ${int(r, 256)}` : ''}`;
    } else if (k < 42) {
      op = `read ${range(actor)}`;
    } else if (k < 56) {
      op = `madvise ${range(actor)} ${pick(r, ADVICES)}`;
    } else if (k < 63) {
      op = `mprotect ${range(actor)} ${pick(r, ['rw', 'rw', 'ro', 'none'])}`;
    } else if (k < 66) {
      const name = `R${names++}`;
      const src = range(actor);
      op = `mremap ${src} ${name}`;
      const m = /^(\w+)/.exec(src)![1];
      if (actor.maps.has(m) && src === m) {
        actor.maps.set(name, actor.maps.get(m)!);
        actor.maps.delete(m);
      }
    } else if (k < 69) {
      op = `munmap ${range(actor)}`;
      if (chance(r, 0.5)) actor.maps.clear(); // the checker knows better; keep the generator's view conservative
    } else if (k < 78) {
      if (alive.length >= maxAlive) {
        op = `write ${range(actor)}`;
      } else {
        const child = `C${++forks}`;
        op = `fork ${child}`;
        procs.push({ name: child, alive: true, maps: new Map(actor.maps) });
      }
    } else if (k < 83) {
      op = 'exit';
      if (actor.name !== 'P0' || chance(r, 0.2)) {
        actor.alive = false;
        actor.maps.clear();
      } else op = `split ${range(actor)}`;
    } else if (k < 87) {
      const name = `X${handles++}`;
      op = `pin ${range(actor)} ${pick(r, ['ro', 'rw'])} as ${name}`;
      pins.push(name);
    } else if (k < 89) {
      op = pins.length ? `unpin ${pins.splice(int(r, pins.length), 1)[0]}` : 'unpin nothing';
    } else if (k < 92) {
      const name = `Y${handles++}`;
      op = `vmsplice ${range(actor)} as ${name}`;
      pipes.push(name);
    } else if (k < 94) {
      op = pipes.length ? `close ${pipes.splice(int(r, pipes.length), 1)[0]}` : 'close nothing';
    } else if (k < 97) {
      op = `split ${range(actor)}`;
    } else {
      op = 'clear-soft-dirty';
    }
    lines.push(`${actor.name}: ${op}`);
  }
  // A few expectations, to exercise their evaluation (their outcome is not checked).
  const last = procs.find((p) => p.alive && p.maps.size > 0);
  lines.push('expect violations == 0');
  if (last) lines.push(`expect ${last.name} ${range(last)}.${pick(r, ['data', 'order', 'refcount', 'mapcount', 'present', 'anon_exclusive'])} >= 0`);
  return `${lines.join('\n')}\n`;
}

/** A stack frame ("    at f (file:1:2)") or several lines: not one sentence. */
export function notOneSentence(msg: unknown): string | null {
  if (typeof msg !== 'string' || msg.length === 0) return 'empty or not a string';
  if (/\n|\r/.test(msg)) return 'several lines';
  if (/\bat .*:\d+:\d+\)?$|\s{4}at /.test(msg)) return 'a stack frame';
  if (msg.length > 400) return `${msg.length} characters`;
  return null;
}

export interface CaseProblem {
  policy?: PolicyId;
  /** Short category, used to decide whether a shrunk case still shows the same problem. */
  kind: string;
  detail: string;
}

/** What is wrong with one run (empty = fine). */
export function checkRun(r: RunResult, stepsInScenario: number): CaseProblem[] {
  const out: CaseProblem[] = [];
  const add = (kind: string, detail: string) => out.push({ policy: r.policy, kind, detail });
  for (const v of r.violations) add(`violation ${v.kind}`, `step ${v.step} (line ${v.line}): ${v.message}`);
  for (const f of r.invariants) add(`invariant ${f.invariant}${f.policyDefect ? ' (policy defect)' : ''}`, `step ${f.step} (line ${f.line}): ${f.message}`);
  for (const s of r.steps) {
    if (s.error === undefined) continue;
    const why = notOneSentence(s.error);
    if (why) add('step error not one sentence', `line ${s.line}: ${why}: ${JSON.stringify(s.error.slice(0, 300))}`);
    if (/internal engine error/.test(s.error)) add('internal engine error', `line ${s.line} (${s.text}): ${s.error}`);
  }
  if (r.stopped) {
    const why = notOneSentence(r.stopped.message);
    if (why) add('stop message not one sentence', `${why}: ${JSON.stringify(r.stopped.message)}`);
    if (r.stopped.reason !== 'out-of-memory') add(`stopped: ${r.stopped.reason}`, r.stopped.message);
  } else if (r.steps.length !== stepsInScenario) {
    add('steps missing', `${r.steps.length} step records for ${stepsInScenario} steps and no stop`);
  }
  for (const [name, v] of Object.entries(r.counters)) {
    if (!Number.isFinite(v) || v < 0) add('bad counter', `${name} = ${v}`);
  }
  if (r.timeline.memUsed.length !== r.steps.length) add('timeline length', `${r.timeline.memUsed.length} points for ${r.steps.length} steps`);
  return out;
}

/** Runs one scenario text through analyze() and every policy; returns its problems. */
export function checkCase(source: string, policies: readonly PolicyId[] = ALL_POLICIES): CaseProblem[] {
  let analyzed;
  try {
    analyzed = analyze(source, 'fuzz.mms');
  } catch (e) {
    return [{ kind: 'analyze threw', detail: e instanceof Error ? (e.stack ?? e.message) : String(e) }];
  }
  const out: CaseProblem[] = [];
  for (const d of analyzed.diagnostics) if (d.code === 'internal-error') out.push({ kind: 'checker internal error', detail: d.message });
  // Run even when the checker found errors: the engine must turn them into step errors, not crash.
  for (const policy of policies) {
    let r: RunResult;
    try {
      r = runScenario(analyzed.scenario, policy);
    } catch (e) {
      out.push({ policy, kind: 'runScenario threw', detail: e instanceof Error ? (e.stack ?? e.message) : String(e) });
      continue;
    }
    out.push(...checkRun(r, analyzed.scenario.steps.length));
  }
  return out;
}

/**
 * Time travel over the same run (the views' path): the run is deterministic, a session answers every query at
 * the start, a random step and the end without throwing, cells have the asked
 * length, and with no violation in the run each page reads what POSIX says.
 */
export function checkViews(source: string, policy: PolicyId, r: Rand): CaseProblem[] {
  const out: CaseProblem[] = [];
  const add = (kind: string, detail: string) => out.push({ policy, kind, detail });
  try {
    const scenario = analyze(source, 'fuzz.mms').scenario;
    const session = createSession(scenario, policy);
    // Deterministic: a second run gives the same counters, step errors and trace length.
    const again = runScenario(scenario, policy);
    const digest = (x: RunResult) => JSON.stringify([x.counters, x.steps.map((st) => st.error ?? ''), x.trace.length, x.stopped?.reason]);
    if (digest(again) !== digest(session.result)) add('not deterministic', `two runs of the same scenario differ: ${digest(session.result).slice(0, 200)} vs ${digest(again).slice(0, 200)}`);
    const n = session.result.steps.length;
    const clean = session.result.violations.length === 0;
    for (const step of [-1, int(r, Math.max(1, n)), n - 1]) {
      const q = session.at(step);
      for (const p of q.processes()) {
        for (const v of p.vmas) {
          if (q.pageCells(p.name, v.mapping, 0, v.pages).length !== v.pages) add('view: cells length', `${p.name} ${v.mapping} at step ${step}`);
          for (const page of [0, v.pages - 1, int(r, v.pages)]) {
            const w = q.pageWalk(p.name, v.mapping, page);
            if (clean && w && w.data !== null && w.data !== w.logicalData) add('view: page data differs from logical memory', `${p.name} ${v.mapping}[${page}] at step ${step}: reads ${w.data}, POSIX says ${w.logicalData}`);
          }
        }
      }
      for (const f of q.folios(0, 20).folios) if (q.folio(f.pfn)?.pfn !== f.pfn) add('view: folio lookup', `pfn ${f.pfn} at step ${step}`);
    }
  } catch (e) {
    add('view threw', e instanceof Error ? (e.stack ?? e.message) : String(e));
  }
  return out;
}

/** Same failure (kind and policy) as the original? */
const sameFailure = (a: CaseProblem, problems: CaseProblem[]) => problems.some((p) => p.kind === a.kind && p.policy === a.policy);

/**
 * Shrinks a failing scenario by deleting lines (halves, then quarters, ... then
 * single lines) while it still shows `problem`; the title line stays.
 */
export function shrinkCase(source: string, problem: CaseProblem, check: (src: string) => CaseProblem[] = (s) => checkCase(s, problem.policy ? [problem.policy] : ALL_POLICIES)): string {
  let lines = source.split('\n');
  const isStep = (l: string) => l !== '' && !l.startsWith('scenario ');
  let chunk = Math.max(1, Math.floor(lines.filter(isStep).length / 2));
  while (chunk >= 1) {
    let removed = false;
    const stepIdx = lines.map((l, i) => (isStep(l) ? i : -1)).filter((i) => i >= 0);
    for (let at = 0; at < stepIdx.length; at += chunk) {
      const drop = new Set(stepIdx.slice(at, at + chunk));
      const candidate = lines.filter((_, i) => !drop.has(i));
      if (sameFailure(problem, check(candidate.join('\n')))) {
        lines = candidate;
        removed = true;
        break;
      }
    }
    if (!removed) chunk = Math.floor(chunk / 2);
  }
  return lines.join('\n');
}

/** The operations a (shrunk) scenario uses, e.g. `fork madvise:dontneed mmap pin`: tells causes apart. */
export function signature(source: string): string {
  const ops = new Set<string>();
  for (const m of source.matchAll(/^\w+: ([\w-]+)(?:.* (hugepage|nohugepage|dontneed|pageout|collapse|dontfork|dofork|wipeonfork)$)?/gm)) ops.add(m[2] ? `${m[1]}:${m[2]}` : m[1]);
  return [...ops].sort().join(' ');
}
