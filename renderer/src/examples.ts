// The example library, bundled at build time (examples/**/*.mms), and the
// story the app opens with: the seed patch's PTE-mapped THP reuse case.
const files = import.meta.glob('../../examples/**/*.mms', { query: '?raw', import: 'default', eager: true }) as Record<string, string>;

export interface Example {
  /** Path inside examples/, e.g. `seed-pte-thp-child-exits.mms` or `cow/basic-cow--base.mms`. */
  name: string;
  /** Folder inside examples/ ('' for the top level). */
  group: string;
  text: string;
  /** The `scenario "..."` title, or the file name. */
  title: string;
}

function titleOf(text: string, fallback: string): string {
  return /^\s*scenario\s+"((?:[^"\\]|\\.)*)"/m.exec(text)?.[1].replace(/\\(.)/g, '$1') ?? fallback;
}

export const EXAMPLES: Example[] = Object.entries(files)
  .map(([path, text]) => {
    const name = path.replace(/^.*\/examples\//, '');
    const group = name.includes('/') ? name.slice(0, name.lastIndexOf('/')) : '';
    return { name, group, text, title: titleOf(text, name) };
  })
  // Top-level examples first, then each folder.
  .sort((a, b) => (a.group === b.group ? a.name.localeCompare(b.name) : a.group === '' ? -1 : b.group === '' ? 1 : a.group.localeCompare(b.group)));

/** The seed's story (scenario-language.md's example). */
export const STORY_FILE = 'seed-pte-thp-child-exits.mms';

/** The example the app starts with: the story, else the first example, else an empty scenario. */
export function startExample(): Example {
  return EXAMPLES.find((e) => e.name === STORY_FILE) ?? EXAMPLES[0] ?? { name: 'untitled.mms', group: '', text: '', title: 'untitled' };
}
