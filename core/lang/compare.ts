// Equality of two scenarios "modulo spans": what the formatter must keep.
// Positions (spans, comment lines) and the as-written text of expectations
// (spacing, hex versus decimal) may change; everything else may not.
import type { Scenario } from './ast';

function strip(value: unknown): unknown {
  if (Array.isArray(value)) return value.map((v) => strip(v));
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value).sort(([x], [y]) => (x < y ? -1 : 1))) {
    if (k === 'span' || v === undefined) continue;
    out[k] = strip(v);
  }
  if ('condition' in out) delete out.text;
  if ('trailing' in out) delete out.line;
  // Comments follow their statement, and the header's order is canonical, so only their set must match.
  if (Array.isArray(out.comments)) out.comments = [...out.comments].sort((x, y) => (JSON.stringify(x) < JSON.stringify(y) ? -1 : 1));
  return out;
}

/** The scenario without positions, for comparisons and snapshots. */
export function withoutSpans(s: Scenario): unknown {
  return strip(s);
}

export function sameScenario(a: Scenario, b: Scenario): boolean {
  return JSON.stringify(strip(a)) === JSON.stringify(strip(b));
}
