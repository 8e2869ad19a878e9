// Editor services for the scenario language, free of any editor's types:
// completion that knows where the cursor is (operations after `P1: `, advice
// after `madvise A `, policies after `for `, the processes and mappings in
// scope at that line) and hover text from docs.ts. Positions are 1-based like
// the AST's.

import { ADVICES, ALL_POLICIES, GLOBAL_COUNTERS, PAGE_PROPERTIES, PAGE_SIZE, PROCESS_COUNTERS, type Scenario, type Span } from './ast';
import { scopeAt, type ProcessInfo, type Scope } from './checker';
import { docFor, docMarkdown, type DocEntry, type DocKind } from './docs';
import { lexLine, type Token } from './lexer';
import { CMP_OPS, DIRECTIVES, OPERATIONS, PROTS, THP_MODES, parseScenario, splitLines } from './parser';
import { formatSize } from './text';

export type CompletionKind = 'keyword' | 'operation' | 'advice' | 'property' | 'counter' | 'policy' | 'process' | 'mapping' | 'name';

export interface Completion {
  label: string;
  kind: CompletionKind;
  detail: string;
  documentation?: string;
}

const THP_SIZES = ['16K', '32K', '64K', '128K', '256K', '512K', '1M', '2M'];

function fromDocs(kind: CompletionKind, docKind: DocKind, names: readonly string[]): Completion[] {
  return names.map((name) => {
    const d = docFor(docKind, name);
    return { label: name, kind, detail: d?.syntax ?? d?.summary ?? docKind, documentation: d ? docMarkdown(d) : undefined };
  });
}

const keywords = (names: readonly string[], detail: string): Completion[] => names.map((label) => ({ label, kind: 'keyword' as const, detail }));

function processItems(scope: Scope, aliveOnly: boolean): Completion[] {
  return [...scope.processes.values()].filter((p) => p.alive || !aliveOnly).map((p) => ({ label: p.name, kind: 'process' as const, detail: describeProcess(p) }));
}

function mappingItems(proc: ProcessInfo | undefined): Completion[] {
  if (!proc) return [];
  return [...proc.mappings.values()].map((m) => ({ label: m.name, kind: 'mapping' as const, detail: `mapping of ${proc.name}${m.pages !== undefined ? `, ${formatSize(m.pages * PAGE_SIZE)} (${m.pages} pages)` : ''}` }));
}

/** Groups argument tokens: a mapping name with its `[...]` counts as one argument. Returns null inside an open `[`. */
function argCount(tokens: Token[]): number | null {
  let n = 0;
  let depth = 0;
  for (const t of tokens) {
    if (t.text === '[') depth++;
    else if (t.text === ']') depth = Math.max(0, depth - 1);
    else if (depth === 0) n++;
  }
  return depth > 0 ? null : n;
}

// The editor asks again and again about the same text while the user moves the cursor: parse once per text.
let lastParse: { source: string; scenario: Scenario } | undefined;
function parsed(source: string): Scenario {
  if (lastParse?.source !== source) lastParse = { source, scenario: parseScenario(source, '').scenario };
  return lastParse.scenario;
}

interface Context {
  scenario: Scenario;
  tokens: Token[];
}

function context(source: string, line: number, col: number): Context | null {
  const text = splitLines(source)[line - 1] ?? '';
  const prefix = text.slice(0, Math.max(0, col - 1));
  const lexed = lexLine(prefix);
  if (lexed.comment) return null;
  const tokens = lexed.tokens;
  // The word being typed is not context: completion replaces it.
  const last = tokens[tokens.length - 1];
  if (last && last.end === prefix.length && (last.kind === 'word' || last.kind === 'number' || last.kind === 'size' || last.kind === 'error')) tokens.pop();
  return { scenario: parsed(source), tokens };
}

export function completionsAt(source: string, line: number, col: number): Completion[] {
  try {
    const c = context(String(source), line, col);
    return c ? complete(c, line) : [];
  } catch {
    return [];
  }
}

function complete({ scenario, tokens }: Context, line: number): Completion[] {
  const first = tokens[0];
  if (!first) {
    const stepsBefore = scenario.steps.some((s) => s.span.line < line);
    const h = scenario.header;
    const directives = stepsBefore ? [] : DIRECTIVES.filter((d) => !(d === 'scenario' ? h.title : h[d]) || (d === 'scenario' ? h.title : h[d])!.span.line === line);
    return [...fromDocs('keyword', 'directive', directives), ...fromDocs('keyword', 'keyword', ['expect']), ...processItems(scopeAt(scenario, line), true)];
  }
  if (first.kind === 'word' && tokens[1]?.text === ':') return completeStep(scenario, line, first.text, tokens.slice(2));
  if (first.text === 'expect') return completeExpect(scenario, tokens.slice(1));
  if (first.text === 'policies') return fromDocs('policy', 'policy', ALL_POLICIES);
  if (first.text === 'thp') return tokens[tokens.length - 1].text === '=' ? fromDocs('keyword', 'thp-mode', THP_MODES) : keywords(THP_SIZES.map((s) => `${s}=`), 'THP size');
  return [];
}

