// Checker of the scenario language: walks the steps in order with what is
// statically known at each one (which processes are alive, which mappings
// each has and how many pages, which pins and pipes are open) and reports
// names that do not resolve, ranges outside their mapping, bad sizes and
// policy ids, and expectations that cannot be evaluated. The same walk gives
// the editor its scope (`scopeAt`) for completion and hover.

import {
  ALL_POLICIES,
  PAGE_SIZE,
  PMD_SIZE,
  type Diagnostic,
  type Expectation,
  type Name,
  type PageProperty,
  type RangeIndex,
  type RangeRef,
  type Scenario,
  type Severity,
  type Span,
  type Step,
  type Value,
} from './ast';
import { MAX_MAPPING_BYTES, MAX_MEMORY_BYTES, MAX_PROCESSES } from './limits';
import { byPosition, parseScenarioDetailed } from './parser';
import { didYouMean, formatSize, quote } from './text';

export interface MappingInfo {
  name: string;
  /** Pages, when statically known. */
  pages?: number;
  /** Line of the mmap/mremap that created it (in this process or an ancestor). */
  line: number;
  /** `madvise NAME dontfork` on the whole mapping: a child does not inherit it. */
  dontfork: boolean;
}

export interface ProcessInfo {
  name: string;
  alive: boolean;
  /** Line of the fork that created it (0 for P0). */
  line: number;
  parent?: string;
  exitLine?: number;
  mappings: Map<string, MappingInfo>;
}

export interface HandleInfo {
  kind: 'pin' | 'pipe';
  name: string;
  line: number;
  owner: string;
  releasedLine?: number;
}

/** What is known at one point of the scenario. */
export interface Scope {
  processes: Map<string, ProcessInfo>;
  handles: Map<string, HandleInfo>;
}

/** Code of the warning for a file with no steps and no expectations (the command line refuses such a file). */
export const EMPTY_SCENARIO = 'empty-scenario';
const EMPTY_MESSAGE = 'nothing to run: the file has no steps and no expectations (empty); a scenario starts with a step such as "P0: mmap A 4K"';

export interface CheckOptions {
  /** Names introduced by statements that failed to parse: never reported as unknown. */
  brokenNames?: ReadonlySet<string>;
}

const BOOL_PROPERTIES: ReadonlySet<PageProperty> = new Set(['present', 'writable', 'swapped', 'exclusive', 'anon_exclusive', 'pmd_mapped']);
const MAX_LISTED = 12;
/** Operations that change no name or size the checker tracks. */
const READ_ONLY_OPS: ReadonlySet<string> = new Set(['read', 'write', 'mprotect', 'split', 'clear-soft-dirty']);
const MIN_THP = 16 * 1024;

export function checkScenario(scenario: Scenario, options: CheckOptions = {}): Diagnostic[] {
  try {
    const c = new Checker(scenario, options);
    c.header();
    c.steps(Infinity);
    c.expectations();
    return c.diagnostics.sort(byPosition);
  } catch (e) {
    return [{ line: 1, col: 1, endLine: 1, endCol: 1, severity: 'error', code: 'internal-error', message: `internal checker error (${e instanceof Error ? e.message : String(e)}); please report this with the file` }];
  }
}

/** Parse and check: every diagnostic of the file, sorted by position. */
export function analyze(source: string, file: string): { scenario: Scenario; diagnostics: Diagnostic[] } {
  const parsed = parseScenarioDetailed(source, file);
  const fatal = parsed.diagnostics.some((d) => d.code === 'binary-file' || d.code === 'file-too-large');
  const checked = fatal ? [] : checkScenario(parsed.scenario, { brokenNames: parsed.brokenNames });
  const diagnostics = [...parsed.diagnostics, ...checked];
  // A file with nothing to run is legal (a new document) but worth saying: it would "pass" silently.
  const { steps, expectations } = parsed.scenario;
  if (steps.length === 0 && expectations.length === 0 && !diagnostics.some((d) => d.severity === 'error')) {
    diagnostics.push({ line: 1, col: 1, endLine: 1, endCol: 1, severity: 'warning', code: EMPTY_SCENARIO, message: EMPTY_MESSAGE });
  }
  return { scenario: parsed.scenario, diagnostics: diagnostics.sort(byPosition) };
}

