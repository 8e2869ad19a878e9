// Parser of the scenario language (scenario-language.md): source text to the
// typed AST of ast.ts. One statement per line; a statement that does not parse
// is reported and left out, and parsing goes on with the next line, so one
// pass reports every error. Never throws: internal failures become a
// diagnostic too.

import {
  ADVICES,
  GLOBAL_COUNTERS,
  PAGE_PROPERTIES,
  PROCESS_COUNTERS,
  type Advice,
  type CmpOp,
  type Comment,
  type Diagnostic,
  type Expectation,
  type GlobalCounter,
  type Name,
  type Operation,
  type PageProperty,
  type ParseResult,
  type ProcessCounter,
  type Prot,
  type RangeIndex,
  type RangeRef,
  type Scenario,
  type Span,
  type Step,
  type ThpMode,
  type ThpSetting,
  type Value,
} from './ast';
import { lexLine, type Token } from './lexer';
import { MAX_EXPECTATIONS, MAX_LINE_CHARS, MAX_SOURCE_CHARS, MAX_STEPS } from './limits';
import { didYouMean, formatBytes, oneOf, quote } from './text';

export const DIRECTIVES = ['scenario', 'policies', 'thp', 'memory', 'swap'] as const;
export type Directive = (typeof DIRECTIVES)[number];

/** Operations with their argument syntax, as the messages and the docs show it. */
export const OPERATION_SYNTAX: Record<Operation['op'], string> = {
  mmap: 'mmap NAME SIZE [rw|ro|none]',
  munmap: 'munmap RANGE',
  mprotect: 'mprotect RANGE rw|ro|none',
  madvise: 'madvise RANGE ADVICE',
  mremap: 'mremap RANGE NEWNAME',
  read: 'read RANGE',
  write: 'write RANGE [BYTE]',
  fork: 'fork NAME',
  exit: 'exit',
  pin: 'pin RANGE ro|rw as NAME',
  unpin: 'unpin NAME',
  vmsplice: 'vmsplice RANGE as NAME',
  close: 'close NAME',
  split: 'split RANGE',
  'clear-soft-dirty': 'clear-soft-dirty',
};
export const OPERATIONS = Object.keys(OPERATION_SYNTAX) as Operation['op'][];
const USAGE = Object.fromEntries(OPERATIONS.map((op) => [op, `usage: ${OPERATION_SYNTAX[op]}`])) as Record<Operation['op'], string>;
export const PROTS: readonly Prot[] = ['rw', 'ro', 'none'];
export const THP_MODES: readonly ThpMode[] = ['always', 'madvise', 'never'];
export const CMP_OPS: readonly CmpOp[] = ['==', '!=', '<', '<=', '>', '>='];
// Candidate lists for suggestions, built once (didYouMean remembers answers per list).
const STATEMENT_WORDS = [...DIRECTIVES, 'expect', ...OPERATIONS];
const VALUE_WORDS = [...GLOBAL_COUNTERS, 'true', 'false'];
const OPS_LIST = OPERATIONS.join(', ');
const ADVICE_LIST = ADVICES.join(', ');
const EXPECTED_VALUE = `expected a value: a number, a size, true/false, a counter (${GLOBAL_COUNTERS.join(', ')}), PROCESS.COUNTER or PROCESS RANGE.PROPERTY`;

/** What the checker needs beyond the AST: names introduced by statements that failed to parse. */
export interface ParseDetail extends ParseResult {
  /** Process, mapping, pin and pipe names a broken statement would have created (to avoid follow-on errors). */
  brokenNames: Set<string>;
  /** The source's lines, as the positions count them. */
  lines: string[];
}

/** Splits like Monaco: `\r\n`, `\n` and a lone `\r` all end a line. */
export function splitLines(source: string): string[] {
  return source.split(/\r\n|\r|\n/);
}

export function parseScenario(source: string, file: string): ParseResult {
  const { scenario, diagnostics } = parseScenarioDetailed(source, file);
  return { scenario, diagnostics };
}

