// The one source of documentation for the scenario language: every keyword,
// operation, advice, page property, counter, directive and policy id. The
// editor's hover and completion read it, and docs/language.md's reference
// section is generated from it (`referenceMarkdown`), so they cannot drift.
// The Record types make the compiler insist on an entry for every name the
// AST defines.

import type { Advice, GlobalCounter, OpName, PageProperty, PolicyId, ProcessCounter, Prot, ThpMode } from './ast';
import { OPERATION_SYNTAX, type Directive } from './parser';

export type DocKind = 'keyword' | 'directive' | 'operation' | 'advice' | 'protection' | 'thp-mode' | 'property' | 'counter' | 'process-counter' | 'policy';

export interface DocEntry {
  kind: DocKind;
  name: string;
  /** One sentence. */
  summary: string;
  /** How it is written. */
  syntax?: string;
  /** The Linux interface it models. */
  linux?: string;
  /** Default, unit or further detail. */
  detail?: string;
}

type Doc = Omit<DocEntry, 'kind' | 'name'>;

const DIRECTIVE_DOCS: Record<Directive, Doc> = {
  scenario: { syntax: 'scenario "TITLE"', summary: 'Title shown in views and reports.', detail: 'Default: the file name.' },
  policies: { syntax: 'policies ID...', summary: 'Policies to run, in this order.', detail: 'Default: every built-in policy (v6.7 v6.9 rmapid v6.15).' },
  thp: {
    syntax: 'thp SIZE=MODE...',
    summary: 'Per-size transparent huge page mode; SIZE is a power of two from 16K to 2M, MODE is always, madvise or never.',
    linux: '/sys/kernel/mm/transparent_hugepage/hugepages-*/enabled',
    detail: 'Default: 2M=madvise, smaller sizes never.',
  },
  memory: { syntax: 'memory SIZE', summary: 'Physical memory the engine may allocate.', detail: 'Default: 4G.' },
  swap: { syntax: 'swap SIZE', summary: 'Swap space; 0 means no swap.', detail: 'Default: 1G.' },
};

const OPERATION_DOCS: Record<OpName, Omit<Doc, 'syntax'>> = {
  mmap: {
    summary: 'Creates a private anonymous mapping, rw unless a protection is given; a mapping of 2M or more starts 2M-aligned.',
    linux: 'mmap(MAP_PRIVATE|MAP_ANONYMOUS)',
  },
  munmap: { summary: 'Unmaps the range; unmapping the whole mapping removes its name.', linux: 'munmap()' },
  mprotect: { summary: 'Changes the protection of the range to rw, ro or none.', linux: 'mprotect()' },
  madvise: { summary: 'Gives the kernel advice about the range (see the advice list).', linux: 'madvise()' },
  mremap: {
    summary: 'Moves the pages of the range to a new mapping NEWNAME at a fresh address that is not 2M-aligned.',
    linux: 'mremap(MREMAP_MAYMOVE|MREMAP_FIXED)',
  },
  read: { summary: 'Reads one byte of every page in the range (may fault pages in).', linux: 'a load instruction' },
  write: {
    summary: 'Writes BYTE (0 to 255) to every page in the range; without BYTE each write step stores a fresh value.',
    linux: 'a store instruction (write fault, copy-on-write)',
  },
  fork: { summary: 'Forks the process; the child gets the name NAME and inherits the mappings.', linux: 'fork()' },
  exit: { summary: 'The process exits and its mm is torn down; it can do nothing afterwards.', linux: 'exit()' },
  pin: {
    summary: 'Long-term pins every page of the range, read-only or read-write, under the name NAME.',
    linux: 'pin_user_pages(FOLL_PIN|FOLL_LONGTERM), as io_uring fixed buffers and gup_test R/O pins do',
  },
  unpin: { summary: 'Releases the pin NAME.', linux: 'unpin_user_pages()' },
  vmsplice: {
    summary: 'Splices the pages of the range into a pipe NAME: plain references, no unsharing.',
    linux: 'vmsplice() (FOLL_GET)',
  },
  close: { summary: 'Closes the pipe NAME, dropping its page references.', linux: 'close()' },
  split: { summary: 'Splits the folios behind the range to order 0.', linux: 'debugfs split_huge_pages' },
  'clear-soft-dirty': {
    summary: 'Write-protects every PTE of the process (clears the soft-dirty bits).',
    linux: 'echo 4 > /proc/self/clear_refs',
  },
};