/** The scope before the first step at or after `line` (after every step when `line` is past them). */
export function scopeAt(scenario: Scenario, line: number): Scope {
  try {
    const c = new Checker(scenario, {});
    c.steps(line);
    return c.scope;
  } catch {
    return { processes: new Map(), handles: new Map() };
  }
}

/** Number of pages of a range in a mapping of `pages` pages, or undefined when unknown or invalid. */
export function rangePages(range: RangeRef, pages: number | undefined): number | undefined {
  if (pages === undefined) return undefined;
  const toPage = (i: RangeIndex) => (i.kind === 'bytes' ? i.value / PAGE_SIZE : i.value);
  const start = range.start ? toPage(range.start) : 0;
  const end = range.single ? start + 1 : range.end ? toPage(range.end) : pages;
  return Number.isInteger(start) && Number.isInteger(end) && start < end && end <= pages ? end - start : undefined;
}

class Checker {
  diagnostics: Diagnostic[] = [];
  scope: Scope = { processes: new Map(), handles: new Map() };
  private everCreated = new Map<string, number>();
  private brokenNames: ReadonlySet<string>;

  constructor(
    private scenario: Scenario,
    options: CheckOptions,
  ) {
    this.brokenNames = options.brokenNames ?? new Set();
    this.scope.processes.set('P0', { name: 'P0', alive: true, line: 0, mappings: new Map() });
    for (const s of scenario.steps) {
      if (s.operation.op === 'fork' && !this.everCreated.has(s.operation.child.text)) this.everCreated.set(s.operation.child.text, s.span.line);
    }
  }

  // Name lists for messages, rebuilt only when the scope changed: a file that repeats one mistake
  // thousands of times must not rebuild (and re-search) the same lists each time.
  private version = 0;
  private cache = new Map<string, unknown>();
  private cacheVersion = -1;
  private cached<T>(key: string, compute: () => T): T {
    if (this.cacheVersion !== this.version) {
      this.cache.clear();
      this.cacheVersion = this.version;
    }
    if (!this.cache.has(key)) this.cache.set(key, compute());
    return this.cache.get(key) as T;
  }
  private aliveNames = () => this.cached('alive', () => [...this.scope.processes.values()].filter((q) => q.alive).map((q) => q.name));
  private processNames = () => this.cached('procs', () => [...this.scope.processes.keys()]);
  private mappingNames = (p: ProcessInfo) => this.cached(`maps:${p.name}`, () => [...p.mappings.keys()]);
  private openHandles = (kind: 'pin' | 'pipe') =>
    this.cached(`open:${kind}`, () => [...this.scope.handles.values()].filter((x) => x.kind === kind && x.releasedLine === undefined).map((x) => x.name));
  private listed = (key: string, names: string[]) => this.cached(`list:${key}`, () => list(names));

  private report(at: Span, code: string, message: string, severity: Severity = 'error'): void {
    this.diagnostics.push({ line: at.line, col: at.col, endLine: at.endLine, endCol: at.endCol, severity, code, message });
  }

  // ------------------------------------------------------------ header

