#!/usr/bin/env node
// Generates the cow.c matrix of the example library: every anonymous test case
// of tools/testing/selftests/mm/cow.c on every memory backing the engine
// models, plus the four anonymous-THP collapse cases and the two non-anonymous
// cases on the shared zeropage and the huge zeropage (kernel-semantics.md 6).
//
// Each scenario = the backing's prologue (built as cow.c's do_run_with_*()
// builds it) + the test case's body + expectations: first the selftest's own
// assertion (no leak, the pin sees the write), then what each policy does on
// the way (copies, reuses, PMD splits), derived from kernel-semantics.md.
// Swapped-out backings only get the correctness part: how swap-in decides
// between copy and reuse differs between kernel versions (section 9, item 10).
//
//   node examples/cow/generate.mjs          write examples/cow/*.mms
//   node examples/cow/generate.mjs --check  exit 1 when the files differ
//
// Plain Node, no dependencies; test/examples.test.ts checks that the committed
// files equal this script's output.
import { readdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const POLICIES = ['v6.7', 'v6.9', 'rmapid', 'v6.15'];
const ORIGINAL = 1; // memset(mem, 1, size) in do_run_with_*()
const WRITTEN = '0xff'; // memset(mem, 0xff, size) in the test cases

// ---------------------------------------------------------------- backings

const THP_PROLOGUE = [
  ['P0: mmap A 2M', 'starts 2M-aligned, as cow.c aligns its 4M area'],
  ['P0: madvise A hugepage', 'MADV_HUGEPAGE'],
  ['P0: write A[0] 1', 'touch the first byte: one fault allocates the 2M THP'],
  ['P0: write A 1', 'memset(mem, 1, thpsize)'],
];

/**
 * The THP sizes the matrix covers: the PMD size, and 64 KiB as the
 * representative of cow.c's runs on every other enabled mTHP size.
 */
const THP_SIZES = [
  {
    suffix: '',
    kb: 2048,
    pages: 512,
    noun: '2 MiB THP',
    thp: '2M=always',
    policies: POLICIES,
    note: '',
    prologue: THP_PROLOGUE,
    pteMap: [
      ['P0: mprotect A[1] ro', 'mapping page 1 read-only splits the PMD ...'],
      ['P0: mprotect A[1] rw', '... and the THP stays PTE-mapped'],
    ],
  },
  {
    suffix: '-64k',
    kb: 64,
    pages: 16,
    noun: '64 KiB mTHP',
    thp: '64K=always 2M=never',
    // mTHP arrived in v6.8: on v6.7 cow.c finds no 64K size and never runs this.
    policies: POLICIES.filter((p) => p !== 'v6.7'),
    note: ' Not run under v6.7: multi-size THP arrived in v6.8, so cow.c on v6.7 detects the PMD size only and has no 64K runs.',
    prologue: [
      ['P0: mmap A 2M', 'starts 2M-aligned (cow.c aligns 2 x 64K)'],
      ['P0: madvise A[..16] hugepage', 'MADV_HUGEPAGE on the aligned 64K'],
      ['P0: write A[0] 1', 'touch the first byte: one fault allocates a 64K mTHP'],
      ['P0: write A[..16] 1', 'memset(mem, 1, thpsize)'],
    ],
    pteMap: [
      ['P0: mprotect A[1] ro', 'a no-op for an mTHP, which PTEs map already;'],
      ['P0: mprotect A[1] rw', 'cow.c does it all the same'],
    ],
  },
];

const BASE_BACKINGS = [
  {
    id: 'base',
    kind: 'base',
    cowc: 'base page',
    student: 'a single 4 KiB page',
    about: 'a small (order-0) anonymous page, cow.c do_run_with_base_page().',
    range: 'A',
    pages: 1,
    folio: 1,
    prologue: [
      ['P0: mmap A 4K', ''],
      ['P0: madvise A nohugepage', 'MADV_NOHUGEPAGE'],
      ['P0: write A 1', 'populate the page: memset(mem, 1, pagesize)'],
    ],
  },
  {
    id: 'base-swapped',
    kind: 'base',
    swapped: true,
    cowc: 'swapped out base page',
    student: 'a 4 KiB page that is swapped out',
    about: 'a small anonymous page written and then swapped out with MADV_PAGEOUT.',
    range: 'A',
    pages: 1,
    folio: 1,
    prologue: [
      ['P0: mmap A 4K', ''],
      ['P0: madvise A nohugepage', 'MADV_NOHUGEPAGE'],
      ['P0: write A 1', 'populate the page'],
      ['P0: madvise A pageout', 'MADV_PAGEOUT: the PTE becomes a swap entry'],
    ],
  },
];

const PMD_BACKINGS = [
  {
    id: 'thp',
    kind: 'pmd',
    cowc: 'THP (2048 kB)',
    student: 'a 2 MiB THP mapped by one PMD',
    about: 'a PMD-sized THP mapped by one PMD entry, cow.c THP_RUN_PMD.',
    range: 'A',
    pages: 512,
    prologue: THP_PROLOGUE,
  },
  {
    id: 'thp-swapped',
    kind: 'pmd',
    swapped: true,
    cowc: 'swapped-out THP (2048 kB)',
    student: 'a 2 MiB THP that is swapped out',
    about: 'a PMD-mapped THP swapped out with MADV_PAGEOUT, cow.c THP_RUN_PMD_SWAPOUT.',
    range: 'A',
    pages: 512,
    prologue: [...THP_PROLOGUE, ['P0: madvise A pageout', 'MADV_PAGEOUT of the whole THP']],
  },
].map((b) => ({ ...b, folio: 512, size: THP_SIZES[0] }));

/** The six runs cow.c makes for every THP size (do_run_with_thp). */
function thpBackings(t) {
  const N = t.pages;
  const half = N / 2;
  const all = t.suffix ? `A[..${N}]` : 'A';
  const rest = t.suffix ? `A[1..${N}]` : 'A[1..]';
  const splits = t.suffix ? '' : ': splits the PMD';
  const thp = t.noun;
  const backings = [
    {
      id: 'pte-thp',
      kind: 'pte',
      cowc: 'PTE-mapped THP',
      student: `a ${thp} mapped by ${N} page-table entries`,
      about: `${t.suffix ? 'an mTHP, which PTEs always map' : 'a THP whose PMD was split'}: ${N} PTEs map it, cow.c THP_RUN_PTE.`,
      range: all,
      pages: N,
      prologue: [...t.prologue, ...t.pteMap],
    },
    {
      id: 'pte-thp-swapped',
      kind: 'pte',
      swapped: true,
      cowc: 'swapped-out, PTE-mapped THP',
      student: `a PTE-mapped ${thp} that is swapped out`,
      about: 'a PTE-mapped THP swapped out with MADV_PAGEOUT, cow.c THP_RUN_PTE_SWAPOUT.',
      range: all,
      pages: N,
      prologue: [...t.prologue, ...t.pteMap, [`P0: madvise ${all} pageout`, 'MADV_PAGEOUT']],
    },
    {
      id: 'single-pte-thp',
      kind: 'single',
      cowc: 'single PTE of THP',
      student: `the only page still mapped of a ${thp}`,
      about: `one PTE mapping page 0 of a THP whose other ${N - 1} pages were discarded, cow.c THP_RUN_SINGLE_PTE; the test uses that one page.`,
      range: 'A[0]',
      pages: 1,
      prologue: [...t.prologue, [`P0: madvise ${rest} dontneed`, `discard pages 1..${N - 1}${splits}, one PTE is left`]],
    },
    {
      id: 'single-pte-thp-swapped',
      kind: 'single',
      swapped: true,
      cowc: 'single PTE of swapped-out THP',
      student: `the only page still mapped of a ${thp}, swapped out`,
      about: 'the single remaining PTE of a THP, swapped out, cow.c THP_RUN_SINGLE_PTE_SWAPOUT.',
      range: 'A[0]',
      pages: 1,
      prologue: [
        ...t.prologue,
        [`P0: madvise ${rest} dontneed`, `discard pages 1..${N - 1}: one PTE is left`],
        ['P0: madvise A[0] pageout', 'MADV_PAGEOUT of that page'],
      ],
    },
    {
      id: 'partial-mremap-thp',
      kind: 'mremap',
      cowc: "partially mremap()'ed THP",
      student: `the first half of a ${thp} whose second half was moved away with mremap()`,
      about: `a THP whose second half was moved to another address (B), so one mm maps it through two VMAs, cow.c THP_RUN_PARTIAL_MREMAP; the test uses the first half.`,
      range: `A[..${half}]`,
      pages: half,
      prologue: [...t.prologue, [`P0: mremap A[${half}..${t.suffix ? N : ''}] B`, `move the second half to an unaligned address${splits}`]],
    },
    {
      id: 'partial-shared-thp',
      kind: 'partial',
      cowc: 'partially shared THP',
      student: `a ${thp} whose first page was once shared with a child that has exited`,
      about: `a THP whose page 0 was shared with a short-lived child, cow.c THP_RUN_PARTIAL_SHARED: page 0 is left read-only and not PageAnonExclusive, pages 1..${N - 1} never were shared.`,
      range: all,
      pages: N,
      prologue: [
        ...t.prologue,
        [`P0: madvise ${rest} dontfork`, `MADV_DONTFORK pages 1..${N - 1}${t.suffix ? '' : ' (splits the VMA and the PMD)'}`],
        ['P0: fork Sharer', 'the child inherits page 0 only'],
        ['Sharer: exit', ''],
        [`P0: madvise ${rest} dofork`, 'allow sharing all pages again'],
      ],
    },
  ];
  return backings.map((b) => ({ ...b, id: b.id.replace('-thp', `-thp${t.suffix}`), cowc: `${b.cowc} (${t.kb} kB)`, folio: N, size: t }));
}

const BACKINGS = [...BASE_BACKINGS, ...PMD_BACKINGS, ...THP_SIZES.flatMap(thpBackings)];

const thp = (b) => b.kind !== 'base';

// ---------------------------------------------------------------- values

/**
 * `expect LHS == v` for each policy; expanded by `expandPolicies` once the
 * scenario's policies are known. `values` is one number or one per policy.
 */
function perPolicy(lhs, values, why) {
  return [{ lhs, values, why }];
}

/** One line per distinct value, naming the policies only when they differ. */
function expandPolicies(lines, policies) {
  return lines.flatMap((l) => {
    if (Array.isArray(l)) return [l];
    const byValue = new Map();
    for (const p of policies) {
      const v = typeof l.values === 'object' ? l.values[p] : l.values;
      byValue.set(v, [...(byValue.get(v) ?? []), p]);
    }
    return [...byValue].map(([v, ps], i) => [`expect ${l.lhs} == ${v}${byValue.size > 1 ? ` for ${ps.join(' ')}` : ''}`, i === 0 ? l.why : '']);
  });
}

const LEGACY_COPY_REUSE_PARTIAL = { 'v6.7': 1, 'v6.9': 1, rmapid: 0, 'v6.15': 0 };
const partialPage0 = (b) =>
  `page 0 lost PageAnonExclusive at the earlier fork: its fault copies under v6.7/v6.9 (large folio) and reuses under rmapid/v6.15 (all ${b.folio} mappings are P0's)`;

/** PMD splits on the non-swapped THP backings: the prologue's split plus what the case adds on a PMD-mapped THP. */
function pmdSplits(b, pmdCaseSplits) {
  if (b.kind === 'pmd') return pmdCaseSplits;
  return b.size.suffix ? 0 : 1;
}

// ---------------------------------------------------------------- cases

const GUP_FAST_NOTE = [
  'cow.c runs this case twice, with GUP and with GUP-fast; GUP-fast bails out to',
  'the same slow path for every page that must be unshared, so in this model',
  'the GUP-fast variant is this same scenario.',
];

/** The basic COW cases' assertion: the parent's write does not reach the child. */
const parentWriteNoLeak = (b, R) => [
  [`expect P1 ${R}.data == ${ORIGINAL}`, 'no leak from parent into child'],
  [`expect P0 ${R}.data == ${WRITTEN}`, ''],
];

/**
 * Each case: cowc (the selftest's description), fn (its test function),
 * student (what it shows, after "The memory is BACKING."), explain (lines), body(R) (steps),
 * check(b, R) (the selftest's assertion), counters(b, R) (per-policy
 * derivation, non-swapped backings only).
 */
const CASES = [
  {
    id: 'basic-cow',
    cowc: 'Basic COW after fork()',
    fn: 'test_cow_in_parent',
    student: 'After fork() the parent writes to it: copy-on-write must give the parent new pages, so the child still reads the old bytes.',
    explain: ['The child backs up the memory, the parent memsets it to 0xff, the child', 'compares: "No leak from parent into child".'],
    body: (R) => [
      ['P0: fork P1', ''],
      [`P1: read ${R}`, 'the child backs up the original content'],
      [`P0: write ${R} ${WRITTEN}`, 'memset(mem, 0xff, size) in the parent'],
    ],
    check: parentWriteNoLeak,
    counters: parentCopiesShared,
  },
  {
    id: 'basic-cow-mprotect',
    cowc: 'Basic COW after fork() with mprotect() optimization',
    fn: 'test_cow_in_parent_mprotect',
    student: 'After fork() the parent makes it read-only and writable again, then writes: mprotect() must not give the parent write access to pages the child still shares.',
    explain: [
      'mprotect() may set the write bit directly, but only on PageAnonExclusive',
      'pages (kernel-semantics.md 2.7); after fork() no page is, so every write',
      'still faults and copies.',
    ],
    body: (R) => [
      ['P0: fork P1', ''],
      [`P1: read ${R}`, 'the child backs up the original content'],
      [`P0: mprotect ${R} ro`, ''],
      [`P0: mprotect ${R} rw`, 'must leave the shared pages read-only'],
      [`P0: write ${R} ${WRITTEN}`, ''],
    ],
    check: parentWriteNoLeak,
    counters: parentCopiesShared,
  },
  {
    id: 'vmsplice-unmap-child',
    cowc: 'vmsplice() + unmap in child',
    fn: 'test_vmsplice_in_child',
    student: "The child puts it into a pipe with vmsplice() and unmaps it; the parent's later write must not show through the pipe (CVE-2020-29374).",
    explain: [
      "vmsplice() takes plain FOLL_GET references, which do not unshare. The child's",
      'view then lives only in the pipe; the engine reports "pipe-changed" if the',
      "parent's write reaches it.",
    ],
    body: (R) => [
      ['P0: fork P1', ''],
      [`P1: read ${R}`, 'the child backs up the original content'],
      [`P1: vmsplice ${R} as Pipe`, 'R/O references from the pipe'],
      [`P1: munmap ${R}`, ''],
      [`P0: write ${R} ${WRITTEN}`, ''],
    ],
    check: (b, R) => [[`expect P0 ${R}.data == ${WRITTEN}`, '']],
    counters: (b, R) => parentCopiesPipe(b, R),
  },
  {
    id: 'vmsplice-unmap-child-mprotect',
    cowc: 'vmsplice() + unmap in child with mprotect() optimization',
    fn: 'test_vmsplice_in_child_mprotect',
    student: "The child puts it into a pipe with vmsplice() and unmaps it; even after a read-only/read-write mprotect() round trip, the parent's write must not show through the pipe.",
    explain: ['The pipe still holds the original pages: mprotect() must not make them', 'writable for the parent.'],
    body: (R) => [
      ['P0: fork P1', ''],
      [`P1: read ${R}`, 'the child backs up the original content'],
      [`P1: vmsplice ${R} as Pipe`, 'R/O references from the pipe'],
      [`P1: munmap ${R}`, ''],
      [`P0: mprotect ${R} ro`, ''],
      [`P0: mprotect ${R} rw`, ''],
      [`P0: write ${R} ${WRITTEN}`, ''],
    ],
    check: (b, R) => [[`expect P0 ${R}.data == ${WRITTEN}`, '']],
    counters: (b, R) => parentCopiesPipe(b, R),
  },
  {
    id: 'vmsplice-before-fork-unmap-parent',
    cowc: 'vmsplice() before fork(), unmap in parent after fork()',
    fn: 'test_vmsplice_before_fork',
    student: "The parent puts it into a pipe with vmsplice(), forks and unmaps it; the child's write must not change what the pipe holds.",
    explain: ['"No leak from child into parent": the pipe must keep the original bytes.'],
    body: (R) => [
      [`P0: read ${R}`, 'back up the original content'],
      [`P0: vmsplice ${R} as Pipe`, 'before fork(): R/O references from the pipe'],
      ['P0: fork P1', ''],
      [`P0: munmap ${R}`, ''],
      [`P1: write ${R} ${WRITTEN}`, 'memset(mem, 0xff, size) in the child'],
    ],
    check: (b, R) => [[`expect P1 ${R}.data == ${WRITTEN}`, '']],
    counters: (b, R) => childCopiesPipe(b, R),
  },
  {
    id: 'vmsplice-unmap-parent',
    cowc: 'vmsplice() + unmap in parent after fork()',
    fn: 'test_vmsplice_after_fork',
    student: "The parent forks, then puts it into a pipe with vmsplice() and unmaps it; the child's write must not change what the pipe holds.",
    explain: ['"No leak from child into parent": the pipe must keep the original bytes.'],
    body: (R) => [
      [`P0: read ${R}`, 'back up the original content'],
      ['P0: fork P1', ''],
      [`P0: vmsplice ${R} as Pipe`, 'after fork(): R/O references from the pipe'],
      [`P0: munmap ${R}`, ''],
      [`P1: write ${R} ${WRITTEN}`, 'memset(mem, 0xff, size) in the child'],
    ],
    check: (b, R) => [[`expect P1 ${R}.data == ${WRITTEN}`, '']],
    counters: (b, R) => childCopiesPipe(b, R),
  },
  {
    id: 'iouring-ro-mapped',
    cowc: 'R/O-mapping a page registered as iouring fixed buffer',
    fn: 'test_iouring_ro',
    student: 'It is pinned read-write for the long term (an io_uring fixed buffer) and then mapped read-only: the write fault must reuse the pinned page, so the pin sees the write.',
    explain: [
      'io_uring_register_buffers() pins with FOLL_WRITE|FOLL_PIN|FOLL_LONGTERM: modelled',
      'with `pin ... rw` (this model has no io_uring). clear-soft-dirty keeps the PTEs',
      'read-only across mprotect(), so the memset must take write faults. A copy would',
      'leave the pin on a stale page ("pin-incoherent"): cow.c compares the file',
      'written through the fixed buffer with the memory.',
    ],
    body: (R) => [
      [`P0: pin ${R} rw as FixedBuf`, 'io_uring_register_buffers()'],
      [`P0: mprotect ${R} ro`, ''],
      ['P0: clear-soft-dirty', 'echo 4 > /proc/self/clear_refs'],
      [`P0: mprotect ${R} rw`, 'stays read-only: soft-dirty tracking wants the write fault'],
      [`P0: write ${R} ${WRITTEN}`, ''],
    ],
    check: (b, R) => [[`expect P0 ${R}.data == ${WRITTEN}`, '"Longterm R/W pin is reliable": the pin sees this too']],
    counters: (b, R) =>
      exclusiveReuseCounters(b, R, {
        pmdCopies: 'the PMD stays PageAnonExclusive: do_huge_pmd_wp_page reuses it whole ...',
        pmdReuses: '... and a PMD reuse does not count pgreuse (kernel-semantics.md 7.3)',
        pinFault: "the pin's write fault",
        partialReuses: { 'v6.7': b.folio, 'v6.9': b.folio, rmapid: b.folio + 1, 'v6.15': b.folio + 1 },
        partialReusesWhy: 'then every write fault finds a PageAnonExclusive page and reuses it',
      }),
    splitsOnPmd: 0,
  },
  {
    id: 'iouring-fork',
    cowc: 'fork() with an iouring fixed buffer',
    fn: 'test_iouring_fork',
    student: "fork() happens while it is pinned as an io_uring fixed buffer: the child gets its own copy at once, so the parent's writes stay visible through the pin.",
    explain: [
      'The R/W long-term pin is modelled with `pin ... rw`. fork() must not COW-share',
      'a maybe-pinned PageAnonExclusive page: it copies it for the child at once',
      "(kernel-semantics.md 4.1, 4.2, trace T5) and leaves the parent's PTEs writable.",
    ],
    body: (R) => [
      [`P0: pin ${R} rw as FixedBuf`, 'io_uring_register_buffers()'],
      ['P0: fork P1', 'the child is kept alive'],
      [`P0: write ${R} ${WRITTEN}`, ''],
    ],
    check: (b, R) => [
      [`expect P0 ${R}.data == ${WRITTEN}`, '"Longterm R/W pin is reliable"'],
      [`expect P1 ${R}.data == ${ORIGINAL}`, "the child's copy keeps the original bytes"],
      [`expect P0 ${R}.pfn != P1 ${R}.pfn`, 'the child got its own pages at fork'],
    ],
    counters: (b, R) => {
      const lines = [];
      if (b.kind === 'partial') {
        lines.push(
          ...perPolicy('P0.cow_copies', LEGACY_COPY_REUSE_PARTIAL, `the pin's write fault: ${partialPage0(b)}`),
          ...perPolicy('P0.pgreuse', { 'v6.7': 0, 'v6.9': 0, rmapid: 1, 'v6.15': 1 }, ''),
        );
      } else {
        lines.push(
          ...perPolicy('P0.cow_copies', 0, "fork() left the parent's pinned pages writable and exclusive:"),
          ...perPolicy('P0.pgreuse', 0, 'its writes take no fault at all'),
        );
      }
      lines.push([`expect P1 ${R}.order == 0`, "the child's pages are 4K copies made by fork()"]);
      if (b.kind === 'mremap') lines.push(['expect P1 B.order == 0', 'B is not pinned but its folio is: fork() copies it too']);
      return lines;
    },
    splitsOnPmd: 1,
  },
  {
    id: 'ro-pin-shared',
    cowc: 'R/O GUP pin on R/O-mapped shared page',
    fn: 'test_ro_pin_on_shared',
    student: "A live child still shares it, so a read-only long-term pin must unshare it first; the pin then sees the parent's later write.",
    explain: [
      'The pin (PIN_LONGTERM_TEST_START) takes an unshare fault on every page that is',
      'not PageAnonExclusive (kernel-semantics.md 2.5): shared with the child, each is',
      'copied and mapped read-only; the memset then reuses the exclusive copies.',
      ...GUP_FAST_NOTE,
    ],
    body: (R) => [
      ['P0: fork P1', 'the child is kept alive'],
      [`P0: pin ${R} ro as RoPin`, 'R/O long-term pin: unshares'],
      [`P0: write ${R} ${WRITTEN}`, ''],
    ],
    check: (b, R) => [
      [`expect P0 ${R}.data == ${WRITTEN}`, '"Longterm R/O pin is reliable"'],
      [`expect P1 ${R}.data == ${ORIGINAL}`, ''],
    ],
    counters: (b, R) => {
      const why =
        b.kind === 'pmd'
          ? 'the unshare fault cannot reuse the shared PMD: it splits it, then every page is copied'
          : 'every page is shared with the live child: the unshare faults copy all of them';
      return [
        ...perPolicy('P0.cow_copies', b.pages, why),
        ...perPolicy('P0.pgreuse', b.pages, 'the memset then reuses the exclusive, read-only copies'),
      ];
    },
    splitsOnPmd: 1,
  },
  {
    id: 'ro-pin-previously-shared',
    cowc: 'R/O GUP pin on R/O-mapped previously-shared page',
    fn: 'test_ro_pin_on_ro_previously_shared',
    student: "It was shared with a child that has exited; a read-only long-term pin on it must still see the parent's later write.",
    explain: [
      'After the child exits the pages are mapped once but still read-only and not',
      'PageAnonExclusive, so the pin takes unshare faults: each policy decides between',
      'reuse and copy (kernel-semantics.md 3.7, trace T6).',
      ...GUP_FAST_NOTE,
    ],
    body: (R) => [
      ['P0: fork P1', ''],
      ['P1: exit', 'the pages are no longer shared, but stay read-only'],
      [`P0: pin ${R} ro as RoPin`, 'R/O long-term pin: unshare faults'],
      [`P0: write ${R} ${WRITTEN}`, ''],
    ],
    check: (b, R) => [[`expect P0 ${R}.data == ${WRITTEN}`, '"Longterm R/O pin is reliable"']],
    counters: (b, R) => previouslySharedCounters(b, R),
    splitsOnPmd: 0,
  },
  {
    id: 'ro-pin-exclusive',
    cowc: 'R/O GUP pin on R/O-mapped exclusive page',
    fn: 'test_ro_pin_on_ro_exclusive',
    student: "It is exclusive but mapped read-only; after a read-only long-term pin, the parent's write must reuse the pinned page so the pin sees it.",
    explain: [
      'mprotect() + clear-soft-dirty + mprotect() leave PageAnonExclusive pages mapped',
      'read-only; the pin needs no unsharing and the write fault must reuse the page.',
      ...GUP_FAST_NOTE,
    ],
    body: (R) => [
      [`P0: mprotect ${R} ro`, ''],
      ['P0: clear-soft-dirty', 'echo 4 > /proc/self/clear_refs'],
      [`P0: mprotect ${R} rw`, 'stays read-only: soft-dirty tracking wants the write fault'],
      [`P0: pin ${R} ro as RoPin`, 'R/O long-term pin'],
      [`P0: write ${R} ${WRITTEN}`, ''],
    ],
    check: (b, R) => [[`expect P0 ${R}.data == ${WRITTEN}`, '"Longterm R/O pin is reliable"']],
    counters: (b, R) =>
      exclusiveReuseCounters(b, R, {
        pmdCopies: 'the PMD is PageAnonExclusive: do_huge_pmd_wp_page reuses it whole ...',
        pmdReuses: '... and a PMD reuse does not count pgreuse',
        pinFault: "the pin's unshare fault",
        partialReuses: b.folio,
        partialReusesWhy: `then all ${b.folio} pages are PageAnonExclusive: every write fault reuses`,
      }),
    splitsOnPmd: 0,
  },
];

// The pages stay PageAnonExclusive though mapped read-only: every write fault
// reuses, a PMD whole (no pgreuse). On a partial THP the pin's own fault on
// page 0 comes first; `why` holds what differs between the test cases.
function exclusiveReuseCounters(b, R, why) {
  if (b.kind === 'pmd') {
    return [
      ...perPolicy('P0.cow_copies', 0, why.pmdCopies),
      ...perPolicy('P0.pgreuse', 0, why.pmdReuses),
      [`expect P0 ${R}.pmd_mapped == true`, ''],
    ];
  }
  if (b.kind === 'partial') {
    return [
      ...perPolicy('P0.cow_copies', LEGACY_COPY_REUSE_PARTIAL, `${why.pinFault}: ${partialPage0(b)}`),
      ...perPolicy('P0.pgreuse', why.partialReuses, why.partialReusesWhy),
    ];
  }
  return [
    ...perPolicy('P0.cow_copies', 0, ''),
    ...perPolicy('P0.pgreuse', b.pages, 'every page is PageAnonExclusive: each write fault reuses it'),
  ];
}

// Basic COW: the child still maps everything, so every policy copies every page.
function parentCopiesShared(b, R) {
  const F = b.folio;
  const why = {
    base: 'the page is mapped by both processes (refcount 2): the write copies it',
    pmd: 'the shared PMD cannot be reused: do_huge_pmd_wp_page splits it and the PTE faults copy every 4K page (kernel-semantics.md 4.3)',
    pte: `the child maps every page of the THP: no policy may reuse (rmapid: mapcount > ${F}; v6.15: maybe-mapped-shared)`,
    single: 'the child maps the one page too: two mms map the folio, every policy copies',
    mremap: 'the child maps both halves: no policy may reuse',
    partial: 'the child maps every page of the THP: no policy may reuse',
  }[b.kind];
  const lines = [...perPolicy('P0.cow_copies', b.pages, why), ...perPolicy('P0.pgreuse', 0, '')];
  if (b.kind === 'pmd') lines.push([`expect P1 ${R}.pmd_mapped == true`, "only the parent's PMD was split"]);
  return lines;
}

function parentCopiesPipe(b) {
  return [
    ...perPolicy('P0.cow_copies', b.pages, "the pipe's references keep refcount above mapcount: every policy copies"),
    ...perPolicy('P0.pgreuse', 0, ''),
  ];
}

function childCopiesPipe(b) {
  return [
    ...perPolicy('P1.cow_copies', b.pages, "the pipe's references keep refcount above mapcount: every policy copies"),
    ...perPolicy('P1.pgreuse', 0, ''),
  ];
}

// The child has exited: the unshare faults of the pin decide per policy.
function previouslySharedCounters(b, R) {
  switch (b.kind) {
    case 'base':
      return [
        ...perPolicy('P0.cow_copies', 0, 'refcount 1: the unshare fault reuses the small page (no pgreuse: unshare) ...'),
        ...perPolicy('P0.pgreuse', 1, '... and the write fault reuses it again'),
      ];
    case 'pmd':
      return [
        ...perPolicy('P0.cow_copies', 0, 'refcount 1: the PMD-level unshare fault reuses the whole THP without a split ...'),
        ...perPolicy('P0.pgreuse', 0, '... and so does the write fault; PMD reuse does not count pgreuse'),
        [`expect P0 ${R}.pmd_mapped == true`, ''],
      ];
    case 'pte':
    case 'partial':
      return [
        ...perPolicy(
          'P0.cow_copies',
          { 'v6.7': b.folio - 1, 'v6.9': b.folio, rmapid: b.folio - 1, 'v6.15': b.folio - 1 },
          `v6.9 copies every page. v6.7 copies until one page is left (refcount 1: reused). rmapid/v6.15 reuse page 0, whose pin then adds a reference, so refcount != mapcount for the other ${b.folio - 1} (copied)`,
        ),
        ...perPolicy('P0.pgreuse', b.folio, `the memset reuses all ${b.folio} exclusive read-only pages`),
      ];
    case 'single':
      return [
        ...perPolicy(
          'P0.cow_copies',
          { 'v6.7': 0, 'v6.9': 1, rmapid: 0, 'v6.15': 1 },
          'trace T6: one page of a large folio: v6.7 (refcount 1) and rmapid (mapcount 1, ours) reuse; v6.9 and v6.15 copy to free the THP',
        ),
        ...perPolicy('P0.pgreuse', 1, ''),
      ];
    case 'mremap':
      return [
        ...perPolicy(
          'P0.cow_copies',
          { 'v6.7': b.pages, 'v6.9': b.pages, rmapid: b.pages - 1, 'v6.15': b.pages - 1 },
          `P0 maps all ${b.folio} pages (A and B): rmapid/v6.15 reuse the first, whose pin then makes refcount != mapcount; v6.7 never gets down to refcount 1 (B keeps ${b.folio - b.pages})`,
        ),
        ...perPolicy('P0.pgreuse', b.pages, ''),
      ];
  }
  throw new Error(`no derivation for ${b.kind}`);
}

// ---------------------------------------------------------------- collapse cases (THP_RUN_PMD only)

const COLLAPSE_CASES = [
  {
    id: 'collapse-before-fork',
    cowc: 'Basic COW after fork() when collapsing before fork()',
    fn: 'test_anon_thp_collapse_unshared',
    student: 'A PTE-mapped THP is collapsed back into a PMD mapping before fork(); the parent\'s writes after fork() must not reach the child.',
    explain: [
      'MADV_COLLAPSE copies the 512 pages into a new THP mapped by one PMD. fork()',
      'shares that PMD; the write splits the parent\'s PMD and copies 4K pages.',
    ],
    body: [
      ['P0: madvise A collapse', 'MADV_COLLAPSE while nobody shares the pages'],
      ['P0: fork P1', ''],
      ['P1: read A', 'the child backs up the original content'],
      [`P0: write A ${WRITTEN}`, ''],
    ],
    check: [
      [`expect P1 A.data == ${ORIGINAL}`, 'no leak from parent into child'],
      [`expect P0 A.data == ${WRITTEN}`, ''],
    ],
    counters: [
      ...perPolicy('P0.cow_copies', 512, 'the collapsed THP is PMD-shared after fork(): split, then every page is copied'),
      ['expect P1 A.pmd_mapped == true', 'the child still maps the collapsed THP by its PMD'],
      ['expect thp_split_pmd == 2', 'the prologue\'s split and the COW fallback'],
    ],
  },
  {
    id: 'collapse-after-fork-fully-shared',
    cowc: 'Basic COW after fork() when collapsing after fork() (fully shared)',
    fn: 'test_anon_thp_collapse_fully_shared',
    student: 'The parent tries to collapse a PTE-mapped THP that its child fully shares: the kernel refuses, and the parent\'s writes must still not reach the child.',
    explain: [
      'fork() write-protected every PTE, and khugepaged refuses to collapse a range',
      'without a single writable PTE (__collapse_huge_page_isolate: SCAN_PAGE_RO, so',
      'MADV_COLLAPSE fails with EINVAL and cow.c reports SKIP). The parent then writes',
      'to the PTE-mapped THP the child still maps: every page is copied.',
    ],
    body: [
      ['P0: fork P1', ''],
      ['P1: read A', 'the child backs up the original content'],
      ['P0: madvise A collapse', 'fails: EINVAL (SCAN_PAGE_RO: no PTE is writable)'],
      [`P0: write A ${WRITTEN}`, ''],
    ],
    check: [
      [`expect P1 A.data == ${ORIGINAL}`, 'no leak from parent into child'],
      [`expect P0 A.data == ${WRITTEN}`, ''],
    ],
    counters: [
      ...perPolicy('P0.cow_copies', 512, 'nothing was collapsed: the child maps every page, all policies copy'),
      ['expect P0 A.pmd_mapped == false', ''],
      ['expect P1 A.order == 9', 'the child keeps the THP, PTE-mapped'],
      ['expect thp_split_pmd == 1', ''],
    ],
  },
  {
    id: 'collapse-after-fork-lower-shared',
    cowc: 'Basic COW after fork() when collapsing after fork() (lower shared)',
    fn: 'test_anon_thp_collapse_lower_shared',
    student: 'The parent collapses a PTE-mapped THP whose lower half it shares with its child; its writes must not reach the child\'s half.',
    explain: [
      'MADV_DONTFORK on the upper half keeps it out of the child; MADV_DOFORK',
      'afterwards merges the VMAs again so that the whole THP can be collapsed.',
    ],
    body: [
      ['P0: madvise A[256..] dontfork', 'do not COW-share the upper half'],
      ['P0: fork P1', ''],
      ['P1: read A[..256]', 'the child backs up its (lower) half'],
      ['P0: madvise A dofork', 'merge the VMAs again'],
      ['P0: madvise A collapse', ''],
      [`P0: write A ${WRITTEN}`, ''],
    ],
    check: [
      [`expect P1 A[..256].data == ${ORIGINAL}`, 'no leak from parent into child'],
      [`expect P0 A.data == ${WRITTEN}`, ''],
    ],
    counters: [
      ...perPolicy('P0.cow_copies', 0, 'the collapse copied everything into the parent\'s own exclusive THP'),
      ['expect P0 A.pmd_mapped == true', ''],
      ['expect P0 A[..256].pfn != P1 A[..256].pfn', ''],
      ['expect thp_split_pmd == 1', ''],
    ],
  },
  {
    id: 'collapse-after-fork-upper-shared',
    cowc: 'Basic COW after fork() when collapsing after fork() (upper shared)',
    fn: 'test_anon_thp_collapse_upper_shared',
    student: 'The parent collapses a PTE-mapped THP whose upper half it shares with its child; its writes must not reach the child\'s half.',
    explain: [
      'MADV_DONTFORK on the lower half keeps it out of the child; MADV_DOFORK',
      'afterwards merges the VMAs again so that the whole THP can be collapsed.',
    ],
    body: [
      ['P0: madvise A[..256] dontfork', 'do not COW-share the lower half'],
      ['P0: fork P1', ''],
      ['P1: read A[256..]', 'the child backs up its (upper) half'],
      ['P0: madvise A dofork', 'merge the VMAs again'],
      ['P0: madvise A collapse', ''],
      [`P0: write A ${WRITTEN}`, ''],
    ],
    check: [
      [`expect P1 A[256..].data == ${ORIGINAL}`, 'no leak from parent into child'],
      [`expect P0 A.data == ${WRITTEN}`, ''],
    ],
    counters: [
      ...perPolicy('P0.cow_copies', 0, 'the collapse copied everything into the parent\'s own exclusive THP'),
      ['expect P0 A.pmd_mapped == true', ''],
      ['expect P0 A[256..].pfn != P1 A[256..].pfn', ''],
      ['expect thp_split_pmd == 1', ''],
    ],
  },
];

// ---------------------------------------------------------------- non-anonymous cases on the zeropages

const NON_ANON_BACKINGS = [
  {
    id: 'zeropage',
    cowc: 'shared zeropage',
    run: 'run_with_zeropage',
    huge: false,
    about: 'two private anonymous mappings that were only read, so both map the shared zeropage (cow.c run_with_zeropage()).',
    prologue: [
      ['P0: mmap A 4K', 'mem: private anonymous, read-write'],
      ['P0: mmap B 4K ro', 'smem: a second private anonymous mapping, read-only'],
      ['P0: read A', 'read faults map the shared zeropage in both'],
      ['P0: read B', ''],
    ],
  },
  {
    id: 'huge-zeropage',
    cowc: 'huge zeropage',
    run: 'run_with_huge_zeropage',
    huge: true,
    about:
      'two 2M-aligned private anonymous mappings with MADV_HUGEPAGE that were only read, so both map the huge zeropage with one PMD (cow.c run_with_huge_zeropage()).',
    prologue: [
      ['P0: mmap A 2M', 'mem: 2M-aligned, read-write'],
      ['P0: mmap B 2M ro', 'smem: 2M-aligned, read-only'],
      ['P0: madvise A hugepage', ''],
      ['P0: madvise B hugepage', ''],
      ['P0: read A[0]', 'a read fault maps the huge zeropage (use_zero_page=1)'],
      ['P0: read B[0]', ''],
    ],
  },
];

const NON_ANON_CASES = [
  {
    id: 'non-anon-basic-cow',
    cowc: 'Basic COW',
    fn: 'test_cow',
    student: (Z) => `Writing to memory that maps the ${Z} must give it pages of its own: the other mapping still reads zeroes.`,
    explain: (z) => [
      z.huge
        ? 'The write fault on the huge zero PMD either splits it and allocates 4K pages'
        : 'The write fault on the zeropage allocates a fresh zeroed page (kernel-semantics.md 2.1).',
      ...(z.huge ? ['(v6.7) or maps a fresh THP (newer kernels, kernel-semantics.md 2.3).'] : []),
    ],
    body: [[`P0: write A ${WRITTEN}`, '']],
    check: () => [
      ['expect P0 B.data == 0', '"Other mapping not modified"'],
      [`expect P0 A.data == ${WRITTEN}`, ''],
      ['expect P0 A.pfn != P0 B.pfn', 'A no longer maps the zeropage'],
    ],
  },
  {
    id: 'non-anon-ro-pin',
    cowc: 'R/O longterm GUP pin',
    fn: 'test_ro_pin',
    student: (Z) => `A read-only long-term pin on the ${Z} must first replace it with private memory, so the pin sees the later write.`,
    explain: () => [
      'A long-term R/O pin on a non-anonymous page in a private mapping unshares it',
      '(kernel-semantics.md 2.5): A gets fresh anonymous memory, exclusive but still',
      'read-only, which the write faults then reuse.',
      ...GUP_FAST_NOTE,
    ],
    body: [
      ['P0: pin A ro as RoPin', 'unshare: private copies of the zeropage'],
      [`P0: write A ${WRITTEN}`, ''],
    ],
    check: (z) => [
      [`expect P0 A.data == ${WRITTEN}`, '"Longterm R/O pin is reliable"'],
      ['expect P0 B.data == 0', ''],
      ...(z.huge
        ? []
        : [['expect P0 A.anon_exclusive == true', ''], ...perPolicy('P0.pgreuse', 1, 'the write reuses the page the unshare fault created')]),
    ],
  },
];

// ---------------------------------------------------------------- rendering

const HEADER_NOTE = '# Generated by examples/cow/generate.mjs from the cow.c matrix: edit the generator, not this file.';

// Short comments trail their statement; longer ones go on the lines above it.
const TRAILING_MAX = 60;

function block(lines) {
  const trailing = ([, c]) => c && c.length <= TRAILING_MAX;
  const width = Math.max(0, ...lines.filter(trailing).map(([s]) => s.length));
  return lines
    .map(([s, c]) => {
      if (!c) return s;
      if (trailing([s, c])) return `${s.padEnd(width)}   # ${c}`;
      return `${comments(wrap(c))}\n${s}`;
    })
    .join('\n');
}

function comments(lines) {
  return lines.map((l) => (l ? `# ${l}` : '#')).join('\n');
}

function wrap(text, width = 78) {
  const out = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + 1 + word.length > width) {
      out.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) out.push(line);
  return out;
}

