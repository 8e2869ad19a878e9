// The typed AST of the Folio Lab scenario language, version 1
// (../shared/spec/scenario-language.md). One parser produces it; the checker,
// the formatter, the engine, the editor and the command line all read it.
//
// Positions are 1-based (line and column, columns count UTF-16 code units as
// Monaco does); `endCol` is exclusive. Every node carries the span it was
// parsed from so diagnostics, hovers and expectation results can point at it.

export interface Span {
  line: number;
  col: number;
  endLine: number;
  endCol: number;
}

export type Severity = 'error' | 'warning' | 'info';

export interface Diagnostic extends Span {
  severity: Severity;
  message: string;
  /** Stable machine-readable code, e.g. `unknown-advice`, `range-outside-mapping`. */
  code: string;
}

/** Built-in policy ids, in the spec's order. `ideal` is an oracle policy. */
export const BUILTIN_POLICIES = ['v6.7', 'v6.9', 'rmapid', 'v6.15'] as const;
export const EXTRA_POLICIES = ['ideal'] as const;
export type PolicyId = (typeof BUILTIN_POLICIES)[number] | (typeof EXTRA_POLICIES)[number];
export const ALL_POLICIES: readonly PolicyId[] = [...BUILTIN_POLICIES, ...EXTRA_POLICIES];
export function isPolicyId(s: string): s is PolicyId {
  return (ALL_POLICIES as readonly string[]).includes(s);
}

export type ThpMode = 'always' | 'madvise' | 'never';
export type Prot = 'rw' | 'ro' | 'none';
export type PinMode = 'ro' | 'rw';
export const ADVICES = [
  'hugepage',
  'nohugepage',
  'dontneed',
  'pageout',
  'collapse',
  'dontfork',
  'dofork',
  'wipeonfork',
] as const;
export type Advice = (typeof ADVICES)[number];

/** A name as written, with where it was written. */
export interface Name {
  text: string;
  span: Span;
}

/** One end of a range: a page number (`A[3]`) or a page-aligned byte offset (`A[12K]`). */
export interface RangeIndex {
  kind: 'page' | 'bytes';
  /** As written: a page number, or a byte offset. */
  value: number;
  span: Span;
}

/**
 * `A` (whole), `A[i]` (single page), `A[i..j]`, `A[i..]`, `A[..j]`.
 * `start`/`end` are absent when open; `single` is true for `A[i]`.
 */
export interface RangeRef {
  mapping: Name;
  single: boolean;
  start?: RangeIndex;
  end?: RangeIndex;
  span: Span;
}

export type Operation =
  | { op: 'mmap'; name: Name; size: number; prot: Prot }
  | { op: 'munmap'; range: RangeRef }
  | { op: 'mprotect'; range: RangeRef; prot: Prot }
  | { op: 'madvise'; range: RangeRef; advice: Advice }
  | { op: 'mremap'; range: RangeRef; newName: Name }
  | { op: 'read'; range: RangeRef }
  | { op: 'write'; range: RangeRef; byte?: number }
  | { op: 'fork'; child: Name }
  | { op: 'exit' }
  | { op: 'pin'; range: RangeRef; mode: PinMode; name: Name }
  | { op: 'unpin'; name: Name }
  | { op: 'vmsplice'; range: RangeRef; name: Name }
  | { op: 'close'; name: Name }
  | { op: 'split'; range: RangeRef }
  | { op: 'clear-soft-dirty' };

export type OpName = Operation['op'];

export interface Step {
  actor: Name;
  operation: Operation;
  /** The whole statement, without its comment. */
  span: Span;
  /** 0-based index among the scenario's steps. */
  index: number;
}

export type CmpOp = '==' | '!=' | '<' | '<=' | '>' | '>=';

export const GLOBAL_COUNTERS = [
  'pgfault',
  'pgreuse',
  'cow_copies',
  'fork_copies',
  'thp_fault_alloc',
  'thp_fault_fallback',
  'thp_split_pmd',
  'thp_split_page',
  'thp_split_page_failed',
  'thp_deferred_split_page',
  'pswpin',
  'pswpout',
  'violations',
  'mem.used',
  'mem.peak',
] as const;
export type GlobalCounter = (typeof GLOBAL_COUNTERS)[number];

export const PROCESS_COUNTERS = ['pgfault', 'pgreuse', 'cow_copies', 'rss', 'pss', 'uss', 'anon_huge', 'swap'] as const;
export type ProcessCounter = (typeof PROCESS_COUNTERS)[number];

export const PAGE_PROPERTIES = [
  'data',
  'pfn',
  'present',
  'writable',
  'swapped',
  'exclusive',
  'anon_exclusive',
  'pmd_mapped',
  'order',
  'refcount',
  'mapcount',
  'page_mapcount',
] as const;
export type PageProperty = (typeof PAGE_PROPERTIES)[number];

export type Value =
  /** `size` is set when the number was written as a size (`2M`), so it prints back as one. */
  | { kind: 'number'; value: number; span: Span; size?: boolean }
  | { kind: 'bool'; value: boolean; span: Span }
  | { kind: 'counter'; name: GlobalCounter; span: Span }
  | { kind: 'process-counter'; process: Name; name: ProcessCounter; span: Span }
  | { kind: 'page'; process: Name; range: RangeRef; property: PageProperty; span: Span };

export interface Condition {
  lhs: Value;
  op: CmpOp;
  rhs: Value;
}

export interface Expectation {
  condition: Condition;
  /** Policies named after `for`; absent = every policy of the run. */
  policies?: Name[];
  /** The condition as written (without `expect` and the `for` clause), e.g. `P0.pgreuse == 1`. */
  text: string;
  span: Span;
}

export interface ThpSetting {
  /** Folio size in bytes: a power of two from 16K to 2M. */
  size: number;
  mode: ThpMode;
  span: Span;
}

export interface Header {
  title?: { value: string; span: Span };
  policies?: { ids: Name[]; span: Span };
  thp?: { settings: ThpSetting[]; span: Span };
  memory?: { bytes: number; span: Span };
  swap?: { bytes: number; span: Span };
}

/** A comment line or trailing comment, kept so the formatter loses nothing the user wrote. */
export interface Comment {
  text: string; // including the leading '#'
  line: number;
  /** True when the comment follows a statement on the same line. */
  trailing: boolean;
}

export interface Scenario {
  /** File name used for diagnostics and as the default title. */
  file: string;
  header: Header;
  steps: Step[];
  expectations: Expectation[];
  comments: Comment[];
}

export interface ParseResult {
  /** Always present, even with errors: statements that failed to parse are left out. */
  scenario: Scenario;
  diagnostics: Diagnostic[];
}

/** Defaults of the header directives (spec table "Header directives"). */
export const DEFAULT_MEMORY = 4 * 1024 ** 3;
export const DEFAULT_SWAP = 1024 ** 3;
export const PAGE_SIZE = 4096;
export const PMD_SIZE = 2 * 1024 * 1024;
export const PMD_ORDER = 9;