  header(): void {
    const h = this.scenario.header;
    if (h.policies) {
      const seen = new Set<string>();
      for (const id of h.policies.ids) {
        this.policyId(id);
        if (seen.has(id.text)) this.report(id.span, 'duplicate-policy', `policy ${id.text} is listed twice; it runs once`, 'warning');
        seen.add(id.text);
      }
    }
    if (h.thp) {
      const seen = new Set<number>();
      for (const s of h.thp.settings) {
        const ok = s.size >= MIN_THP && s.size <= PMD_SIZE && (s.size & (s.size - 1)) === 0;
        if (!ok) this.report(s.span, 'bad-thp-size', `THP size ${formatSize(s.size)} is not a power of two from 16K to 2M; valid sizes: 16K, 32K, 64K, 128K, 256K, 512K, 1M, 2M`);
        else if (seen.has(s.size)) this.report(s.span, 'duplicate-thp-size', `THP size ${formatSize(s.size)} is set twice on this line; give each size one mode`);
        seen.add(s.size);
      }
    }
    for (const key of ['memory', 'swap'] as const) {
      const d = h[key];
      if (!d) continue;
      if (d.bytes % PAGE_SIZE !== 0) this.report(d.span, 'bad-size', `${key} size ${formatSize(d.bytes)} is not a multiple of the page size 4K; write ${formatSize(roundUpPage(d.bytes))}`);
      else if (key === 'memory' && d.bytes === 0) this.report(d.span, 'bad-size', 'memory must be larger than 0, e.g. memory 4G');
      else if (d.bytes > MAX_MEMORY_BYTES) this.report(d.span, 'limit-exceeded', `${key} ${formatSize(d.bytes)} is over the limit of ${formatSize(MAX_MEMORY_BYTES)}`);
    }
  }

  private policyId(id: Name): boolean {
    if ((ALL_POLICIES as readonly string[]).includes(id.text)) return true;
    this.report(id.span, 'unknown-policy', `unknown policy ${quote(id.text)}${didYouMean(id.text, ALL_POLICIES)}; expected one of ${ALL_POLICIES.join(', ')}`);
    return false;
  }

  // ------------------------------------------------------------ steps

  /** Applies every step that starts before `untilLine`. */
  steps(untilLine: number): void {
    for (const s of this.scenario.steps) {
      if (s.span.line >= untilLine) return;
      this.step(s);
    }
  }