function scenarioText({ first, mirrors, title, policies = POLICIES, thp, about, prologue, explain, body, check, counters, notes }) {
  check = expandPolicies(check, policies);
  counters = expandPolicies(counters, policies);
  const parts = [
    [comments(wrap(first)), `# Mirrors ${mirrors}`, HEADER_NOTE, `scenario "${title}"`, `policies ${policies.join(' ')}`, ...(thp ? [`thp ${thp}`] : [])].join('\n'),
    [comments(wrap(`Backing: ${about}`)), block(prologue)].join('\n'),
    [comments(explain), block(body)].join('\n'),
    ['# The selftest\'s assertion.', block([...check, ['expect violations == 0', 'no leak, no lost write, pin and pipe coherent']])].join('\n'),
  ];
  if (counters.length) parts.push([comments(notes), block(counters)].join('\n'));
  return `${parts.join('\n\n')}\n`;
}

function anonScenario(c, b) {
  const R = b.range;
  const counters = [];
  if (thp(b) && !b.size.suffix) counters.push(['expect thp_fault_alloc == 1', 'the backing really is a THP (cow.c skips otherwise)']);
  if (!b.swapped) {
    counters.push(...c.counters(b, R));
    if (thp(b)) counters.push([`expect thp_split_pmd == ${pmdSplits(b, c.splitsOnPmd ?? 1)}`, '']);
  }
  const notes = b.swapped
    ? ['Swapped-out backings only check correctness: swap-in decides copy or reuse', 'differently across kernel versions (kernel-semantics.md 9, item 10).']
    : ['What each policy does on the way (kernel-semantics.md 2-4).'];

  return scenarioText({
    first: `The memory is ${b.student}. ${c.student}`,
    mirrors: `tools/testing/selftests/mm/cow.c ${c.fn}(): "${c.cowc} ... with ${b.cowc}".`,
    title: `cow.c: ${c.cowc} ... with ${b.cowc}`,
    policies: thp(b) ? b.size.policies : POLICIES,
    thp: thp(b) ? b.size.thp : undefined,
    about: b.about + (thp(b) ? b.size.note : ''),
    prologue: b.prologue,
    explain: c.explain,
    body: c.body(R),
    check: c.check(b, R),
    counters,
    notes,
  });
}