export function parseScenarioDetailed(source: string, file: string): ParseDetail {
  const scenario: Scenario = { file, header: {}, steps: [], expectations: [], comments: [] };
  const diagnostics: Diagnostic[] = [];
  const brokenNames = new Set<string>();
  let lines: string[] = [''];
  try {
    if (typeof source !== 'string') source = String(source);
    if (source.length > MAX_SOURCE_CHARS) {
      diagnostics.push(fileDiag(source, 'file-too-large', `file is too large (${formatBytes(source.length)} of text); the limit is ${formatBytes(MAX_SOURCE_CHARS)}`));
      return { scenario, diagnostics, brokenNames, lines: splitLines(source.slice(0, 200_000)) };
    }
    lines = splitLines(source);
    const nul = source.indexOf('\0');
    if (nul >= 0) {
      const before = splitLines(source.slice(0, nul));
      const line = before.length;
      const col = before[before.length - 1].length + 1;
      diagnostics.push({
        line, col, endLine: line, endCol: col + 1,
        severity: 'error',
        code: 'binary-file',
        message: `this looks like a binary file (a NUL byte at ${line}:${col}); a scenario is UTF-8 text`,
      });
      return { scenario, diagnostics, brokenNames, lines };
    }
    new FileParser(scenario, diagnostics, brokenNames).parse(lines);
  } catch (e) {
    diagnostics.push(fileDiag(source, 'internal-error', `internal parser error (${e instanceof Error ? e.message : String(e)}); please report this with the file`));
  }
  diagnostics.sort(byPosition);
  return { scenario, diagnostics, brokenNames, lines };
}

export function byPosition(a: Span, b: Span): number {
  return a.line - b.line || a.col - b.col || a.endCol - b.endCol;
}

function fileDiag(source: string, code: string, message: string): Diagnostic {
  const firstLen = /^[^\r\n]*/.exec(source.slice(0, 10_000))?.[0].length ?? 0;
  return { line: 1, col: 1, endLine: 1, endCol: Math.min(firstLen, 1) + 1, severity: 'error', code, message };
}

/** Thrown inside one statement to abandon it; caught per line, never escapes. */
class StatementError {
  constructor(readonly diagnostic: Diagnostic) {}
}

class FileParser {
  private firstStepLine = 0;
  private firstExpectLine = 0;
  private directiveLines = new Map<Directive, number>();
  private stepLimitHit = false;
  private expectLimitHit = false;

  constructor(
    private scenario: Scenario,
    private diagnostics: Diagnostic[],
    private brokenNames: Set<string>,
  ) {}

  parse(lines: string[]): void {
    for (let i = 0; i < lines.length; i++) this.parseLine(i + 1, lines[i]);
  }

  private parseLine(lineNo: number, text: string): void {
    if (text.length > MAX_LINE_CHARS) {
      this.diagnostics.push({
        line: lineNo, col: 1, endLine: lineNo, endCol: MAX_LINE_CHARS + 1,
        severity: 'error',
        code: 'line-too-long',
        message: `line is too long (${text.length} characters); the limit is ${MAX_LINE_CHARS}`,
      });
      return;
    }
    const { tokens, comment } = lexLine(text);
    if (comment) {
      const c: Comment = { text: comment.text, line: lineNo, trailing: tokens.length > 0 };
      this.scenario.comments.push(c);
    }
    if (tokens.length === 0) return;
    if (tokens.some((t) => t.kind === 'error')) {
      for (const t of tokens.filter((x) => x.kind === 'error')) this.diagnostics.push(diag(lineNo, t.start, t.end, t.code ?? 'syntax', t.message ?? 'syntax error'));
      this.noteBrokenNames(tokens);
      return;
    }
    const p = new LineParser(lineNo, text, tokens);
    try {
      this.statement(p);
    } catch (e) {
      if (!(e instanceof StatementError)) throw e;
      this.diagnostics.push(e.diagnostic);
      this.noteBrokenNames(tokens);
    }
  }

  private statement(p: LineParser): void {
    const first = p.peek()!;
    const second = p.peek(1);
    const isStep = first.kind === 'word' && second?.kind === 'punct' && second.text === ':';
    if (isStep) return this.step(p);
    if (first.kind === 'word' && (DIRECTIVES as readonly string[]).includes(first.text)) return this.directive(p, first.text as Directive);
    if (first.kind === 'word' && first.text === 'expect') return this.expectation(p);
    if (first.kind === 'word' && second?.kind === 'word' && (OPERATIONS as readonly string[]).includes(second.text)) {
      p.fail('missing-colon', `expected ":" after the process name ${quote(first.text)}: write ${first.text}: ${second.text} ...`, { start: first.end, end: first.end + 1 });
    }
    p.fail(
      'unknown-statement',
      `unknown statement ${quote(first.text)}${first.kind === 'word' ? didYouMean(first.text, STATEMENT_WORDS) : ''}; expected a header directive (${DIRECTIVES.join(', ')}), a step "PROCESS: OPERATION ..." or "expect CONDITION"`,
      first,
    );
  }

