// The trace's storage layout (trace.ts) and the fault codes the fault path
// records, as numeric constants in a module with nothing else in it.
//
// Why a module of their own: the Node bundles (CLI, bench, fuzzers) are built
// by esbuild, which turns every top-level `const` into a `var` and inlines
// only the constants that open a module, before any import, function or other
// statement. A constant it does not inline stays a mutable module variable,
// which V8's optimised code reloads and type-checks on every use: about 15% of
// the instructions of a COW fault (docs/engine.md, "Performance").

// Evidence mask bits: which of the record's word groups the policy filled.
export const M_REF = 1;
export const M_MAP = 2;
export const M_ENTIRE = 4;
export const M_PAGEMAP = 8;
export const M_PIN = 16;
export const M_PAE = 32;
export const M_SWAPCACHE = 64;
export const M_RMAP = 128;
export const M_SLOTS = 256;
export const M_NR = 512;

// Row layout: every event has BASE words; a fault may also own an evidence record.
export const BASE = 10;
export const B_W0 = 0; // kind | order << 8 | reason << 16 | ftype << 24 | level << 26 | decision << 27 | bits << 29
export const B_STEP = 1;
export const B_PROC = 2;
export const B_MAP = 3;
export const B_PAGE = 4;
export const B_VPN = 5;
export const B_PFN = 6;
export const B_MSG = 7;
export const B_RULE = 8;
export const B_EV = 9; // word offset of the evidence record, -1 = none

// Evidence record: the folio words always, the rmap and MM-slot words only
// when the policy looked at them (so the record is 7, 11, 16 or 20 words).
export const E_MASK = 0;
export const E_REF = 1;
export const E_MAP = 2;
export const E_ENTIRE = 3;
export const E_PAGEMAP = 4;
export const E_PIN = 5;
export const E_NR = 6;
export const E_BASE = 7;
export const E_RMAP = 0; // after E_BASE: 6 words (lo/hi of up to 3 values), ID, seq lo, seq hi
export const E_RID = 6;
export const E_SEQLO = 7;
export const E_SEQHI = 8;
export const E_RMAP_WORDS = 9;
export const E_SLOT_WORDS = 4; // s0 id, s0 count, s1 id, s1 count
export const EV_MAX = E_BASE + E_RMAP_WORDS + E_SLOT_WORDS;

/** Events per storage chunk. Chunks are never copied: the trace's data hands them out as they are. */
export const CHUNK_SHIFT = 12;
export const CHUNK = 1 << CHUNK_SHIFT;
/** Evidence words per chunk; a record never straddles two chunks (the tail of a full chunk stays unused). */
export const EV_CHUNK_SHIFT = 16;
export const EV_CHUNK = 1 << EV_CHUNK_SHIFT;

export const TWO32 = 2 ** 32;

// Fault codes: indexes into FAULT_TYPES, FAULT_LEVELS and DECISIONS of trace.ts.
export const T_ANON = 0;
export const T_WP = 1;
export const T_UNSHARE = 2;
export const T_SWAPIN = 3;
export const L_PTE = 0;
export const L_PMD = 1;
export const D_ALLOC = 0;
export const D_REUSE = 1;
export const D_COPY = 2;
export const D_SPLIT = 3;