function collapseScenario(c) {
  return scenarioText({
    first: c.student,
    mirrors: `tools/testing/selftests/mm/cow.c ${c.fn}(): "${c.cowc}" (THP_RUN_PMD).`,
    title: `cow.c: ${c.cowc}`,
    thp: '2M=always',
    about: 'a PMD-sized THP (cow.c THP_RUN_PMD), then PTE-mapped by the test itself so that it can be collapsed.',
    prologue: [...THP_PROLOGUE, ...THP_SIZES[0].pteMap],
    explain: c.explain,
    body: c.body,
    check: c.check,
    counters: [['expect thp_fault_alloc == 1', ''], ...c.counters],
    notes: ['What the collapse leaves behind (mm/khugepaged.c collapse_huge_page()).'],
  });
}

function nonAnonScenario(c, z) {
  return scenarioText({
    first: c.student(z.cowc),
    mirrors: `tools/testing/selftests/mm/cow.c ${c.fn}(): "${c.cowc} ... with ${z.cowc}" (${z.run}).`,
    title: `cow.c: ${c.cowc} ... with ${z.cowc}`,
    thp: undefined,
    about: z.about,
    prologue: z.prologue,
    explain: c.explain(z),
    body: c.body,
    check: c.check(z),
    counters: [],
    notes: [],
  });
}