  // ---------------------------------------------------------------- header

  private directive(p: LineParser, name: Directive): void {
    const kw = p.next();
    const header = this.scenario.header;
    // Parse first so syntax errors are reported even for a misplaced directive.
    let apply: () => void;
    switch (name) {
      case 'scenario': {
        const t = p.peek();
        if (!t || t.kind !== 'string') p.fail('expected-string', `expected the title as a string after "scenario", e.g. scenario "fork and COW"`, t ?? p.endPos());
        p.next();
        apply = () => (header.title = { value: t.str ?? '', span: p.spanFrom(kw) });
        break;
      }
      case 'policies': {
        const ids: Name[] = [];
        while (!p.atEnd()) ids.push(p.policyName());
        if (ids.length === 0) p.fail('missing-argument', `"policies" needs at least one policy id, e.g. policies v6.7 v6.15`, p.endPos());
        apply = () => (header.policies = { ids, span: p.spanFrom(kw) });
        break;
      }
      case 'thp': {
        const settings: ThpSetting[] = [];
        while (!p.atEnd()) settings.push(this.thpSetting(p));
        if (settings.length === 0) p.fail('missing-argument', `"thp" needs at least one SIZE=MODE, e.g. thp 2M=madvise 64K=always`, p.endPos());
        apply = () => (header.thp = { settings, span: p.spanFrom(kw) });
        break;
      }
      case 'memory':
      case 'swap': {
        const bytes = p.size(`"${name}" needs a size, e.g. ${name} ${name === 'memory' ? '4G' : '1G'}`);
        apply = () => (header[name] = { bytes, span: p.spanFrom(kw) });
        break;
      }
    }
    p.end(`"${name}" directive`);
    const earlier = this.directiveLines.get(name);
    if (earlier !== undefined) {
      p.fail('duplicate-directive', `"${name}" is already set at line ${earlier}; each header directive may appear only once`, kw);
    }
    if (this.firstStepLine || this.firstExpectLine) {
      const where = this.firstStepLine ? `the first step (line ${this.firstStepLine})` : `the first expectation (line ${this.firstExpectLine})`;
      p.fail('directive-after-step', `"${name}" must come before ${where}; move it to the header at the top`, kw);
    }
    this.directiveLines.set(name, p.line);
    apply();
  }

  private thpSetting(p: LineParser): ThpSetting {
    const start = p.peek()!;
    const size = p.size('expected SIZE=MODE, e.g. 2M=madvise');
    p.punct('=', () => `expected "=" after the THP size: write ${start.text}=always, ${start.text}=madvise or ${start.text}=never`);
    const m = p.peek();
    if (!m || m.kind !== 'word') p.fail('missing-argument', `expected a THP mode after "=": ${oneOf(THP_MODES)}`, m ?? p.endPos());
    p.next();
    if (!(THP_MODES as readonly string[]).includes(m.text)) {
      p.fail('unknown-thp-mode', `unknown THP mode ${quote(m.text)}${didYouMean(m.text, THP_MODES)}; expected one of ${THP_MODES.join(', ')}`, m);
    }
    return { size, mode: m.text as ThpMode, span: p.span(start.start, m.end) };
  }

  // ---------------------------------------------------------------- steps

