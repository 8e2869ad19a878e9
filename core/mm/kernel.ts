// The machine state every kernel path works on, passed explicitly (no hidden
// current process, no global clock): physical memory, swap, the policy, the
// mms, pins and pipes, counters, the trace and the oracle's findings.

import { formatSize } from '../lang/text';
import type { InvariantFailure, RunOptions, Violation, ViolationKind } from './api';
import { F_POLICY_REUSED, FIRST_PFN } from './constants';
import type { Mm } from './mm';
import type { Vma } from './vma';
import { PhysMem } from './physmem';
import { type RuleId, ruleCount, ruleText } from './rules';
import type { Policy } from './policies/types';
import { SwapSpace } from './swap';
import { EV, EvidenceScratch, Trace } from './trace';

/** /proc/vmstat names plus the engine's own counters (engine-model.md "Counters"). */
export class Vmstat {
  pgfault = 0;
  pgreuse = 0;
  cow_copies = 0;
  fork_copies = 0;
  thp_fault_alloc = 0;
  thp_fault_fallback = 0;
  thp_split_pmd = 0;
  thp_split_page = 0;
  thp_split_page_failed = 0;
  thp_deferred_split_page = 0;
  thp_collapse_alloc = 0;
  pswpin = 0;
  pswpout = 0;
  violations = 0;
}

/** A long-term FOLL_PIN of a range (io_uring fixed buffer, gup_test). */
export interface Pin {
  name: string;
  owner: Mm;
  vpns: Int32Array;
  pfns: Int32Array;
  /**
   * Set once a page was reported pin-incoherent, or once the process itself
   * dropped or moved the pinned address (munmap, MADV_DONTNEED, mremap): the
   * pin then legitimately refers to a page the process no longer maps there.
   */
  reported: Uint8Array;
}

/** A vmsplice() pipe: FOLL_GET references plus the bytes it captured. */
export interface Pipe {
  name: string;
  owner: Mm;
  holders: Set<Mm>;
  pfns: Int32Array;
  data: Uint8Array;
  vpns: Int32Array;
  reported: Uint8Array;
}

/** Thrown inside a step when a budget runs out or the run is cancelled. */
export class StopRun extends Error {
  constructor(
    readonly reason: 'budget' | 'cancelled' | 'out-of-memory',
    message: string,
  ) {
    super(message);
  }
}

/** Thrown by a syscall path to report its error on the step (the run goes on). */
export class SyscallError extends Error {}

export interface ThpConfig {
  /** Bit o set: order o enabled as `always` / as `madvise`. */
  always: number;
  madvise: number;
}

export class Kernel {
  readonly mem: PhysMem;
  readonly swap: SwapSpace;
  readonly stat = new Vmstat();
  readonly mms: Mm[] = [];
  readonly byName = new Map<string, Mm>();
  readonly pins = new Map<string, Pin>();
  readonly pipes = new Map<string, Pipe>();
  readonly ev = new EvidenceScratch();
  readonly violations: Violation[] = [];
  readonly invariants: InvariantFailure[] = [];
  readonly trace: Trace;
  /** Current step and its source line. */
  step = -1;
  line = 0;
  /** Pages whose folio a step touched (faults, copies), checked against the invariants. */
  touched = new Int32Array(1024);
  nTouched = 0;
  /** Invariant breaks already reported, by "invariant|subject", so each is reported once. */
  private readonly reportedBreaks = new Set<string>();
  pageOps = 0;
  /** Fresh values for `write` without a byte. */
  writeSeq = 0;
  readonly startedAt = Date.now();
  readonly processNames: string[] = [];
  /** Trace string index of each rule cited so far, by RuleId; -1 = not yet. */
  private ruleIdx = new Int32Array(0);

  constructor(
    readonly policy: Policy,
    memoryBytes: number,
    swapBytes: number,
    readonly thp: ThpConfig,
    readonly opts: RunOptions,
  ) {
    this.mem = new PhysMem(Math.floor(memoryBytes / 4096));
    this.swap = new SwapSpace(Math.floor(swapBytes / 4096));
    this.trace = new Trace(this.processNames);
    // A first size only: tracking grows on demand with the large folios' slots.
    policy.growFolios(this.mem.folioCapacity);
  }

