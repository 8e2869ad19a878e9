// Monaco, bundled for offline use: the lean editor API plus its editor
// contributions, no language services of its own, only the editor worker
// (toolchain notes P2/P3). Registers the scenario language `foliolab-mms`
// with a Monarch tokenizer built from the parser's own vocabulary, and the
// light/dark themes.
import * as monaco from 'monaco-editor/editor/editor.api';
import 'monaco-editor/features/register.all';
import EditorWorker from 'monaco-editor/editor/editor.worker?worker';
import {
  ADVICES,
  ALL_POLICIES,
  GLOBAL_COUNTERS,
  PAGE_PROPERTIES,
  PROCESS_COUNTERS,
} from '../../../core/lang/ast';
import { DIRECTIVES, OPERATIONS, PROTS, THP_MODES } from '../../../core/lang/parser';

export { monaco };
export const LANGUAGE_ID = 'foliolab-mms';
export const THEMES = { light: 'foliolab-light', dark: 'foliolab-dark' } as const;

(self as unknown as { MonacoEnvironment: monaco.Environment }).MonacoEnvironment = {
  getWorker(_id: string, label: string) {
    // Only the editor worker is bundled; the lab's language runs in the page (it is small and fast).
    if (label === 'editorWorkerService' || label === 'editor') return new EditorWorker();
    throw new Error(`No Monaco worker for "${label}" in Folio Lab`);
  },
};

const escape = (w: string) => w.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&');
const alternatives = (words: readonly string[]) => words.map(escape).sort((a, b) => b.length - a.length).join('|');

function monarch(): monaco.languages.IMonarchLanguage {
  return {
    defaultToken: '',
    tokenPostfix: '.mms',
    tokenizer: {
      root: [
        [/#.*$/, 'comment'],
        [/"/, 'string', '@string'],
        [new RegExp(`^\\s*(${alternatives(DIRECTIVES)})\\b`), 'keyword.directive'],
        [/^\s*expect\b/, 'keyword.expect'],
        [/\bfor\b/, 'keyword.expect'],
        [/^(\s*)([A-Za-z_][A-Za-z0-9_]*)(\s*)(:)/, ['', 'type.process', '', 'delimiter']],
        [new RegExp(`(${alternatives(OPERATIONS)})(?![A-Za-z0-9_-])`), 'keyword.operation'],
        [new RegExp(`\\b(${alternatives(GLOBAL_COUNTERS)})(?![A-Za-z0-9_])`), 'variable.counter'],
        [new RegExp(`\\.(${alternatives([...PROCESS_COUNTERS, ...PAGE_PROPERTIES])})\\b`), 'variable.property'],
        [/==|!=|<=|>=|<|>/, 'operator'],
        [/\b(true|false)\b/, 'constant'],
        { include: '@common' },
      ],
      common: [
        [new RegExp(`(${alternatives(ALL_POLICIES)})(?![A-Za-z0-9_.])`), 'constant.policy'],
        [new RegExp(`\\b(${alternatives([...ADVICES, ...PROTS, ...THP_MODES, 'as'])})\\b`), 'keyword.argument'],
        [/\b0x[0-9a-fA-F]+\b/, 'number'],
        [/\b\d+(?:[KMG]B?)?\b/, 'number'],
        [/\.\./, 'operator'],
        [/[[\]]/, '@brackets'],
        [/[A-Za-z_][A-Za-z0-9_]*/, 'identifier'],
        [/[=:]/, 'delimiter'],
      ],
      string: [
        [/[^\\"]+/, 'string'],
        [/\\./, 'string.escape'],
        [/"/, 'string', '@pop'],
      ],
    },
  };
}

const sharedRules = (dark: boolean): monaco.editor.ITokenThemeRule[] => [
  { token: 'comment', foreground: dark ? '7f8c98' : '6a737d', fontStyle: 'italic' },
  { token: 'keyword.directive', foreground: dark ? 'c792ea' : '8250df', fontStyle: 'bold' },
  { token: 'keyword.expect', foreground: dark ? 'c792ea' : '8250df', fontStyle: 'bold' },
  { token: 'keyword.operation', foreground: dark ? '82aaff' : '0550ae', fontStyle: 'bold' },
  { token: 'keyword.argument', foreground: dark ? '89ddff' : '0a7ea4' },
  { token: 'type.process', foreground: dark ? 'ffcb6b' : '953800' },
  { token: 'constant.policy', foreground: dark ? 'c3e88d' : '1a7f37' },
  { token: 'constant', foreground: dark ? 'f78c6c' : 'cf222e' },
  { token: 'variable.counter', foreground: dark ? 'f07178' : 'a40e26' },
  { token: 'variable.property', foreground: dark ? 'f07178' : 'a40e26' },
  { token: 'number', foreground: dark ? 'f78c6c' : '0550ae' },
  { token: 'string', foreground: dark ? 'c3e88d' : '0a3069' },
  { token: 'operator', foreground: dark ? '89ddff' : 'cf222e' },
];

let registered = false;

/** Registers the language and themes once. */
export function registerLanguage(): typeof monaco {
  if (registered) return monaco;
  registered = true;
  monaco.languages.register({ id: LANGUAGE_ID, extensions: ['.mms'], aliases: ['Folio Lab scenario'] });
  monaco.languages.setMonarchTokensProvider(LANGUAGE_ID, monarch());
  monaco.languages.setLanguageConfiguration(LANGUAGE_ID, {
    comments: { lineComment: '#' },
    brackets: [['[', ']']],
    autoClosingPairs: [
      { open: '[', close: ']' },
      { open: '"', close: '"' },
    ],
    wordPattern: /[A-Za-z_][A-Za-z0-9_.-]*|0x[0-9a-fA-F]+|\d+[KMG]?B?/,
  });
  monaco.editor.defineTheme(THEMES.light, { base: 'vs', inherit: true, rules: sharedRules(false), colors: {} });
  monaco.editor.defineTheme(THEMES.dark, {
    base: 'vs-dark',
    inherit: true,
    rules: sharedRules(true),
    colors: { 'editor.background': '#1b1f24' },
  });
  return monaco;
}