  private step(p: LineParser): void {
    if (this.scenario.steps.length >= MAX_STEPS) {
      if (!this.stepLimitHit) {
        this.stepLimitHit = true;
        p.fail('too-many-steps', `too many steps; the limit is ${MAX_STEPS} (the steps after this line are ignored)`, p.peek()!);
      }
      return;
    }
    const actorTok = p.next();
    const actor = p.name(actorTok);
    p.next(); // ':'
    const opTok = p.peek();
    if (!opTok) p.fail('missing-operation', `expected an operation after "${actorTok.text}:"; one of ${OPS_LIST}`, p.endPos());
    const { text: opText, start: opStart, end: opEnd } = p.opWord();
    if (!(OPERATIONS as readonly string[]).includes(opText)) {
      p.fail('unknown-operation', `unknown operation ${quote(opText)}${didYouMean(opText, OPERATIONS)}; expected one of ${OPS_LIST}`, { start: opStart, end: opEnd });
    }
    const op = opText as Operation['op'];
    const usage = USAGE[op];
    const operation = this.operation(p, op, usage);
    if (!p.atEnd()) p.end(`"${op}"; ${usage}`);
    if (this.firstExpectLine) {
      this.diagnostics.push(diag(p.line, actorTok.start, p.lastEnd(), 'step-after-expectation', `step after an expectation (line ${this.firstExpectLine}); expectations are checked after the last step, so put them at the end`, 'warning'));
    }
    if (!this.firstStepLine) this.firstStepLine = p.line;
    const step: Step = { actor, operation, span: p.span(actorTok.start, p.lastEnd()), index: this.scenario.steps.length };
    this.scenario.steps.push(step);
  }

  private operation(p: LineParser, op: Operation['op'], usage: string): Operation {
    switch (op) {
      case 'mmap': {
        const name = p.newName('a mapping name', usage);
        const size = p.size(`"mmap" needs a size after the name, e.g. mmap ${name.text} 2M; ${usage}`);
        const prot = p.atEnd() ? 'rw' : p.prot(usage);
        return { op, name, size, prot };
      }
      case 'munmap':
      case 'read':
      case 'split':
        return { op, range: p.range(usage) };
      case 'mprotect': {
        const range = p.range(usage);
        if (p.atEnd()) p.fail('missing-argument', `"mprotect" needs a protection after the range: ${oneOf(PROTS)}; ${usage}`, p.endPos());
        return { op, range, prot: p.prot(usage) };
      }
      case 'madvise': {
        const range = p.range(usage);
        const t = p.peek();
        if (!t || t.kind !== 'word') p.fail('missing-argument', `"madvise" needs an advice after the range: one of ${ADVICE_LIST}`, t ?? p.endPos());
        p.next();
        if (!(ADVICES as readonly string[]).includes(t.text)) {
          p.fail('unknown-advice', `unknown advice ${quote(t.text)}${didYouMean(t.text, ADVICES)}; expected one of ${ADVICE_LIST}`, t);
        }
        return { op, range, advice: t.text as Advice };
      }
      case 'mremap': {
        const range = p.range(usage);
        return { op, range, newName: p.newName('the new mapping name', usage) };
      }
      case 'write': {
        const range = p.range(usage);
        if (p.atEnd()) return { op, range };
        const t = p.next();
        if (t.kind !== 'number') p.fail('bad-byte', `expected the byte to write (0 to 255, e.g. 0xff) after the range; ${usage}`, t);
        return { op, range, byte: t.value! };
      }
      case 'fork':
        return { op, child: p.newName('the child process name', usage) };
      case 'exit':
      case 'clear-soft-dirty':
        return { op };
      case 'pin': {
        const range = p.range(usage);
        const t = p.peek();
        if (!t || t.kind !== 'word' || (t.text !== 'ro' && t.text !== 'rw')) {
          p.fail(t ? 'bad-pin-mode' : 'missing-argument', `"pin" needs ro or rw after the range${t ? `, not ${quote(t.text)}` : ''}; ${usage}`, t ?? p.endPos());
        }
        p.next();
        p.keyword('as', usage);
        return { op, range, mode: t.text as 'ro' | 'rw', name: p.newName('the pin name', usage) };
      }
      case 'vmsplice': {
        const range = p.range(usage);
        p.keyword('as', usage);
        return { op, range, name: p.newName('the pipe name', usage) };
      }
      case 'unpin':
        return { op, name: p.newName('the pin name', usage) };
      case 'close':
        return { op, name: p.newName('the pipe name', usage) };
    }
  }

  // ---------------------------------------------------------------- expectations