/** File name -> contents of every generated scenario. */
export function generate() {
  const files = new Map();
  for (const c of CASES) for (const b of BACKINGS) files.set(`${c.id}--${b.id}.mms`, anonScenario(c, b));
  for (const c of COLLAPSE_CASES) files.set(`${c.id}--thp.mms`, collapseScenario(c));
  for (const c of NON_ANON_CASES) for (const z of NON_ANON_BACKINGS) files.set(`${c.id}--${z.id}.mms`, nonAnonScenario(c, z));
  return files;
}

/** Generated scenarios follow `CASE--BACKING.mms`; other files in the folder are left alone. */
export const GENERATED_NAME = /^[a-z0-9-]+--[a-z0-9-]+\.mms$/;

function main() {
  const dir = dirname(fileURLToPath(import.meta.url));
  const files = generate();
  const stale = readdirSync(dir).filter((f) => GENERATED_NAME.test(f) && !files.has(f));
  const differ = [...files].filter(([name, text]) => {
    try {
      return readFileSync(join(dir, name), 'utf8') !== text;
    } catch {
      return true;
    }
  });
  if (process.argv.includes('--check')) {
    for (const [name] of differ) console.error(`out of date: examples/cow/${name}`);
    for (const name of stale) console.error(`not generated: examples/cow/${name}`);
    process.exit(differ.length || stale.length ? 1 : 0);
  }
  for (const [name, text] of differ) writeFileSync(join(dir, name), text);
  for (const name of stale) unlinkSync(join(dir, name));
  console.log(`examples/cow: ${files.size} scenarios (${differ.length} written, ${stale.length} removed)`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();
