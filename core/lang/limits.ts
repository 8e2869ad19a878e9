// Limits on what a scenario file may contain. They keep the parser, the
// checker and the engine responsive on hostile or accidental input (issue 7):
// each is stated in the diagnostic that reports it.

export const MAX_SOURCE_CHARS = 8 * 1024 * 1024; // 8 MiB of text
export const MAX_LINE_CHARS = 10_000;
export const MAX_STEPS = 250_000;
export const MAX_EXPECTATIONS = 100_000;
export const MAX_PROCESSES = 4096;
/** Largest mapping (virtual size): 1 TiB. */
export const MAX_MAPPING_BYTES = 2 ** 40;
/** Largest simulated physical memory and swap: 64 GiB. */
export const MAX_MEMORY_BYTES = 64 * 2 ** 30;