  private step(s: Step): void {
    const proc = this.actor(s.actor);
    if (!proc) return;
    const o = s.operation;
    if (!READ_ONLY_OPS.has(o.op)) this.version++;
    switch (o.op) {
      case 'mmap': {
        this.checkNewMapping(proc, o.name);
        let pages: number | undefined = o.size / PAGE_SIZE;
        if (o.size === 0) {
          this.report(s.span, 'bad-size', `mmap size must be larger than 0, e.g. mmap ${o.name.text} 4K`);
          pages = undefined;
        } else if (o.size % PAGE_SIZE !== 0) {
          const hint = o.size < PAGE_SIZE ? ` (${o.size} pages would be ${formatSize(o.size * PAGE_SIZE)})` : '';
          this.report(s.span, 'bad-size', `mmap size ${formatSize(o.size)} is not a multiple of the page size 4K; write ${formatSize(roundUpPage(o.size))}${hint}`);
          pages = undefined;
        } else if (o.size > MAX_MAPPING_BYTES) {
          this.report(s.span, 'limit-exceeded', `mmap size ${formatSize(o.size)} is over the limit of ${formatSize(MAX_MAPPING_BYTES)} per mapping`);
          pages = undefined;
        }
        proc.mappings.set(o.name.text, { name: o.name.text, pages, line: s.span.line, dontfork: false });
        return;
      }
      case 'munmap': {
        const m = this.range(proc, o.range);
        if (m && isWhole(o.range, m)) proc.mappings.delete(m.name);
        return;
      }
      case 'mprotect':
      case 'read':
      case 'split':
        this.range(proc, o.range);
        return;
      case 'madvise': {
        const m = this.range(proc, o.range);
        if (m && isWhole(o.range, m) && (o.advice === 'dontfork' || o.advice === 'dofork')) m.dontfork = o.advice === 'dontfork';
        return;
      }
      case 'write':
        this.range(proc, o.range);
        if (o.byte !== undefined && o.byte > 255) this.report(s.span, 'bad-byte', `byte ${o.byte} is out of range; write a value from 0 to 255 (0x00 to 0xff)`);
        return;
      case 'mremap': {
        const m = this.range(proc, o.range);
        this.checkNewMapping(proc, o.newName);
        const pages = m ? rangePages(o.range, m.pages) : undefined;
        if (m && isWhole(o.range, m)) proc.mappings.delete(m.name);
        proc.mappings.set(o.newName.text, { name: o.newName.text, pages, line: s.span.line, dontfork: false });
        return;
      }
      case 'fork': {
        const child = o.child.text;
        const existing = this.scope.processes.get(child);
        if (existing) {
          this.report(o.child.span, 'duplicate-process', `process ${child} already exists (${existing.line ? `created at line ${existing.line}` : 'it is the initial process'}); give the child a new name`);
          return;
        }
        if (this.scope.processes.size >= MAX_PROCESSES) {
          this.report(o.child.span, 'limit-exceeded', `too many processes; the limit is ${MAX_PROCESSES}`);
          return;
        }
        const mappings = new Map<string, MappingInfo>();
        for (const [k, m] of proc.mappings) if (!m.dontfork) mappings.set(k, { ...m });
        this.scope.processes.set(child, { name: child, alive: true, line: s.span.line, parent: proc.name, mappings });
        return;
      }
      case 'exit':
        proc.alive = false;
        proc.exitLine = s.span.line;
        proc.mappings.clear();
        return;
      case 'pin':
      case 'vmsplice': {
        this.range(proc, o.range);
        const kind = o.op === 'pin' ? 'pin' : 'pipe';
        const h = this.scope.handles.get(o.name.text);
        if (h && h.releasedLine === undefined) {
          this.report(o.name.span, `duplicate-${kind}`, `${quote(o.name.text)} is already an open ${h.kind} (line ${h.line}); ${h.kind === 'pin' ? 'unpin' : 'close'} it first or pick another name`);
          return;
        }
        this.scope.handles.set(o.name.text, { kind, name: o.name.text, line: s.span.line, owner: proc.name });
        return;
      }
      case 'unpin':
      case 'close':
        this.release(o.op === 'unpin' ? 'pin' : 'pipe', o.name, s.span.line);
        return;
      case 'clear-soft-dirty':
        return;
    }
  }

  private actor(name: Name): ProcessInfo | undefined {
    const p = this.scope.processes.get(name.text);
    if (p) {
      if (p.alive) return p;
      this.report(name.span, 'process-exited', `process ${name.text} exited at line ${p.exitLine}; an exited process can do nothing more`);
      return undefined;
    }
    if (this.brokenNames.has(name.text)) return undefined;
    const later = this.everCreated.get(name.text);
    const alive = this.aliveNames();
    const why = later !== undefined ? `it is created by the fork at line ${later}, after this step` : `only P0 exists at the start and fork creates the others${didYouMean(name.text, alive)}`;
    this.report(name.span, 'unknown-process', `process ${quote(name.text)} does not exist at this step: ${why}; alive here: ${this.listed('alive', alive)}`);
    return undefined;
  }

  private checkNewMapping(proc: ProcessInfo, name: Name): void {
    const m = proc.mappings.get(name.text);
    if (m) this.report(name.span, 'duplicate-mapping', `${proc.name} already has a mapping ${name.text} (from line ${m.line}); pick another name or munmap it first`);
  }

  private release(kind: 'pin' | 'pipe', name: Name, line: number): void {
    const h = this.scope.handles.get(name.text);
    const verb = kind === 'pin' ? 'unpin' : 'close';
    if (!h) {
      if (this.brokenNames.has(name.text)) return;
      const open = this.openHandles(kind);
      this.report(name.span, `unknown-${kind}`, `no ${kind} named ${quote(name.text)}${didYouMean(name.text, open)}; ${kind === 'pin' ? '"pin RANGE ro|rw as NAME"' : '"vmsplice RANGE as NAME"'} creates one; open ${kind}s here: ${this.listed(`open:${kind}`, open)}`);
    } else if (h.kind !== kind) {
      this.report(name.span, `not-a-${kind}`, `${name.text} is a ${h.kind} (line ${h.line}), not a ${kind}; ${h.kind === 'pin' ? 'unpin' : 'close'} ${name.text} releases it`);
    } else if (h.releasedLine !== undefined) {
      this.report(name.span, `${kind}-released`, `${kind} ${name.text} was already released at line ${h.releasedLine}; ${verb} it only once`);
    } else {
      h.releasedLine = line;
    }
  }