function completeStep(scenario: Scenario, line: number, actor: string, rest: Token[]): Completion[] {
  if (rest.length === 0) return fromDocs('operation', 'operation', OPERATIONS);
  const scope = scopeAt(scenario, line);
  const proc = scope.processes.get(actor);
  const op = rest[0].text;
  const n = argCount(rest.slice(1));
  if (n === null) return [];
  const mappings = () => mappingItems(proc);
  const prots = () => fromDocs('keyword', 'protection', PROTS);
  const handles = (kind: 'pin' | 'pipe') =>
    [...scope.handles.values()].filter((h) => h.kind === kind && h.releasedLine === undefined).map((h) => ({ label: h.name, kind: 'name' as const, detail: `${kind} from line ${h.line}` }));
  switch (op) {
    case 'mmap':
      return n === 2 ? prots() : [];
    case 'munmap':
    case 'read':
    case 'write':
    case 'split':
    case 'mremap':
      return n === 0 ? mappings() : [];
    case 'mprotect':
      return n === 0 ? mappings() : n === 1 ? prots() : [];
    case 'madvise':
      return n === 0 ? mappings() : n === 1 ? fromDocs('advice', 'advice', ADVICES) : [];
    case 'pin':
      return n === 0 ? mappings() : n === 1 ? fromDocs('keyword', 'protection', ['ro', 'rw']) : n === 2 ? keywords(['as'], 'names the pin') : [];
    case 'vmsplice':
      return n === 0 ? mappings() : n === 1 ? keywords(['as'], 'names the pipe') : [];
    case 'fork': {
      if (n !== 0) return [];
      let k = 1;
      while (scope.processes.has(`P${k}`)) k++;
      return [{ label: `P${k}`, kind: 'name', detail: 'a new process name' }];
    }
    case 'unpin':
      return n === 0 ? handles('pin') : [];
    case 'close':
      return n === 0 ? handles('pipe') : [];
    default:
      return [];
  }
}

function completeExpect(scenario: Scenario, rest: Token[]): Completion[] {
  if (rest.some((t) => t.text === 'for')) return fromDocs('policy', 'policy', ALL_POLICIES);
  const scope = scopeAt(scenario, Infinity);
  const values = () => [...fromDocs('counter', 'counter', GLOBAL_COUNTERS), ...processItems(scope, false), ...keywords(['true', 'false'], 'boolean')];
  const last = rest[rest.length - 1];
  if (!last || (last.kind === 'punct' && (CMP_OPS as readonly string[]).includes(last.text))) return values();
  const before = rest[rest.length - 2];
  const startsValue = !before || (CMP_OPS as readonly string[]).includes(before.text);
  if (last.text === '.') {
    const owner = before;
    const ownerStartsValue = rest.length < 3 || (CMP_OPS as readonly string[]).includes(rest[rest.length - 3].text);
    if (owner?.kind === 'word' && owner.end === last.start && ownerStartsValue) {
      return owner.text === 'mem' ? keywords(['used', 'peak'], 'simulated physical memory') : fromDocs('counter', 'process-counter', PROCESS_COUNTERS);
    }
    return fromDocs('property', 'property', PAGE_PROPERTIES);
  }
  if (last.kind === 'word' && startsValue && scope.processes.has(last.text)) return mappingItems(scope.processes.get(last.text));
  if (argCount(rest) === null) return [];
  const hasCmp = rest.some((t) => (CMP_OPS as readonly string[]).includes(t.text));
  return hasCmp ? keywords(['for'], 'limit to policies') : keywords(CMP_OPS, 'comparison');
}

// ------------------------------------------------------------------ hover

export function hoverAt(source: string, line: number, col: number): { contents: string; span: Span } | null {
  try {
    return hover(String(source), line, col);
  } catch {
    return null;
  }
}

/** Joins tokens written without spaces into one name (`v6.15`, `clear-soft-dirty`, `mem.used`). */
function compoundAt(tokens: Token[], i: number, joinable: (t: Token) => boolean): { text: string; start: number; end: number; first: number } {
  let a = i;
  let b = i;
  while (a > 0 && tokens[a - 1].end === tokens[a].start && joinable(tokens[a - 1]) && joinable(tokens[a])) a--;
  while (b < tokens.length - 1 && tokens[b].end === tokens[b + 1].start && joinable(tokens[b + 1]) && joinable(tokens[b])) b++;
  return { text: tokens.slice(a, b + 1).map((t) => t.text).join(''), start: tokens[a].start, end: tokens[b].end, first: a };
}

