// The step loop: one Engine per (scenario, policy) run. Steps are executed in
// order on the explicit Kernel state; every syscall error stays on its step,
// a budget stop or out-of-memory ends the run, an unexpected exception is an
// engine-bug invariant failure and the run goes on.

import { formatRange, formatStep } from '../lang/format';
import type { Operation, PolicyId, RangeRef, Scenario, Step } from '../lang/ast';
import { DEFAULT_MEMORY, DEFAULT_SWAP, PAGE_SIZE } from '../lang/ast';
import type { RunOptions, RunResult, StepRecord, Timeline } from './api';
import { readRange, writeRange } from './access';
import { collapseRange } from './collapse';
import { PMD_ORDER, PROT_NONE, PROT_RO, PROT_RW } from './constants';
import { evaluateExpectations } from './expect';
import { splitFolio } from './folio-split';
import { forkMm } from './fork';
import { closePipe, pinRange, unpin, vmspliceRange } from './gup';
import { checkAllInvariants, checkTouched, checkWritable } from './invariants';
import { Kernel, StopRun, SyscallError, type ThpConfig } from './kernel';
import { Mm } from './mm';
import { checkAll, checkPins, checkRange } from './oracle';
import { createPolicy, type Policy } from './policies';
import { globalCounters, processCounters } from './stats';
import { foliosIn, pageoutRange } from './swapout';
import { clearSoftDirty, dontneed, exitMm, madviseFlags, mmap, mprotect, mremap, munmap } from './syscalls';

const PROTS = { rw: PROT_RW, ro: PROT_RO, none: PROT_NONE } as const;

/** The `thp` header as order bitmasks (default 2M=madvise, smaller sizes never). */
export function thpConfig(scenario: Scenario): ThpConfig {
  const cfg: ThpConfig = { always: 0, madvise: 1 << PMD_ORDER };
  for (const s of scenario.header.thp?.settings ?? []) {
    const order = Math.round(Math.log2(s.size / PAGE_SIZE));
    const bit = 1 << order;
    cfg.always &= ~bit;
    cfg.madvise &= ~bit;
    if (s.mode === 'always') cfg.always |= bit;
    else if (s.mode === 'madvise') cfg.madvise |= bit;
  }
  return cfg;
}

interface Resolved {
  s: number;
  e: number;
  label: (vpn: number) => string;
  text: string;
}

export class Engine {
  readonly k: Kernel;
  readonly steps: StepRecord[] = [];
  readonly timeline: Timeline = { memUsed: [], pgfault: [], pgreuse: [], cowCopies: [], violations: [] };
  stopped?: RunResult['stopped'];
  /** Index of the last executed step (-1 = none). */
  position = -1;
  private readonly t0 = Date.now();

  constructor(
    readonly scenario: Scenario,
    readonly policyId: PolicyId,
    readonly opts: RunOptions = {},
    /** Tests may inject a policy (e.g. a deliberately broken one) under `policyId`'s name. */
    injected?: Policy,
  ) {
    const policy = injected ?? createPolicy(policyId);
    if (policy === undefined) throw new RangeError(`unknown policy "${policyId}"`);
    const h = scenario.header;
    this.k = new Kernel(policy, h.memory?.bytes ?? DEFAULT_MEMORY, h.swap?.bytes ?? DEFAULT_SWAP, thpConfig(scenario), opts);
    const p0 = new Mm(0, 'P0');
    p0.mmId = policy.mmCreate();
    this.k.mms.push(p0);
    this.k.byName.set('P0', p0);
    this.k.processNames.push('P0');
  }

  get done(): boolean {
    return this.stopped !== undefined || this.position >= this.scenario.steps.length - 1;
  }

  /** Execute steps up to and including `last`. */
  runTo(last: number): void {
    const steps = this.scenario.steps;
    const end = Math.min(last, steps.length - 1);
    while (this.position < end && this.stopped === undefined) {
      const step = steps[this.position + 1];
      if (this.opts.maxSteps !== undefined && this.position + 1 >= this.opts.maxSteps) {
        this.stopped = { reason: 'budget', message: `step budget of ${this.opts.maxSteps} exhausted`, atStep: step.index };
        return;
      }
      try {
        if (this.position >= 0) this.k.poll();
      } catch (err) {
        this.stop(err as StopRun, step.index);
        return;
      }
      this.execStep(step);
      this.position++;
    }
  }