  /** Resolves a range in a process; reports what is wrong. Returns the mapping when the name resolves. */
  private range(proc: ProcessInfo, r: RangeRef): MappingInfo | undefined {
    const m = proc.mappings.get(r.mapping.text);
    if (!m) {
      if (this.brokenNames.has(r.mapping.text)) return undefined;
      const names = this.mappingNames(proc);
      const why = proc.alive ? '' : ` (${proc.name} has exited)`;
      this.report(r.mapping.span, 'unknown-mapping', `${proc.name} has no mapping ${quote(r.mapping.text)}${why}${didYouMean(r.mapping.text, names)}; its mappings here: ${this.listed(`maps:${proc.name}`, names)}`);
      return undefined;
    }
    const start = r.start ? this.indexPage(r.start) : 0;
    const end = r.end ? this.indexPage(r.end) : undefined;
    if (start === undefined || (r.end && end === undefined) || m.pages === undefined) return m;
    const pages = m.pages;
    const size = () => `${m.name} has ${pages} page${pages === 1 ? '' : 's'} (${formatSize(pages * PAGE_SIZE)})`;
    if (r.single) {
      if (start >= pages) this.report(r.span, 'range-outside-mapping', `page ${start} is outside the mapping: ${size()}, pages 0 to ${pages - 1}`);
      return m;
    }
    const last = end ?? pages;
    if (start >= pages && r.start) this.report(r.start.span, 'range-outside-mapping', `range starts at page ${start}, outside the mapping: ${size()}`);
    else if (last > pages && r.end) this.report(r.end.span, 'range-outside-mapping', `range ends at page ${last}, past the end of the mapping: ${size()}, so the end can be at most ${pages}`);
    else if (start >= last) this.report(r.span, 'empty-range', `range ${m.name}[${start}..${last}] is empty: the end is exclusive, so write an end larger than the start`);
    return m;
  }

  private indexPage(i: RangeIndex): number | undefined {
    if (i.kind === 'page') return i.value;
    if (i.value % PAGE_SIZE === 0) return i.value / PAGE_SIZE;
    const down = Math.floor(i.value / PAGE_SIZE) * PAGE_SIZE;
    this.report(i.span, 'unaligned-offset', `byte offset ${formatSize(i.value)} is not page-aligned; use a multiple of 4K such as ${formatSize(down)} or ${formatSize(down + PAGE_SIZE)}, or a page number`);
    return undefined;
  }

  // ------------------------------------------------------------ expectations

  expectations(): void {
    const run = this.scenario.header.policies;
    const runIds = run ? new Set(run.ids.map((n) => n.text)) : undefined;
    for (const e of this.scenario.expectations) {
      for (const id of e.policies ?? []) {
        if (this.policyId(id) && runIds && !runIds.has(id.text)) {
          this.report(id.span, 'policy-not-run', `${id.text} is not in this scenario's policies (line ${run!.span.line}); this expectation is only checked when a run selects ${id.text}`, 'warning');
        }
      }
      this.condition(e);
    }
  }

