// The spec's example scenario (scenario-language.md), shared by the language,
// report and view tests. Narrower versions keep every step on its line; only
// the policies and the expectations differ.

const STEPS = `thp 2M=madvise

P0: mmap A 2M
P0: madvise A hugepage
P0: write A                 # one fault: a PMD-mapped THP
P0: mprotect A[1] ro        # splits the PMD: A is now a PTE-mapped THP
P0: mprotect A[1] rw
P0: fork P1
P1: exit
P0: write A[5]
`;

/** The example under `policies`, with these `expect` lines (trailing comments allowed). */
export function specExample(policies: string, expectations: string[]): string {
  return `# PTE-mapped THP: the parent writes after the child has exited.
scenario "pte-mapped THP reuse after child exit"
policies ${policies}
${STEPS}
${expectations.map((e) => `expect ${e}\n`).join('')}`;
}

/** The spec's example, verbatim. */
export const SPEC_EXAMPLE = specExample('v6.7 v6.9 rmapid v6.15', [
  'P0.cow_copies == 1 for v6.7 v6.9',
  'P0.pgreuse == 1 for rmapid v6.15',
  'P0 A[5].order == 0 for v6.7 v6.9     # the copy is a small page',
  'P0 A[5].order == 9 for rmapid v6.15',
  'violations == 0',
]);

/** A scenario without its comments: own-line comments and their lines go, trailing ones are cut. */
export function withoutComments(source: string): string {
  return source
    .split('\n')
    .filter((line) => !line.startsWith('#'))
    .map((line) => line.replace(/\s+#.*$/, ''))
    .join('\n');
}