function hover(source: string, line: number, col: number): { contents: string; span: Span } | null {
  const lines = splitLines(source);
  const text = lines[line - 1];
  if (text === undefined) return null;
  const { tokens } = lexLine(text);
  const c = col - 1;
  let i = tokens.findIndex((t) => t.start <= c && c < t.end);
  if (i < 0) i = tokens.findIndex((t) => t.end === c);
  if (i < 0 || tokens[i].kind === 'error' || tokens[i].kind === 'string') return null;
  const tok = tokens[i];
  const span = (start: number, end: number): Span => ({ line, col: start + 1, endLine: line, endCol: end + 1 });
  const doc = (d: DocEntry | undefined, start = tok.start, end = tok.end) => (d ? { contents: docMarkdown(d), span: span(start, end) } : null);
  const scenario = parsed(source);
  const head = tokens[0];

  if (head.text === 'policies' && i > 0) {
    const id = compoundAt(tokens, i, (t) => t.kind !== 'punct' || t.text === '.' || t.text === '-');
    return doc(docFor('policy', id.text), id.start, id.end);
  }
  const forAt = tokens.findIndex((t) => t.text === 'for');
  if (head.text === 'expect' && forAt > 0 && i > forAt) {
    const id = compoundAt(tokens, i, (t) => t.kind !== 'punct' || t.text === '.' || t.text === '-');
    return doc(docFor('policy', id.text), id.start, id.end);
  }
  if (i === 0 && (DIRECTIVES as readonly string[]).includes(tok.text) && tokens[1]?.text !== ':') return doc(docFor('directive', tok.text));
  if (head.kind === 'word' && tokens[1]?.text === ':') {
    const scope = scopeAt(scenario, line);
    if (i === 0) return processHover(scopeAt(scenario, Infinity), tok.text, span(tok.start, tok.end));
    const op = compoundAt(tokens, 2, (t) => t.kind === 'word' || t.text === '-');
    if (i >= 2 && i < 2 + (op.text.split('-').length * 2 - 1)) return doc(docFor('operation', op.text), op.start, op.end);
    const proc = scope.processes.get(head.text);
    if (op.text === 'madvise' && (ADVICES as readonly string[]).includes(tok.text)) return doc(docFor('advice', tok.text));
    if (op.text === 'fork' && tok.kind === 'word') return processHover(scopeAt(scenario, Infinity), tok.text, span(tok.start, tok.end));
    if (proc?.mappings.has(tok.text) && tokens[i - 1]?.text !== 'as') return mappingHover(proc, tok.text, span(tok.start, tok.end));
    if ((PROTS as readonly string[]).includes(tok.text)) return doc(docFor('protection', tok.text));
    if (tok.text === 'as') return doc(docFor('keyword', 'as'));
    const h = scope.handles.get(tok.text) ?? scopeAt(scenario, line + 1).handles.get(tok.text);
    if (h) return { contents: `**${h.name}**: ${h.kind} created by ${h.owner} at line ${h.line}`, span: span(tok.start, tok.end) };
    return null;
  }
  if (head.text === 'thp' && (THP_MODES as readonly string[]).includes(tok.text)) return doc(docFor('thp-mode', tok.text));
  if (head.text === 'expect') {
    if (i === 0) return doc(docFor('keyword', 'expect'));
    if (tok.text === 'for' || tok.text === 'true' || tok.text === 'false') return doc(docFor('keyword', tok.text));
    const scope = scopeAt(scenario, Infinity);
    const prev = tokens[i - 1];
    const next = tokens[i + 1];
    if (prev?.text === '.' && prev.end === tok.start) {
      const owner = tokens[i - 2];
      if (owner?.text === 'mem') return doc(docFor('counter', `mem.${tok.text}`), owner.start, tok.end);
      if (owner?.kind === 'word' && scope.processes.has(owner.text) && owner.end === prev.start) return doc(docFor('process-counter', tok.text));
      return doc(docFor('property', tok.text));
    }
    if (tok.text === 'mem' && next?.text === '.') return doc(docFor('counter', `mem.${tokens[i + 2]?.text}`), tok.start, tokens[i + 2]?.end ?? tok.end);
    if (scope.processes.has(tok.text)) return processHover(scope, tok.text, span(tok.start, tok.end));
    if (prev?.kind === 'word' && scope.processes.get(prev.text)?.mappings.has(tok.text)) return mappingHover(scope.processes.get(prev.text)!, tok.text, span(tok.start, tok.end));
    return doc(docFor('counter', tok.text));
  }
  return null;
}

function describeProcess(p: ProcessInfo): string {
  const born = p.parent ? `created by fork in ${p.parent} at line ${p.line}` : 'the initial process';
  return `process, ${born}${p.exitLine ? `; exits at line ${p.exitLine}` : ''}`;
}

function processHover(scope: Scope, name: string, span: Span): { contents: string; span: Span } | null {
  const p = scope.processes.get(name);
  return p ? { contents: `**${name}**: ${describeProcess(p)}`, span } : null;
}

function mappingHover(proc: ProcessInfo, name: string, span: Span): { contents: string; span: Span } {
  const m = proc.mappings.get(name)!;
  const size = m.pages !== undefined ? `${formatSize(m.pages * PAGE_SIZE)} (${m.pages} pages)` : 'size not known statically';
  return { contents: `**${name}**: mapping of ${proc.name}, ${size}, created at line ${m.line}`, span };
}