  private condition(e: Expectation): void {
    const { lhs, op, rhs } = e.condition;
    const l = this.value(lhs);
    const r = this.value(rhs);
    if (!l || !r) return;
    if (l.type !== r.type) {
      const boolSide = l.type === 'bool' ? lhs : rhs;
      this.report(spanOf(e), 'type-mismatch', `${describe(boolSide)} is true or false but ${describe(boolSide === lhs ? rhs : lhs)} is a number; compare a true/false value with true or false`);
      return;
    }
    if (l.type === 'bool' && op !== '==' && op !== '!=') {
      this.report(spanOf(e), 'bool-ordering', `"${op}" does not order true/false values; use == or !=`);
      return;
    }
    if (l.pages !== undefined && r.pages !== undefined && l.pages !== r.pages) {
      this.report(spanOf(e), 'range-length-mismatch', `the two ranges have ${l.pages} and ${r.pages} pages; page properties are compared page by page, so both sides need the same number of pages`);
    }
    const constant = (v: Value) => v.kind === 'number' || v.kind === 'bool';
    if (constant(lhs) && constant(rhs)) this.report(spanOf(e), 'constant-condition', 'both sides are constants, so this expectation does not look at the run', 'warning');
    for (const [v, other] of [[lhs, rhs], [rhs, lhs]] as const) {
      if (v.kind === 'page' && v.property === 'data' && other.kind === 'number' && other.value > 255) {
        this.report(other.span, 'out-of-range-value', `data is one byte (0 to 255), so it is never ${other.value}`, 'warning');
      }
    }
  }

  /** Type and page count of a value, or undefined when it does not resolve (already reported). */
  private value(v: Value): { type: 'bool' | 'number'; pages?: number } | undefined {
    switch (v.kind) {
      case 'number':
        return { type: 'number' };
      case 'bool':
        return { type: 'bool' };
      case 'counter':
        return { type: 'number' };
      case 'process-counter': {
        const { process: proc } = v;
        if (this.scope.processes.has(proc.text) || this.brokenNames.has(proc.text)) return { type: 'number' };
        const names = this.processNames();
        this.report(proc.span, 'unknown-process', `no process ${quote(proc.text)} in this scenario${didYouMean(proc.text, names)}; processes: ${this.listed('procs', names)}`);
        return undefined;
      }
      case 'page': {
        const type = BOOL_PROPERTIES.has(v.property) ? 'bool' : 'number';
        const { process: procName } = v;
        const proc = this.scope.processes.get(procName.text);
        if (!proc) {
          if (this.brokenNames.has(procName.text)) return undefined;
          const names = this.processNames();
          this.report(procName.span, 'unknown-process', `no process ${quote(procName.text)} in this scenario${didYouMean(procName.text, names)}; processes: ${this.listed('procs', names)}`);
          return undefined;
        }
        if (!proc.alive) {
          this.report(procName.span, 'process-exited', `process ${proc.name} exited at line ${proc.exitLine}, so it has no pages to inspect after the run; expect on its counters instead (${proc.name}.pgfault)`);
          return undefined;
        }
        const m = this.range(proc, v.range);
        return { type, pages: m ? rangePages(v.range, m.pages) : undefined };
      }
    }
  }
}

function roundUpPage(bytes: number): number {
  return Math.max(PAGE_SIZE, Math.ceil(bytes / PAGE_SIZE) * PAGE_SIZE);
}

function isWhole(r: RangeRef, m: MappingInfo): boolean {
  if (!r.start && !r.end && !r.single) return true;
  return m.pages !== undefined && rangePages(r, m.pages) === m.pages;
}

function list(names: string[]): string {
  if (names.length === 0) return 'none';
  const shown = names.slice(0, MAX_LISTED).join(', ');
  return names.length > MAX_LISTED ? `${shown} and ${names.length - MAX_LISTED} more` : shown;
}

function spanOf(e: Expectation): Span {
  const { lhs, rhs } = e.condition;
  return { line: lhs.span.line, col: lhs.span.col, endLine: rhs.span.endLine, endCol: rhs.span.endCol };
}

function describe(v: Value): string {
  switch (v.kind) {
    case 'number':
      return String(v.value);
    case 'bool':
      return String(v.value);
    case 'counter':
      return v.name;
    case 'process-counter':
      return v.name;
    case 'page':
      return v.property;
  }
}