  /** The trace's string index of rule `id`, interned on first use. */
  rule(id: RuleId): number {
    const idx = this.ruleIdx;
    if (id < idx.length && idx[id] >= 0) return idx[id];
    if (id >= idx.length) {
      this.ruleIdx = new Int32Array(ruleCount()).fill(-1);
      this.ruleIdx.set(idx);
    }
    return (this.ruleIdx[id] = this.trace.intern(ruleText(id)));
  }

  /** Did a policy's reuse decision set PageAnonExclusive in folio `f` (blame for a broken invariant)? */
  policyReused(f: number): boolean {
    return (this.mem.fFlags[f] & F_POLICY_REUSED) !== 0;
  }

  touch(pfn: number): void {
    if (this.nTouched === this.touched.length) {
      const t = new Int32Array(this.touched.length * 2);
      t.set(this.touched);
      this.touched = t;
    }
    this.touched[this.nTouched++] = pfn;
  }

  /** Count `n` page operations; every ~4096 poll the budgets. */
  tick(n: number): void {
    const before = this.pageOps;
    this.pageOps += n;
    if (Math.floor(before / 4096) !== Math.floor(this.pageOps / 4096)) this.poll();
  }

  /** Check the budgets and the cancel hook. */
  poll(): void {
    const o = this.opts;
    if (o.maxPageOps !== undefined && this.pageOps > o.maxPageOps) {
      throw new StopRun('budget', `page-operation budget of ${o.maxPageOps} exhausted`);
    }
    if (o.timeBudgetMs !== undefined && Date.now() - this.startedAt > o.timeBudgetMs) {
      throw new StopRun('budget', `time budget of ${o.timeBudgetMs} ms exhausted`);
    }
    if (o.shouldStop?.()) throw new StopRun('cancelled', 'cancelled');
  }

  mapIdx(name: string): number {
    return this.trace.intern(name);
  }

  /** The VMA's interned mapping name, cached on the VMA. */
  vmaName(vma: Vma): number {
    if (vma.nameIdx < 0) vma.nameIdx = this.trace.intern(vma.name);
    return vma.nameIdx;
  }

  note(kind: keyof typeof EV, mm: Mm | null, msg: string, mapping?: string, page = -1, vpn = -1, pfn = -1, order = -1): number {
    return this.trace.event(EV[kind], this.step, mm ? mm.index : -1, mapping === undefined ? -1 : this.mapIdx(mapping), page, vpn, pfn, order, this.trace.intern(msg));
  }

  violation(kind: ViolationKind, mm: Mm, mapping: string | undefined, page: number, vpn: number, expected: number, actual: number, why: string): void {
    const where = mapping === undefined ? `address ${(vpn * 4096).toString(16)}` : `${mapping}[${page}]`;
    const message = `${kind}: ${mm.name} reads ${actual} at ${where}, expected ${expected} (${why})`;
    this.violations.push({ kind, step: this.step, line: this.line, process: mm.name, mapping, page: page < 0 ? undefined : page, expected, actual, message });
    this.stat.violations++;
    this.note('violation', mm, message, mapping, page, vpn);
  }

  invariant(invariant: string, message: string, policyDefect: boolean, subject?: number): void {
    if (subject !== undefined) {
      const key = `${invariant}|${subject}`;
      if (this.reportedBreaks.has(key)) return;
      this.reportedBreaks.add(key);
    }
    // One report per invariant and step is enough to locate the break.
    const last = this.invariants[this.invariants.length - 1];
    if (last && last.step === this.step && last.invariant === invariant) return;
    this.invariants.push({ step: this.step, line: this.line, invariant, message, policyDefect });
    this.note('invariant', null, `${invariant}: ${message}${policyDefect ? ` (defect of policy ${this.policy.id})` : ''}`);
  }

  /** Out of simulated memory: stop the run, saying which limit was hit. */
  oom(what: string): never {
    const size = formatSize((this.mem.limit - FIRST_PFN) * 4096);
    throw new StopRun('out-of-memory', `out of simulated memory (memory ${size} is full): ${what}; raise "memory" in the header`);
  }
}
