// Public surface of the simulated mm engine: what a run returns and how views
// read the state at any step. Everything here is plain data (numbers, strings,
// arrays, typed arrays, plain objects) so it crosses a structured-clone
// boundary (Web Worker, Electron utility process, MessagePort) unchanged.

import type {
  GlobalCounter,
  PolicyId,
  ProcessCounter,
  Scenario,
  Span,
} from '../lang/ast';

export interface RunOptions {
  /** Check the kernel invariants after every step (engine-model.md "debug mode"). Default true. */
  checkInvariants?: boolean;
  /** Also apply checks the kernel only runs under CONFIG_DEBUG_VM in decisions. Default false. */
  debugVm?: boolean;
  /** Stop after this many steps (budget). Default: no limit. */
  maxSteps?: number;
  /** Stop after this many page operations (faults, zaps, copies). Default: no limit. */
  maxPageOps?: number;
  /** Wall-clock budget in ms. Default: no limit. */
  timeBudgetMs?: number;
  /** Polled between steps and every few thousand pages inside a step; true = cancel. */
  shouldStop?: () => boolean;
}

export type FaultType = 'anon' | 'wp' | 'unshare' | 'swapin';
export type FaultLevel = 'pte' | 'pmd';
export type FaultDecision = 'alloc' | 'reuse' | 'copy' | 'split-fallback';

/** Reason codes name the deciding condition (engine-model.md "Decisions and reasons"). */
export const REASON_CODES = [
  'ALLOC_NEW_FOLIO',
  'ALLOC_THP',
  'ALLOC_MTHP',
  'ALLOC_FALLBACK_ORDER0',
  'ALLOC_ZEROPAGE_COPY',
  'REUSE_ANON_EXCLUSIVE',
  'REUSE_REFCOUNT_ONE',
  'REUSE_ALL_MAPPINGS_OURS',
  'REUSE_SWAP_EXCLUSIVE',
  'REUSE_ORACLE_EXCLUSIVE',
  'COPY_MAPPED_BY_OTHER_MM',
  'COPY_REFCOUNT_NE_MAPCOUNT',
  'COPY_REFCOUNT_GT_ONE',
  'COPY_ENTIRE_MAPPED',
  'COPY_MAPCOUNT_GT_NR_PAGES',
  'COPY_LARGE_FOLIO',
  'COPY_SINGLE_PAGE_FREES_FOLIO',
  'COPY_SWAPCACHE',
  'COPY_MAYBE_SHARED_BIT',
  'COPY_SEQCOUNT_WRITER',
  'COPY_KSM',
  'SPLIT_PMD_FALLBACK',
  'SWAPIN_SHARED',
  /** A read fault mapped the shared (or huge) zeropage. */
  'MAP_ZEROPAGE',
] as const;
export type ReasonCode = (typeof REASON_CODES)[number];

export type EventKind =
  | 'fault'
  | 'folio-alloc'
  | 'folio-free'
  | 'thp-fallback'
  | 'split-pmd'
  | 'deferred-split'
  | 'split-folio'
  | 'split-folio-failed'
  | 'collapse'
  | 'fork-copy'
  | 'swap-out'
  | 'swap-in'
  | 'pin'
  | 'unpin'
  | 'gup-get'
  | 'pipe-close'
  | 'syscall-error'
  | 'violation'
  | 'invariant'
  | 'policy-note';

/** What a policy looked at when it decided. Absent fields were not consulted. */
export interface Evidence {
  refcount?: number;
  mapcount?: number;
  entireMapcount?: number;
  pageMapcount?: number;
  nrPages?: number;
  pincount?: number;
  anonExclusive?: boolean;
  swapcache?: boolean;
  /** rmapid: the folio's rmap values and the values this mm would need (decimal strings, u64). */
  rmapValues?: string[];
  rmapExpected?: string[];
  rmapSeq?: number;
  /** v6.15: the two MM-ID slots and the "maybe mapped shared" bit. */
  mmSlots?: { mmId: number; mapcount: number }[];
  maybeMappedShared?: boolean;
}