  private stop(err: StopRun, atStep: number): void {
    this.stopped = { reason: err.reason, message: err.message, atStep };
  }

  private execStep(step: Step): void {
    const k = this.k;
    k.step = step.index;
    k.line = step.span.line;
    const first = k.trace.length;
    const started = performance.now();
    const rec: StepRecord = { index: step.index, line: step.span.line, text: formatStep(step), process: step.actor.text, firstEvent: first, endEvent: first, elapsedMs: 0 };
    try {
      this.dispatch(step);
    } catch (err) {
      if (err instanceof SyscallError) {
        rec.error = `${step.operation.op}: ${err.message}`;
        k.note('syscall-error', k.byName.get(step.actor.text) ?? null, rec.error);
      } else if (err instanceof StopRun) {
        this.stop(err, step.index);
        rec.error = `${step.operation.op}: ${err.message}`;
      } else {
        const msg = err instanceof Error ? err.message : String(err);
        k.invariant('engine error', `${step.operation.op} threw: ${msg}`, false);
        rec.error = `${step.operation.op}: internal engine error: ${msg}`;
      }
    }
    if (this.opts.checkInvariants !== false) checkTouched(k);
    checkPins(k);
    k.nTouched = 0;
    rec.endEvent = k.trace.length;
    rec.elapsedMs = performance.now() - started;
    this.steps.push(rec);
    const t = this.timeline;
    t.memUsed.push(k.mem.used * PAGE_SIZE);
    t.pgfault.push(k.stat.pgfault);
    t.pgreuse.push(k.stat.pgreuse);
    t.cowCopies.push(k.stat.cow_copies);
    t.violations.push(k.stat.violations);
  }

  private actor(step: Step): Mm {
    const name = step.actor.text;
    const mm = this.k.byName.get(name);
    if (mm === undefined) throw new SyscallError(`ESRCH: process ${name} does not exist`);
    if (!mm.alive) throw new SyscallError(`ESRCH: process ${name} has exited`);
    return mm;
  }

  private resolve(mm: Mm, r: RangeRef): Resolved {
    const name = r.mapping.text;
    const mp = mm.mappings.get(name);
    if (mp === undefined) throw new SyscallError(`EINVAL: ${mm.name} has no mapping ${name}`);
    const page = (x: { kind: 'page' | 'bytes'; value: number }): number => (x.kind === 'page' ? x.value : x.value / PAGE_SIZE);
    const i = r.start ? page(r.start) : 0;
    const j = r.single ? i + 1 : r.end ? page(r.end) : mp.pages;
    const text = formatRange(r);
    if (!Number.isInteger(i) || !Number.isInteger(j) || i < 0 || j > mp.pages || i >= j) {
      throw new SyscallError(`ENOMEM: ${text} is outside the mapping (${mp.pages} pages)`);
    }
    // Integers below TASK_SIZE_PAGES: `| 0` hands the fault path small integers, not doubles.
    return { s: (mp.start + i) | 0, e: (mp.start + j) | 0, label: (vpn) => `${name}[${vpn - mp.start}]`, text };
  }

