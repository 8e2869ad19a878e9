// Bit layouts and sizes shared by the engine's flat state (engine-model.md
// "State the engine keeps"). One place, so every path reads the same bits.

export const PAGE_SHIFT = 12;
export const PMD_NR = 512; // pages per PMD on x86-64 with 4K pages
export const PMD_ORDER = 9;
export const MAX_ORDER = 9;
/**
 * The simulated user address space, in pages (4 TiB). Keeping every vpn below
 * 2^30 keeps it a V8 small integer (Smi, also under pointer compression), so
 * the page arithmetic of the fault path stays integer in optimised code.
 */
export const TASK_SIZE_PAGES = 2 ** 30;

/** PTE / PMD entry bits (a zero byte is pte_none). */
export const PTE_PRESENT = 1;
export const PTE_WRITE = 2;
export const PTE_DIRTY = 4;
export const PTE_SOFT_DIRTY = 8;
/** A swap entry: the pfn column then holds the swap slot. */
export const PTE_SWAP = 16;
/** pte_swp_exclusive: the page was PageAnonExclusive when it was swapped out. */
export const PTE_SWP_EXCLUSIVE = 32;

/** PMD directory entry kinds. */
export const PMD_NONE = 0;
export const PMD_HUGE = 1;
export const PMD_TABLE = 2;

/** Per-frame flag bits. */
export const FR_ANON_EXCLUSIVE = 1;
/** Referenced by a vmsplice pipe (cheap pre-check for the pipe-changed oracle). */
export const FR_PIPE = 2;

/** Per-folio flag bits. */
export const F_ANON = 1;
export const F_SWAPCACHE = 2;
export const F_LRU = 4;
export const F_DEFERRED_SPLIT = 8;
export const F_PARTIALLY_MAPPED = 16;
/**
 * Engine bookkeeping, not a kernel flag: a policy's reuse decision set
 * PageAnonExclusive on a page of this folio (blame for broken invariants).
 * Gone when the folio is freed; a folio split keeps it on the head.
 */
export const F_POLICY_REUSED = 32;

/**
 * Frames below this pfn are never allocated: pfn 0 is the shared zeropage and
 * [512, 1024) the huge zeropage, so a pfn is always a non-negative number and
 * "is it a zero page" is one comparison.
 */
export const ZERO_PFN = 0;
export const HUGE_ZERO_PFN = 512;
export const FIRST_PFN = 1024;

/** GUP_PIN_COUNTING_BIAS: a pin on a small folio adds this to its refcount. */
export const GUP_PIN_COUNTING_BIAS = 1024;

/** VMA flags. */
export const VM_HUGEPAGE = 1;
export const VM_NOHUGEPAGE = 2;
export const VM_DONTCOPY = 4;
export const VM_WIPEONFORK = 8;
/** New VMAs carry VM_SOFTDIRTY; clear_refs 4 clears it (soft-dirty tracking on). */
export const VM_SOFTDIRTY = 16;

/** Where mmap places mappings: a deterministic bump pointer starting at 256 MiB. */
export const MMAP_BASE_VPN = 0x10000;

export const PROT_NONE = 0;
export const PROT_RO = 1;
export const PROT_RW = 2;

/** handle_mm_fault's kind of fault: a read, a write, or an unshare (FAULT_FLAG_UNSHARE). */
export const FAULT_READ = 0;
export const FAULT_WRITE = 1;
export const FAULT_UNSHARE = 2;

// Functions after every constant: esbuild inlines only a module's leading
// constants (core/mm/trace-layout.ts says why that matters).
export const isZeroPfn = (pfn: number): boolean => pfn < FIRST_PFN;

/** `x` rounded up to a multiple of the power of two `n` (integer arithmetic; x + n < 2^31). */
export function alignUp(x: number, n: number): number {
  return (x + n - 1) & -n;
}