const ADVICE_DOCS: Record<Advice, Doc> = {
  hugepage: { summary: 'Allows THP for the range when the THP mode is madvise.', linux: 'madvise(MADV_HUGEPAGE)' },
  nohugepage: { summary: 'Forbids THP for the range.', linux: 'madvise(MADV_NOHUGEPAGE)' },
  dontneed: { summary: 'Zaps the range: the next access faults in a fresh zeroed page.', linux: 'madvise(MADV_DONTNEED)' },
  pageout: { summary: 'Reclaims the pages of the range to swap.', linux: 'madvise(MADV_PAGEOUT)' },
  collapse: { summary: 'Collapses the range into PMD-mapped THPs where possible.', linux: 'madvise(MADV_COLLAPSE)' },
  dontfork: { summary: 'A child created by fork does not inherit the range.', linux: 'madvise(MADV_DONTFORK)' },
  dofork: { summary: 'Undoes dontfork: a child inherits the range again.', linux: 'madvise(MADV_DOFORK)' },
  wipeonfork: { summary: 'A child created by fork gets the range zero-filled.', linux: 'madvise(MADV_WIPEONFORK)' },
};

const PROT_DOCS: Record<Prot, Doc> = {
  rw: { summary: 'Readable and writable.', linux: 'PROT_READ|PROT_WRITE' },
  ro: { summary: 'Read-only.', linux: 'PROT_READ' },
  none: { summary: 'No access.', linux: 'PROT_NONE' },
};

const THP_MODE_DOCS: Record<ThpMode, Doc> = {
  always: { summary: 'THP of this size for every suitable anonymous fault.' },
  madvise: { summary: 'THP of this size only in ranges given `madvise RANGE hugepage`.' },
  never: { summary: 'No THP of this size.' },
};

const PROPERTY_DOCS: Record<PageProperty, Doc> = {
  data: { summary: 'The byte the process reads at that page.' },
  pfn: { summary: 'Page frame number of the physical page mapped there.', linux: '/proc/PID/pagemap bits 0-54' },
  present: { summary: 'true when the page is mapped.', linux: 'pagemap bit 63' },
  writable: { summary: 'true when the page table entry is writable.' },
  swapped: { summary: 'true when the page is in swap.', linux: 'pagemap bit 62' },
  exclusive: { summary: 'true when the page is mapped exactly once.', linux: 'pagemap bit 56' },
  anon_exclusive: { summary: 'true when the page is marked exclusive to one mm.', linux: 'PageAnonExclusive' },
  pmd_mapped: { summary: 'true when the page is mapped by a PMD (a whole THP).' },
  order: { summary: 'Order of the folio holding the page (0 = 4K page, 9 = 2M THP).', linux: 'folio_order()' },
  refcount: { summary: 'Reference count of the folio.', linux: 'folio_ref_count()' },
  mapcount: { summary: 'Map count of the folio: all its mappings.', linux: 'folio_mapcount()' },
  page_mapcount: { summary: 'Map count of this one page.', linux: 'page_mapcount()' },
};

const COUNTER_DOCS: Record<GlobalCounter, Doc> = {
  pgfault: { summary: 'Page faults, all processes.', linux: '/proc/vmstat pgfault' },
  pgreuse: { summary: 'Write faults resolved by reusing the page.', linux: '/proc/vmstat pgreuse' },
  cow_copies: { summary: 'Write faults resolved by copying into a new page.' },
  fork_copies: { summary: 'Pages fork had to copy eagerly (pinned pages).' },
  thp_fault_alloc: { summary: 'THPs allocated on a fault.', linux: '/proc/vmstat thp_fault_alloc' },
  thp_fault_fallback: { summary: 'THP faults that fell back to small pages.', linux: '/proc/vmstat thp_fault_fallback' },
  thp_split_pmd: { summary: 'PMD mappings split into page tables.', linux: '/proc/vmstat thp_split_pmd' },
  thp_split_page: { summary: 'Large folios split into small pages.', linux: '/proc/vmstat thp_split_page' },
  thp_split_page_failed: { summary: 'Large folio splits that failed.', linux: '/proc/vmstat thp_split_page_failed' },
  thp_deferred_split_page: { summary: 'Large folios queued for a deferred split.', linux: '/proc/vmstat thp_deferred_split_page' },
  pswpin: { summary: 'Pages swapped in.', linux: '/proc/vmstat pswpin' },
  pswpout: { summary: 'Pages swapped out.', linux: '/proc/vmstat pswpout' },
  violations: { summary: 'Isolation and pin-coherency violations the engine detected (a process saw data it must not see).' },
  'mem.used': { summary: 'Bytes of simulated physical memory in use after the run.' },
  'mem.peak': { summary: 'Most bytes of simulated physical memory in use at any time.' },
};

const PROCESS_COUNTER_DOCS: Record<ProcessCounter, Doc> = {
  pgfault: { summary: 'Page faults of this process.' },
  pgreuse: { summary: 'Write faults of this process resolved by reuse.' },
  cow_copies: { summary: 'Write faults of this process resolved by a copy.' },
  rss: { summary: 'Resident bytes.', linux: '/proc/PID/smaps Rss' },
  pss: { summary: 'Proportional resident bytes (shared pages divided among their mappers).', linux: '/proc/PID/smaps Pss' },
  uss: { summary: 'Bytes mapped only by this process.' },
  anon_huge: { summary: 'Bytes mapped by PMD-mapped THPs.', linux: '/proc/PID/smaps AnonHugePages' },
  swap: { summary: 'Bytes of this process in swap.', linux: '/proc/PID/smaps Swap' },
};

