// Escaping for every place user-written text (title, file name, source,
// messages, names) lands in a report. Reports are opened from disk, so any
// markup that survived here would run with the file's privileges.

const HTML_ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Text or attribute value for HTML and SVG. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ENTITIES[c]);
}

/**
 * Markdown inline text (also inside a GitHub table cell): backslash-escapes the
 * characters that start markup, raw HTML or entities, and the cell separator.
 * Newlines become spaces so a cell stays on its row.
 */
export function escapeMarkdown(text: string): string {
  return text.replace(/\r\n?|\n/g, ' ').replace(/[\\`*_[\]<>|&#~]/g, (c) => `\\${c}`);
}

/** The longest run of `ch` in `text`. */
function longestRun(text: string, ch: string): number {
  let best = 0;
  let run = 0;
  for (const c of text) {
    run = c === ch ? run + 1 : 0;
    if (run > best) best = run;
  }
  return best;
}

/** A fence longer than any backtick run in `text` (at least three). */
export function markdownFence(text: string): string {
  return '`'.repeat(Math.max(3, longestRun(text, '`') + 1));
}

/**
 * A Markdown code span that may sit in a table cell. Text with a pipe or a backslash is
 * written as escaped plain text instead: table parsers disagree on how a
 * backslash before a pipe splits cells, and a code span cannot escape either.
 */
export function markdownCode(text: string): string {
  if (/[|\\\r\n]/.test(text)) return escapeMarkdown(text);
  const ticks = '`'.repeat(longestRun(text, '`') + 1);
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  return `${ticks}${pad}${text}${pad}${ticks}`;
}

/** One RFC 4180 field: quoted when it holds a comma, quote, CR or LF. */
export function csvField(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return '';
  const s = String(value);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
