// What every HTML report must satisfy, whatever its input: self-contained, no
// script, no URL, no event handler, the CSP in place.
import { expect } from 'vitest';
import { REPORT_CSP } from '../../core/report/index';

/**
 * What every HTML report must satisfy, whatever its input. Text may mention a
 * URL (a scenario comment can), markup never: escaped text has no `<`, so
 * every `<x ...>` in the file is real markup.
 */
export function checkSelfContainedHtml(html: string): void {
  expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
  expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="${REPORT_CSP}">`);
  expect(html).not.toMatch(/<script/i);
  const tags = [...html.matchAll(/<[a-z][^>]*>/gi)].map((m) => m[0]);
  expect(tags.filter((t) => /https?:|\/\//i.test(t))).toEqual([]);
  // No event handler attribute (attribute values cannot hold a quote: it is escaped).
  expect(tags.filter((t) => /\son[a-z]+\s*=/i.test(t.replace(/"[^"]*"/g, '""')))).toEqual([]);
  const styles = [...html.matchAll(/<style>([\s\S]*?)<\/style>/g)].map((m) => m[1]).join('');
  expect(styles).not.toMatch(/url\(|@import|https?:/i);
  expect(html).not.toMatch(/<(iframe|object|embed|img|link(?! rel="icon" href="data:,")|base|form)\b/i);
  const links = [...html.matchAll(/\b(?:href|src)="([^"]*)"/g)].map((m) => m[1]);
  expect(links.filter((l) => !/^(#L?[\w-]+|data:.*)$/.test(l))).toEqual([]);
}