const POLICY_DOCS: Record<PolicyId, Doc> = {
  'v6.7': { summary: 'Pre-series baseline: a large folio is reused only when its refcount is 1, i.e. one page is left mapped.' },
  'v6.9': { summary: 'v6.9 to v6.14: large folios are never reused on a write fault.' },
  rmapid: { summary: 'The 2023 proposal "COW reuse support for PTE-mapped THP with rmap IDs" on a v6.7 base.' },
  'v6.15': { summary: 'Upstream MM owner tracking: two MM slots and a "maybe mapped shared" bit.' },
  ideal: { summary: 'Oracle: reuses exactly when the folio is truly exclusive to the faulting process.' },
};

const KEYWORD_DOCS: Record<string, Doc> = {
  expect: {
    syntax: 'expect CONDITION [for POLICY...]',
    summary: 'An expectation checked after the last step, once for every policy named after for (every policy without for).',
  },
  for: { syntax: 'for POLICY...', summary: 'Limits an expectation to the named policies.' },
  as: { syntax: 'pin RANGE ro|rw as NAME / vmsplice RANGE as NAME', summary: 'Names the pin or pipe a step creates.' },
  true: { summary: 'Boolean true, for page properties such as present or writable.' },
  false: { summary: 'Boolean false.' },
};

function entries<K extends string>(kind: DocKind, docs: Record<K, Doc>): DocEntry[] {
  return (Object.keys(docs) as K[]).map((name) => ({ kind, name, ...docs[name] }));
}

export const DOCS: readonly DocEntry[] = [
  ...entries('directive', DIRECTIVE_DOCS),
  ...entries('keyword', KEYWORD_DOCS),
  ...(Object.keys(OPERATION_DOCS) as OpName[]).map((name) => ({ kind: 'operation' as const, name, syntax: OPERATION_SYNTAX[name], ...OPERATION_DOCS[name] })),
  ...entries('advice', ADVICE_DOCS),
  ...entries('protection', PROT_DOCS),
  ...entries('thp-mode', THP_MODE_DOCS),
  ...entries('property', PROPERTY_DOCS),
  ...entries('counter', COUNTER_DOCS),
  ...entries('process-counter', PROCESS_COUNTER_DOCS),
  ...entries('policy', POLICY_DOCS),
];

const byKey = new Map(DOCS.map((d) => [`${d.kind}:${d.name}`, d]));

export function docFor(kind: DocKind, name: string): DocEntry | undefined {
  return byKey.get(`${kind}:${name}`);
}

/** Markdown for a hover or a completion's documentation. */
export function docMarkdown(d: DocEntry): string {
  const parts = [d.syntax ? `\`${d.syntax}\`` : `**${d.name}** (${d.kind.replace('-', ' ')})`, d.summary];
  if (d.linux) parts.push(`Linux: \`${d.linux}\``);
  if (d.detail) parts.push(d.detail);
  return parts.join('\n\n');
}

const SECTIONS: { kind: DocKind; title: string; column: string }[] = [
  { kind: 'directive', title: 'Header directives', column: 'directive' },
  { kind: 'operation', title: 'Operations', column: 'operation' },
  { kind: 'advice', title: 'Advice (`madvise RANGE ADVICE`)', column: 'advice' },
  { kind: 'protection', title: 'Protections', column: 'protection' },
  { kind: 'thp-mode', title: 'THP modes', column: 'mode' },
  { kind: 'property', title: 'Page properties (`PROCESS RANGE.PROPERTY`)', column: 'property' },
  { kind: 'counter', title: 'Counters (totals over all processes)', column: 'counter' },
  { kind: 'process-counter', title: 'Per-process counters (`PROCESS.COUNTER`)', column: 'counter' },
  { kind: 'policy', title: 'Policy ids', column: 'id' },
  { kind: 'keyword', title: 'Other keywords', column: 'keyword' },
];

const cell = (s: string) => s.replace(/\|/g, '\\|');

/** The generated reference section of docs/language.md. */
export function referenceMarkdown(): string {
  const out: string[] = [];
  for (const s of SECTIONS) {
    out.push(`### ${s.title}`, '', `| ${s.column} | meaning | Linux |`, '|---|---|---|');
    for (const d of DOCS.filter((x) => x.kind === s.kind)) {
      const what = [d.summary, d.detail].filter(Boolean).join(' ');
      out.push(`| \`${cell(d.syntax ?? d.name)}\` | ${cell(what)} | ${d.linux ? `\`${cell(d.linux)}\`` : ''} |`);
    }
    out.push('');
  }
  return out.join('\n');
}