  private dispatch(step: Step): void {
    const k = this.k;
    const op: Operation = step.operation;
    const mm = this.actor(step);
    const checkInv = this.opts.checkInvariants !== false;
    switch (op.op) {
      case 'mmap':
        mmap(mm, op.name.text, Math.ceil(op.size / PAGE_SIZE), PROTS[op.prot]);
        return;
      case 'fork': {
        if (k.byName.has(op.child.text)) throw new SyscallError(`EEXIST: a process named ${op.child.text} already exists`);
        forkMm(k, mm, op.child.text);
        return;
      }
      case 'exit':
        exitMm(k, mm);
        return;
      case 'unpin':
        unpin(k, op.name.text);
        return;
      case 'close':
        closePipe(k, op.name.text);
        return;
      case 'clear-soft-dirty':
        clearSoftDirty(k, mm);
        return;
    }
    const r = this.resolve(mm, op.range);
    switch (op.op) {
      case 'munmap':
        munmap(k, mm, r.s, r.e);
        break;
      case 'mprotect':
        mprotect(k, mm, r.s, r.e, PROTS[op.prot], r.text);
        checkRange(k, mm, r.s, r.e, 'after mprotect');
        break;
      case 'read':
        readRange(k, mm, r.s, r.e, r.label);
        break;
      case 'write':
        // `| 0`: the parser's byte may be a double (parseInt); the fault path wants small integers.
        writeRange(k, mm, r.s, r.e, op.byte === undefined ? (k.writeSeq++ % 255) + 1 : op.byte | 0, r.label);
        break;
      case 'madvise':
        this.madvise(mm, r, op.advice);
        break;
      case 'mremap': {
        mremap(k, mm, r.s, r.e, op.newName.text, r.text);
        const mp = mm.mappings.get(op.newName.text)!;
        checkRange(k, mm, mp.start, mp.start + mp.pages, 'after mremap');
        if (checkInv) checkWritable(k, mm, mp.start, mp.start + mp.pages);
        return;
      }
      case 'pin':
        pinRange(k, mm, op.name.text, r.s, r.e, op.mode === 'rw', r.label);
        break;
      case 'vmsplice':
        vmspliceRange(k, mm, op.name.text, r.s, r.e, r.label);
        break;
      case 'split': {
        const refused: string[] = [];
        for (const f of foliosIn(k, mm, r.s, r.e).keys()) {
          if (k.mem.fPfn[f] < 0) continue;
          const why = splitFolio(k, f);
          if (why !== null) refused.push(why);
        }
        checkRange(k, mm, r.s, r.e, 'after split');
        if (refused.length > 0) throw new SyscallError(`EAGAIN: ${refused.length} folio(s) not split: ${refused[0]}`);
        break;
      }
    }
    if (checkInv) checkWritable(k, mm, r.s, r.e);
  }

  private madvise(mm: Mm, r: Resolved, advice: string): void {
    const k = this.k;
    switch (advice) {
      case 'dontneed':
        dontneed(k, mm, r.s, r.e, r.text);
        return;
      case 'pageout':
        if (mm.vmas.length === 0) throw new SyscallError(`ENOMEM: ${r.text} is not mapped`);
        pageoutRange(k, mm, r.s, r.e);
        checkRange(k, mm, r.s, r.e, 'after MADV_PAGEOUT');
        return;
      case 'collapse': {
        const refused = collapseRange(k, mm, r.s, r.e, r.label);
        checkRange(k, mm, r.s, r.e, 'after MADV_COLLAPSE');
        if (refused !== null) throw new SyscallError(refused);
        return;
      }
      default:
        madviseFlags(k, mm, r.s, r.e, advice, r.text);
    }
  }

  /** Final checks, counters and expectations. */
  result(): RunResult {
    const k = this.k;
    k.step = this.scenario.steps.length;
    k.line = 0;
    // A stopped run ends promptly: the per-step checks already ran, the
    // whole-memory sweeps are skipped (their cost follows the populated memory).
    if (this.stopped === undefined) {
      checkAll(k);
      checkPins(k);
      if (this.opts.checkInvariants !== false) checkAllInvariants(k);
    }
    const counters = globalCounters(k);
    const processes = processCounters(k);
    const expectations = evaluateExpectations(this.scenario, this.policyId, k, counters, processes);
    return {
      policy: this.policyId,
      title: this.scenario.header.title?.value ?? this.scenario.file,
      passed: expectations.every((e) => e.passed) && this.stopped === undefined,
      stopped: this.stopped,
      steps: this.steps,
      trace: k.trace.data(),
      counters,
      processes,
      violations: k.violations,
      invariants: k.invariants,
      expectations,
      timeline: this.timeline,
      elapsedMs: Date.now() - this.t0,
    };
  }
}