  private expectation(p: LineParser): void {
    if (this.scenario.expectations.length >= MAX_EXPECTATIONS) {
      if (!this.expectLimitHit) {
        this.expectLimitHit = true;
        p.fail('too-many-expectations', `too many expectations; the limit is ${MAX_EXPECTATIONS} (the ones after this line are ignored)`, p.peek()!);
      }
      return;
    }
    const kw = p.next();
    if (p.atEnd()) p.fail('missing-argument', `"expect" needs a condition, e.g. expect P0.pgreuse == 1`, p.endPos());
    const lhsStart = p.peek()!;
    const lhs = this.value(p);
    const opTok = p.peek();
    if (!opTok || opTok.kind !== 'punct' || !(CMP_OPS as readonly string[]).includes(opTok.text)) {
      const hint = opTok?.text === '=' ? 'use == to compare' : `expected one of ${CMP_OPS.join(' ')}`;
      p.fail('expected-comparison', `expected a comparison after ${quote(p.text.slice(lhsStart.start, p.lastEnd()))}; ${hint}`, opTok ?? p.endPos());
    }
    p.next();
    if (p.atEnd() || p.peekWord('for')) p.fail('missing-argument', `expected a value after "${opTok.text}"`, p.peek() ?? p.endPos());
    const rhs = this.value(p);
    const textEnd = p.lastEnd();
    let policies: Name[] | undefined;
    if (p.peekWord('for')) {
      p.next();
      policies = [];
      while (!p.atEnd()) policies.push(p.policyName());
      if (policies.length === 0) p.fail('missing-argument', `"for" needs at least one policy id, e.g. for v6.7 v6.9`, p.endPos());
    }
    p.end('the condition; expect VALUE OP VALUE [for POLICY...]');
    if (!this.firstExpectLine) this.firstExpectLine = p.line;
    const e: Expectation = {
      condition: { lhs, op: opTok.text as CmpOp, rhs },
      text: p.text.slice(lhsStart.start, textEnd),
      span: p.spanFrom(kw),
    };
    if (policies) e.policies = policies;
    this.scenario.expectations.push(e);
  }

  private value(p: LineParser): Value {
    const t = p.next();
    if (t.kind === 'number' || t.kind === 'size') {
      const v: Value = { kind: 'number', value: t.value!, span: p.span(t.start, t.end) };
      if (t.kind === 'size') v.size = true;
      return v;
    }
    if (t.kind !== 'word') p.fail('expected-value', `${EXPECTED_VALUE}; found ${quote(t.text)}`, t);
    if (t.text === 'true' || t.text === 'false') return { kind: 'bool', value: t.text === 'true', span: p.span(t.start, t.end) };
    const next = p.peek();
    if (next?.kind === 'punct' && next.text === '.' && next.start === t.end) {
      p.next();
      const field = p.peek();
      if (!field || field.kind !== 'word' || field.start !== next.end) p.fail('expected-value', `expected a counter name right after "${t.text}."`, field ?? p.endPos());
      p.next();
      const span = p.span(t.start, field.end);
      if (t.text === 'mem') {
        const name = `mem.${field.text}`;
        if (!(GLOBAL_COUNTERS as readonly string[]).includes(name)) p.fail('unknown-counter', `unknown counter ${quote(name)}; expected mem.used or mem.peak`, span);
        return { kind: 'counter', name: name as GlobalCounter, span };
      }
      if (!(PROCESS_COUNTERS as readonly string[]).includes(field.text)) {
        p.fail('unknown-counter', `unknown per-process counter ${quote(field.text)}${didYouMean(field.text, PROCESS_COUNTERS)}; expected one of ${PROCESS_COUNTERS.join(', ')}`, field);
      }
      return { kind: 'process-counter', process: p.name(t), name: field.text as ProcessCounter, span };
    }
    if (next?.kind === 'word' && next.text !== 'for') {
      const range = p.range('a page property is PROCESS RANGE.PROPERTY, e.g. P0 A[5].order');
      const dot = p.peek();
      if (!dot || dot.kind !== 'punct' || dot.text !== '.') {
        p.fail('expected-property', `expected ".PROPERTY" after the range, e.g. ${t.text} ${p.text.slice(range.span.col - 1, range.span.endCol - 1)}.present; properties: ${PAGE_PROPERTIES.join(', ')}`, dot ?? p.endPos());
      }
      p.next();
      const prop = p.peek();
      if (!prop || prop.kind !== 'word') p.fail('expected-property', `expected a page property after "."; one of ${PAGE_PROPERTIES.join(', ')}`, prop ?? p.endPos());
      p.next();
      if (!(PAGE_PROPERTIES as readonly string[]).includes(prop.text)) {
        p.fail('unknown-property', `unknown page property ${quote(prop.text)}${didYouMean(prop.text, PAGE_PROPERTIES)}; expected one of ${PAGE_PROPERTIES.join(', ')}`, prop);
      }
      return { kind: 'page', process: p.name(t), range, property: prop.text as PageProperty, span: p.span(t.start, prop.end) };
    }
    if ((GLOBAL_COUNTERS as readonly string[]).includes(t.text)) return { kind: 'counter', name: t.text as GlobalCounter, span: p.span(t.start, t.end) };
    p.fail('unknown-counter', `unknown counter ${quote(t.text)}${didYouMean(t.text, VALUE_WORDS)}; ${EXPECTED_VALUE}`, t);
  }

