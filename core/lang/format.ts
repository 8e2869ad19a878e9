// Canonical form of a scenario: the header directives in the spec's order, a
// blank line, the steps, a blank line, the expectations. Comments stay with
// the statement they precede or follow; a blank line the author left between
// two statements of the same section is kept (one at most). Parsing the
// output gives the same AST, spans aside.

import type { Comment, Expectation, RangeIndex, RangeRef, Scenario, Step, Value } from './ast';
import { formatSize } from './text';

interface Item {
  /** Line of the statement in the source, for comment attachment and blank lines. */
  line: number;
  text: string;
  leading: Comment[];
  trailing?: Comment;
}

export function formatScenario(scenario: Scenario): string {
  const header = headerItems(scenario);
  const steps = scenario.steps.map((s) => item(s.span.line, formatStep(s)));
  const expects = scenario.expectations.map((e) => item(e.span.line, formatExpectation(e)));
  const all = [...header, ...steps, ...expects];
  const firstLine = all.reduce((m, i) => Math.min(m, i.line), Infinity);
  // Comments above the first statement open the file whatever the header's order becomes.
  const head = scenario.comments.filter((c) => !c.trailing && c.line < firstLine);
  const tail = attachComments(all, scenario.comments.filter((c) => !head.includes(c)));

  const out: string[] = [];
  let separate = false; // a blank line before the next section
  if (head.length) {
    const last = head[head.length - 1].line;
    out.push(...renderSection([{ line: last + 1, text: '', leading: head }]));
    out.pop(); // the placeholder statement
    separate = firstLine - last > 1;
  }
  for (const section of [header, steps, expects]) {
    if (section.length === 0) continue;
    if (separate) out.push('');
    out.push(...renderSection(section));
    separate = true;
  }
  if (tail.length) {
    if (out.length) out.push('');
    out.push(...tail.map((c) => c.text));
  }
  return out.length ? `${out.join('\n')}\n` : '';
}

function item(line: number, text: string): Item {
  return { line, text, leading: [] };
}

function headerItems(s: Scenario): Item[] {
  const h = s.header;
  const items: Item[] = [];
  if (h.title) items.push(item(h.title.span.line, `scenario ${formatString(h.title.value)}`));
  if (h.policies) items.push(item(h.policies.span.line, `policies ${h.policies.ids.map((n) => n.text).join(' ')}`));
  if (h.thp) items.push(item(h.thp.span.line, `thp ${h.thp.settings.map((t) => `${formatSize(t.size)}=${t.mode}`).join(' ')}`));
  if (h.memory) items.push(item(h.memory.span.line, `memory ${formatSize(h.memory.bytes)}`));
  if (h.swap) items.push(item(h.swap.span.line, `swap ${formatSize(h.swap.bytes)}`));
  return items;
}

/** Gives every comment to its statement; returns the comments after the last statement. */
function attachComments(items: Item[], comments: Comment[]): Comment[] {
  const byLine = new Map<number, Item>();
  for (const it of items) byLine.set(it.line, it);
  const lines = [...byLine.keys()].sort((a, b) => a - b);
  const tail: Comment[] = [];
  let k = 0;
  for (const c of [...comments].sort((a, b) => a.line - b.line)) {
    const own = c.trailing ? byLine.get(c.line) : undefined;
    if (own) {
      own.trailing = c;
      continue;
    }
    while (k < lines.length && lines[k] <= c.line) k++;
    if (k < lines.length) byLine.get(lines[k])!.leading.push(c);
    else tail.push(c);
  }
  return tail;
}

function renderSection(items: Item[]): string[] {
  const out: string[] = [];
  let prevLine = -1;
  // Trailing comments are aligned within a run of statements not broken by blank lines or comment lines.
  let run: { index: number; text: string; comment: string }[] = [];
  const flush = () => {
    const width = run.reduce((m, r) => Math.max(m, r.text.length), 0);
    for (const r of run) out[r.index] = `${r.text.padEnd(width)}  ${r.comment}`;
    run = [];
  };
  for (const it of items) {
    const lines = [...it.leading.map((c) => ({ line: c.line, text: c.text, comment: true })), { line: it.line, text: it.text, comment: false }];
    for (const l of lines) {
      const blank = prevLine >= 0 && l.line - prevLine > 1;
      if (blank || l.comment) flush();
      if (blank) out.push('');
      out.push(l.text);
      prevLine = Math.max(prevLine, l.line);
    }
    if (it.trailing) run.push({ index: out.length - 1, text: it.text, comment: it.trailing.text });
  }
  flush();
  return out;
}

export function formatString(s: string): string {
  return `"${s.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

export function formatRange(r: RangeRef): string {
  const idx = (i: RangeIndex | undefined) => (i === undefined ? '' : i.kind === 'bytes' ? sizeLiteral(i.value) : String(i.value));
  if (r.single) return `${r.mapping.text}[${idx(r.start)}]`;
  if (!r.start && !r.end) return r.mapping.text;
  return `${r.mapping.text}[${idx(r.start)}..${idx(r.end)}]`;
}

/** A size that parses back as a size (0 is written `0K`). */
function sizeLiteral(bytes: number): string {
  return bytes === 0 ? '0K' : formatSize(bytes);
}

export function formatStep(s: Step): string {
  const o = s.operation;
  const head = `${s.actor.text}: ${o.op}`;
  switch (o.op) {
    case 'mmap':
      return `${head} ${o.name.text} ${formatSize(o.size)}${o.prot === 'rw' ? '' : ` ${o.prot}`}`;
    case 'munmap':
    case 'read':
    case 'split':
      return `${head} ${formatRange(o.range)}`;
    case 'mprotect':
      return `${head} ${formatRange(o.range)} ${o.prot}`;
    case 'madvise':
      return `${head} ${formatRange(o.range)} ${o.advice}`;
    case 'mremap':
      return `${head} ${formatRange(o.range)} ${o.newName.text}`;
    case 'write':
      return `${head} ${formatRange(o.range)}${o.byte === undefined ? '' : ` ${o.byte}`}`;
    case 'fork':
      return `${head} ${o.child.text}`;
    case 'exit':
    case 'clear-soft-dirty':
      return head;
    case 'pin':
      return `${head} ${formatRange(o.range)} ${o.mode} as ${o.name.text}`;
    case 'vmsplice':
      return `${head} ${formatRange(o.range)} as ${o.name.text}`;
    case 'unpin':
    case 'close':
      return `${head} ${o.name.text}`;
  }
}

export function formatValue(v: Value): string {
  switch (v.kind) {
    case 'number':
      return v.size ? sizeLiteral(v.value) : String(v.value);
    case 'bool':
      return String(v.value);
    case 'counter':
      return v.name;
    case 'process-counter': {
      const { process: proc } = v;
      return `${proc.text}.${v.name}`;
    }
    case 'page': {
      const { process: proc } = v;
      return `${proc.text} ${formatRange(v.range)}.${v.property}`;
    }
  }
}

/** The condition alone, as `Expectation.text` holds it in canonical form. */
export function formatCondition(e: Expectation): string {
  const { lhs, op, rhs } = e.condition;
  return `${formatValue(lhs)} ${op} ${formatValue(rhs)}`;
}

export function formatExpectation(e: Expectation): string {
  const forClause = e.policies ? ` for ${e.policies.map((p) => p.text).join(' ')}` : '';
  return `expect ${formatCondition(e)}${forClause}`;
}
