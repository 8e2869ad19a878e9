// Shared by the language tests: the spec's example verbatim and short ways to
// look at diagnostics.
import type { Diagnostic } from '../../core/lang/ast';
import { analyze } from '../../core/lang/checker';

export const SPEC_EXAMPLE = `# PTE-mapped THP: the parent writes after the child has exited.
scenario "pte-mapped THP reuse after child exit"
policies v6.7 v6.9 rmapid v6.15
thp 2M=madvise

P0: mmap A 2M
P0: madvise A hugepage
P0: write A                 # one fault: a PMD-mapped THP
P0: mprotect A[1] ro        # splits the PMD: A is now a PTE-mapped THP
P0: mprotect A[1] rw
P0: fork P1
P1: exit
P0: write A[5]

expect P0.cow_copies == 1 for v6.7 v6.9
expect P0.pgreuse == 1 for rmapid v6.15
expect P0 A[5].order == 0 for v6.7 v6.9     # the copy is a small page
expect P0 A[5].order == 9 for rmapid v6.15
expect violations == 0
`;

/** `LINE:COL-ENDCOL severity code: message` */
export function show(d: Diagnostic): string {
  return `${d.line}:${d.col}-${d.endCol} ${d.severity} ${d.code}: ${d.message}`;
}

export function diags(source: string): string[] {
  return analyze(source, 't.mms').diagnostics.map(show);
}

/** Diagnostics of a scenario made of a standard prelude plus `body` (body starts at line 3). */
export function diagsWith(body: string): string[] {
  return diags(`P0: mmap A 2M\nP0: mmap B 16K\n${body}`);
}