export interface FaultInfo {
  type: FaultType;
  level: FaultLevel;
  decision: FaultDecision;
  reason: ReasonCode;
  /** Kernel function and version whose rule decided, e.g. `wp_can_reuse_anon_folio (v6.9)`. */
  rule: string;
  evidence: Evidence;
}

export interface TraceEvent {
  /** Position in the trace. */
  index: number;
  /** Index of the scenario step that produced it. */
  step: number;
  kind: EventKind;
  /** Process name (`P0`, ...), when the event belongs to one. */
  process?: string;
  /** Mapping name and page index inside it, when the event concerns a page. */
  mapping?: string;
  page?: number;
  /** Virtual address of the page. */
  address?: number;
  pfn?: number;
  order?: number;
  fault?: FaultInfo;
  /** One sentence for everything else (splits, swaps, errors, violations). */
  message?: string;
}

/**
 * The trace in columnar form (cheap to record at a million events, cheap to
 * clone). Decode one event with `decodeTraceEvent` from `core/mm/trace`.
 * The engine chooses the columns; consumers only use `length` and the decoder.
 */
export interface TraceData {
  length: number;
  /** Each column is a list of fixed-size chunks, moved as they are (never concatenated). */
  columns: Record<string, Int32Array[]>;
  strings: string[];
  /** Rich evidence for events that have more than the columns hold, by event index. */
  extra: Record<number, Partial<TraceEvent>>;
}

export type Counters = Record<GlobalCounter, number> & Record<string, number>;
export type ProcessCounters = Record<ProcessCounter, number> & Record<string, number>;

export interface StepRecord {
  index: number;
  line: number;
  /** Statement as written (e.g. `P0: write A[5]`). */
  text: string;
  process: string;
  /** The syscall's error when the kernel would refuse the step, e.g. `mprotect: ENOMEM: A[9] is outside the mapping`. */
  error?: string;
  /** Events [firstEvent, endEvent) of the trace belong to this step. */
  firstEvent: number;
  endEvent: number;
  /** Wall time the engine spent on this step in ms, checks included (not deterministic: never compare it). */
  elapsedMs?: number;
}

export type ViolationKind = 'leak' | 'lost-write' | 'pin-incoherent' | 'pipe-changed';

export interface Violation {
  kind: ViolationKind;
  step: number;
  line: number;
  process: string;
  mapping?: string;
  page?: number;
  /** The byte POSIX says the process must read, and the byte it reads. */
  expected: number;
  actual: number;
  message: string;
}

export interface InvariantFailure {
  step: number;
  line: number;
  /** e.g. `refcount >= mapcount`, `writable PTE maps a PageAnonExclusive page`. */
  invariant: string;
  message: string;
  /** True when the policy's own decision broke it (a policy defect, not an engine bug). */
  policyDefect: boolean;
}

export interface ExpectationResult {
  line: number;
  text: string;
  span: Span;
  passed: boolean;
  /** The value(s) found: a number/boolean, or for a page range the first page that failed. */
  actual: number | boolean | null;
  /** Why it failed (which page, which value), or why it could not be evaluated. */
  message?: string;
}

/** Per-step series for charts (one entry per step, after the step). */
export interface Timeline {
  memUsed: number[];
  pgfault: number[];
  pgreuse: number[];
  cowCopies: number[];
  violations: number[];
}

export interface RunResult {
  policy: PolicyId;
  title: string;
  passed: boolean;
  /** Set when the run ended early: budget exhausted or cancelled. */
  stopped?: { reason: 'budget' | 'cancelled' | 'out-of-memory' | 'invalid'; message: string; atStep: number };
  steps: StepRecord[];
  trace: TraceData;
  counters: Counters;
  processes: Record<string, ProcessCounters>;
  violations: Violation[];
  invariants: InvariantFailure[];
  expectations: ExpectationResult[];
  timeline: Timeline;
  elapsedMs: number;
}