  /** Remember names a broken statement would have introduced, so the checker does not cascade. */
  private noteBrokenNames(tokens: Token[]): void {
    const words = tokens.filter((t) => t.kind === 'word').map((t) => t.text);
    if (tokens[1]?.text !== ':') return;
    const op = words[1];
    if (op === 'mmap' || op === 'fork') {
      if (words[2]) this.brokenNames.add(words[2]);
    } else if (op === 'mremap') {
      if (words.length > 3) this.brokenNames.add(words[words.length - 1]);
    } else if (op === 'pin' || op === 'vmsplice') {
      const as = words.indexOf('as');
      if (as > 0 && words[as + 1]) this.brokenNames.add(words[as + 1]);
    }
  }
}

function diag(line: number, start: number, end: number, code: string, message: string, severity: Diagnostic['severity'] = 'error'): Diagnostic {
  return { line, col: start + 1, endLine: line, endCol: Math.max(end, start) + 1, severity, code, message };
}

/** Cursor over one line's tokens. */
class LineParser {
  private pos = 0;

  constructor(
    readonly line: number,
    readonly text: string,
    private tokens: Token[],
  ) {}

  peek(k = 0): Token | undefined {
    return this.tokens[this.pos + k];
  }
  peekWord(w: string): boolean {
    const t = this.peek();
    return t?.kind === 'word' && t.text === w;
  }
  atEnd(): boolean {
    return this.pos >= this.tokens.length;
  }
  next(): Token {
    return this.tokens[this.pos++];
  }
  lastEnd(): number {
    return this.pos > 0 ? this.tokens[this.pos - 1].end : 0;
  }
  /** Zero-width position right after the last consumed token (where something is missing). */
  endPos(): { start: number; end: number } {
    const e = this.pos > 0 ? this.tokens[Math.min(this.pos, this.tokens.length) - 1].end : 0;
    return { start: e, end: e };
  }
  span(start: number, end: number): Span {
    return { line: this.line, col: start + 1, endLine: this.line, endCol: end + 1 };
  }
  spanFrom(t: Token): Span {
    return this.span(t.start, this.lastEnd());
  }
  name(t: Token): Name {
    return { text: t.text, span: this.span(t.start, t.end) };
  }

  fail(code: string, message: string, at: { start: number; end: number } | Span): never {
    const d = 'start' in at ? diag(this.line, at.start, at.end, code, message) : { ...at, severity: 'error' as const, code, message };
    throw new StatementError(d);
  }

  /** The statement must end here. */
  end(what: string): void {
    const t = this.peek();
    if (t) this.fail('unexpected-token', `unexpected ${quote(t.text)} after ${what}`, { start: t.start, end: this.tokens[this.tokens.length - 1].end });
  }

  punct(p: string, message: () => string): void {
    const t = this.peek();
    if (!t || t.kind !== 'punct' || t.text !== p) this.fail('syntax', message(), t ?? this.endPos());
    this.next();
  }

  keyword(w: string, usage: string): void {
    const t = this.peek();
    if (!t || t.kind !== 'word' || t.text !== w) this.fail('syntax', `expected "${w}"${t ? `, not ${quote(t.text)}` : ''}; ${usage}`, t ?? this.endPos());
    this.next();
  }

  /** An identifier that names something (mapping, process, pin, pipe). */
  newName(what: string, usage: string): Name {
    const t = this.peek();
    if (!t) this.fail('missing-argument', `expected ${what}; ${usage}`, this.endPos());
    if (t.kind !== 'word') this.fail('expected-name', `expected ${what} (letters, digits and _), not ${quote(t.text)}; ${usage}`, t);
    this.next();
    return this.name(t);
  }

