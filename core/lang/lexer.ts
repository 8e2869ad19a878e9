// Line lexer of the scenario language. Every statement is one line, so the
// parser lexes one line at a time: a comment is split off, the rest becomes
// tokens with 0-based [start, end) columns (UTF-16 units, as Monaco counts).
// Lexing never fails: a bad character or literal becomes an `error` token
// that carries the message, and lexing goes on after it.

export type TokenKind = 'word' | 'number' | 'size' | 'string' | 'punct' | 'error';

export interface Token {
  kind: TokenKind;
  /** Source text of the token. */
  text: string;
  start: number;
  end: number;
  /** number: its value; size: bytes. */
  value?: number;
  /** string: the unescaped contents. */
  str?: string;
  /** error: what is wrong; size-like errors keep a suggestion in the message. */
  message?: string;
  code?: string;
}

export interface LexedLine {
  tokens: Token[];
  /** `#...` comment at the end of the line, with its 0-based start column. */
  comment?: { start: number; text: string };
}

const UNIT_BYTES: Record<string, number> = { K: 1024, M: 1024 ** 2, G: 1024 ** 3 };

const isDigit = (c: number) => c >= 48 && c <= 57;
const isHex = (c: number) => isDigit(c) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
const isIdentStart = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
const isIdent = (c: number) => isIdentStart(c) || isDigit(c);
const isSpace = (c: number) => c === 32 || c === 9 || c === 0xfeff;

const TWO_CHAR_PUNCT = new Set(['..', '==', '!=', '<=', '>=']);
const ONE_CHAR_PUNCT = new Set([':', '[', ']', '.', '=', '<', '>', '-', ',']);

export function lexLine(line: string): LexedLine {
  const tokens: Token[] = [];
  let i = 0;
  const n = line.length;
  while (i < n) {
    const c = line.charCodeAt(i);
    if (isSpace(c)) {
      i++;
      continue;
    }
    if (c === 35 /* # */) return { tokens, comment: { start: i, text: line.slice(i).trimEnd() } };
    const start = i;
    if (isIdentStart(c)) {
      while (i < n && isIdent(line.charCodeAt(i))) i++;
      tokens.push({ kind: 'word', text: line.slice(start, i), start, end: i });
    } else if (isDigit(c)) {
      i = lexNumber(line, i, tokens);
    } else if (c === 34 /* " */) {
      i = lexString(line, i, tokens);
    } else {
      const two = line.slice(i, i + 2);
      if (TWO_CHAR_PUNCT.has(two)) {
        tokens.push({ kind: 'punct', text: two, start, end: i + 2 });
        i += 2;
      } else if (ONE_CHAR_PUNCT.has(line[i])) {
        tokens.push({ kind: 'punct', text: line[i], start, end: i + 1 });
        i++;
      } else {
        // One error token for a run of unexpected characters, not one per character.
        const cp = line.codePointAt(i) ?? c;
        const shown = cp < 32 || cp === 127 ? `U+${cp.toString(16).toUpperCase().padStart(4, '0')}` : `"${String.fromCodePoint(cp)}"`;
        i += cp > 0xffff ? 2 : 1;
        tokens.push({
          kind: 'error',
          text: line.slice(start, i),
          start,
          end: i,
          code: 'unexpected-character',
          message: `unexpected character ${shown}; names use A-Z, a-z, 0-9 and _, comments start with #`,
        });
      }
    }
  }
  return { tokens };
}

function lexNumber(line: string, start: number, out: Token[]): number {
  let i = start;
  const n = line.length;
  let value: number;
  let hex = false;
  if (line[i] === '0' && (line[i + 1] === 'x' || line[i + 1] === 'X')) {
    hex = true;
    i += 2;
    const digits = i;
    while (i < n && isHex(line.charCodeAt(i))) i++;
    value = i > digits ? parseInt(line.slice(digits, i), 16) : NaN;
  } else {
    while (i < n && isDigit(line.charCodeAt(i))) i++;
    value = parseInt(line.slice(start, i), 10);
  }
  // A number glued to letters: a size unit, or a typo like `4k` / `12abc`.
  let unitEnd = i;
  while (unitEnd < n && isIdent(line.charCodeAt(unitEnd))) unitEnd++;
  const suffix = line.slice(i, unitEnd);
  const text = line.slice(start, unitEnd);
  const fail = (code: string, message: string) => {
    out.push({ kind: 'error', text, start, end: unitEnd, code, message });
    return unitEnd;
  };
  if (Number.isNaN(value)) return fail('bad-number', `bad number "${text}"; a hexadecimal number needs digits after 0x, e.g. 0xff`);
  if (suffix === '') {
    if (!Number.isSafeInteger(value)) return fail('number-too-large', `number ${text.length > 24 ? text.slice(0, 24) + '…' : text} is too large; the largest is ${Number.MAX_SAFE_INTEGER}`);
    out.push({ kind: 'number', text, start, end: i, value });
    return i;
  }
  const unit = suffix[0];
  const rest = suffix.slice(1);
  if (!hex && unit in UNIT_BYTES && (rest === '' || rest === 'B')) {
    const bytes = value * UNIT_BYTES[unit];
    if (!Number.isSafeInteger(bytes)) return fail('number-too-large', `size ${text} is too large`);
    out.push({ kind: 'size', text, start, end: unitEnd, value: bytes });
    return unitEnd;
  }
  const upper = unit.toUpperCase();
  if (!hex && upper in UNIT_BYTES) {
    return fail('bad-size', `bad size "${text}"; size units are K, M or G, optionally followed by B: write ${line.slice(start, i)}${upper}`);
  }
  return fail('bad-number', `bad number "${text}"; expected a number (512, 0xff) or a size (4K, 2M, 1G)`);
}

function lexString(line: string, start: number, out: Token[]): number {
  let i = start + 1;
  const n = line.length;
  let str = '';
  let badEscape: number | undefined;
  while (i < n) {
    const ch = line[i];
    if (ch === '"') {
      i++;
      if (badEscape !== undefined) {
        out.push({
          kind: 'error',
          text: line.slice(start, i),
          start: badEscape,
          end: badEscape + 2,
          code: 'bad-escape',
          message: `unknown escape "${line.slice(badEscape, badEscape + 2)}" in a string; only \\" and \\\\ are escapes`,
        });
      } else {
        out.push({ kind: 'string', text: line.slice(start, i), start, end: i, str });
      }
      return i;
    }
    if (ch === '\\') {
      const next = line[i + 1];
      if (next === '"' || next === '\\') {
        str += next;
        i += 2;
        continue;
      }
      if (badEscape === undefined) badEscape = i;
      i += next === undefined ? 1 : 2;
      continue;
    }
    str += ch;
    i++;
  }
  out.push({
    kind: 'error',
    text: line.slice(start),
    start,
    end: n,
    code: 'unterminated-string',
    message: 'unterminated string; close it with " on the same line',
  });
  return n;
}