// ---------------------------------------------------------------------------
// State views (time travel). A session replays the deterministic run up to a
// step and answers queries there; nothing copies the whole state per step.

/** Bits of a page cell in the memory map (one byte per virtual page). */
export const CELL = {
  PRESENT: 1,
  WRITABLE: 2,
  ANON_EXCLUSIVE: 4,
  PMD_MAPPED: 8,
  SWAPPED: 16,
  /** The folio is also mapped by another mm. */
  SHARED: 32,
  /** First page of its folio (draw folio boundaries). */
  FOLIO_HEAD: 64,
  PINNED: 128,
} as const;

export interface VmaView {
  mapping: string;
  start: number; // virtual address
  pages: number;
  /** Index in its mapping of the VMA's first page (mprotect/madvise split a mapping into VMAs that share its name). */
  firstPage?: number;
  prot: 'rw' | 'ro' | 'none';
  flags: string[]; // e.g. ['VM_HUGEPAGE', 'VM_DONTCOPY']
}

export interface ProcessView {
  name: string;
  pid: number;
  alive: boolean;
  parent?: string;
  /** The mm ID this policy assigned (rmap ID for rmapid, MM ID for v6.15), if any. */
  mmId?: number;
  hasPinned: boolean;
  vmas: VmaView[];
  counters: ProcessCounters;
}

export interface FolioView {
  pfn: number;
  order: number;
  nrPages: number;
  refcount: number;
  pincount: number;
  mapcount: number;
  entireMapcount: number;
  /** Per-page mapcounts (length nrPages). */
  pageMapcounts: number[];
  /** Per-page PageAnonExclusive bits (length nrPages). */
  anonExclusive: boolean[];
  flags: string[]; // 'anon', 'swapcache', 'lru', 'partially_mapped', 'deferred_split', ...
  /**
   * Who maps which pages: process name -> page indexes inside the folio, plus PMD mappers.
   * `firstPage`: the mapping's page index that folio page 0 lines up with (page k of the
   * folio is mapping page firstPage + k), so views can link a folio page to its virtual page.
   */
  mappers: { process: string; mapping: string; pages: number[]; pmd: boolean; firstPage?: number }[];
  /** Policy state: rmapid values/seqcount, or v6.15 slots and shared bit. */
  policyState?: {
    rmapValues?: string[];
    rmapSeq?: number;
    mmSlots?: { mmId: number; mapcount: number }[];
    maybeMappedShared?: boolean;
  };
}

/** The page-table walk VMA -> PMD -> PTE -> folio -> page for one virtual page. */
export interface PageWalk {
  process: string;
  mapping: string;
  page: number;
  address: number;
  vma: VmaView | null;
  pmd: { kind: 'none' | 'huge' | 'table'; writable?: boolean; pfn?: number };
  pte: {
    kind: 'none' | 'present' | 'swap';
    pfn?: number;
    writable?: boolean;
    dirty?: boolean;
    softDirty?: boolean;
    swapSlot?: number;
    swapExclusive?: boolean;
  } | null;
  folio: FolioView | null;
  pageInFolio?: number;
  /** The byte the process reads there, and the byte POSIX says it must read. */
  data: number | null;
  logicalData: number;
}

export interface StateQuery {
  processes(): ProcessView[];
  /** Cell bytes (CELL bits) for `count` pages of a mapping from page `from`. */
  pageCells(process: string, mapping: string, from: number, count: number): Uint8Array;
  pageWalk(process: string, mapping: string, page: number): PageWalk | null;
  /** Folios in PFN order, paged. */
  folios(offset: number, limit: number): { total: number; folios: FolioView[] };
  folio(pfn: number): FolioView | null;
}

/** A run kept alive for views: `at(step)` is the state after that step (-1 = before the first). */
export interface Session {
  readonly result: RunResult;
  at(step: number): StateQuery;
}

export type { Scenario };
