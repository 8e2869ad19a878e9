// The example library, bundled at build time (examples/*.mms), and the story
// the app opens with: the PTE-mapped THP reuse case of the rmap-ID patch.
const files = import.meta.glob('../../examples/*.mms', { query: '?raw', import: 'default', eager: true }) as Record<string, string>;

export interface Example {
  name: string;
  text: string;
  /** The `scenario "..."` title, or the file name. */
  title: string;
}

function titleOf(text: string, fallback: string): string {
  return /^\s*scenario\s+"((?:[^"\\]|\\.)*)"/m.exec(text)?.[1].replace(/\\(.)/g, '$1') ?? fallback;
}

export const EXAMPLES: Example[] = Object.entries(files)
  .map(([path, text]) => {
    const name = path.split('/').pop()!;
    return { name, text, title: titleOf(text, name) };
  })
  .sort((a, b) => a.name.localeCompare(b.name));

/** The seed's story (scenario-language.md's example). */
export const STORY: Example = {
  name: 'pte-mapped-thp-reuse.mms',
  title: 'pte-mapped THP reuse after child exit',
  text: `# PTE-mapped THP: the parent writes after the child has exited.
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
`,
};

/** The example the app starts with: the story's file if the library has it, else the built-in copy. */
export function startExample(): Example {
  return EXAMPLES.find((e) => e.title === STORY.title) ?? STORY;
}