  /** A size (`2M`) or a plain number of bytes. */
  size(message: string): number {
    const t = this.peek();
    if (!t || (t.kind !== 'size' && t.kind !== 'number')) this.fail(t ? 'expected-size' : 'missing-argument', t ? `${message}; found ${quote(t.text)}` : message, t ?? this.endPos());
    this.next();
    return t.value!;
  }

  prot(usage: string): Prot {
    const t = this.next();
    if (t.kind !== 'word' || !(PROTS as readonly string[]).includes(t.text)) {
      this.fail('bad-protection', `unknown protection ${quote(t.text)}${t.kind === 'word' ? didYouMean(t.text, PROTS) : ''}; expected ${oneOf(PROTS)}; ${usage}`, t);
    }
    return t.text as Prot;
  }

  /** An operation word; `clear-soft-dirty` arrives as adjacent `word - word - word` tokens. */
  opWord(): { text: string; start: number; end: number } {
    const first = this.next();
    let end = first.end;
    while (this.peek()?.text === '-' && this.peek()!.start === end && this.peek(1)?.kind === 'word' && this.peek(1)!.start === end + 1) {
      this.next();
      end = this.next().end;
    }
    return { text: this.text.slice(first.start, end), start: first.start, end };
  }

  /** A policy id such as `v6.15`: adjacent word, number, `.` and `-` tokens form one name. */
  policyName(): Name {
    const first = this.next();
    if (first.kind !== 'word' && first.kind !== 'number') {
      const hint = first.text === ',' ? '; separate policy ids with spaces, not commas' : '';
      this.fail('expected-policy', `expected a policy id, not ${quote(first.text)}${hint}`, first);
    }
    let end = first.end;
    for (let t = this.peek(); t && t.start === end && (t.kind === 'word' || t.kind === 'number' || t.kind === 'size' || t.text === '.' || t.text === '-'); t = this.peek()) {
      this.next();
      end = t.end;
    }
    return { text: this.text.slice(first.start, end), span: this.span(first.start, end) };
  }

  range(usage: string): RangeRef {
    const t = this.peek();
    if (!t) this.fail('missing-argument', `expected a range (A, A[3], A[0..8], A[4..], A[..2M]); ${usage}`, this.endPos());
    if (t.kind !== 'word') this.fail('expected-range', `expected a mapping name or range, not ${quote(t.text)}; ${usage}`, t);
    this.next();
    const mapping = this.name(t);
    const open = this.peek();
    if (!open || open.text !== '[') return { mapping, single: false, span: mapping.span };
    this.next();
    let start: RangeIndex | undefined;
    let end: RangeIndex | undefined;
    let single = false;
    const close = () => this.punct(']', () => `expected "]" to close the range ${t.text}[...]`);
    const first = this.peek();
    if (first?.text === ']') this.fail('empty-range', `empty index ${t.text}[]; write ${t.text} for the whole mapping or ${t.text}[i] for page i`, { start: open.start, end: first.end });
    if (first?.text === '..') {
      this.next();
      if (this.peek()?.text === ']') this.fail('empty-range', `${t.text}[..] has no bounds; write ${t.text} for the whole mapping`, { start: open.start, end: this.peek()!.end });
      end = this.index();
    } else {
      start = this.index();
      if (this.peek()?.text === '..') {
        this.next();
        if (this.peek()?.text !== ']') end = this.index();
      } else {
        single = true;
      }
    }
    close();
    const r: RangeRef = { mapping, single, span: this.span(t.start, this.lastEnd()) };
    if (start) r.start = start;
    if (end) r.end = end;
    return r;
  }

  private index(): RangeIndex {
    const t = this.peek();
    if (!t || (t.kind !== 'number' && t.kind !== 'size')) {
      this.fail('expected-index', `expected a page number (3) or a page-aligned byte offset (12K) in the range${t ? `, not ${quote(t.text)}` : ''}`, t ?? this.endPos());
    }
    this.next();
    return { kind: t.kind === 'size' ? 'bytes' : 'page', value: t.value!, span: this.span(t.start, t.end) };
  }
}
