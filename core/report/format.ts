// Number formatting shared by the human-readable formats (HTML, Markdown).
// JSON and CSV keep raw numbers.

/** Counters measured in bytes (spec: `mem.used`, `P0.rss`, ...). */
const BYTE_COUNTERS = new Set(['mem.used', 'mem.peak', 'rss', 'pss', 'uss', 'anon_huge', 'swap']);

export function isByteCounter(name: string): boolean {
  return BYTE_COUNTERS.has(name);
}

/** 1234567 -> `1,234,567` (fixed, locale-independent so reports are reproducible). */
export function formatInt(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  const sign = n < 0 ? '-' : '';
  const [int, frac] = Math.abs(n).toString().split('.');
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return sign + grouped + (frac ? `.${frac.slice(0, 2)}` : '');
}

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

/**
 * Exact binary size in the largest unit that divides it: `2 MiB`,
 * `2,052 KiB` (2 MiB and one page: rounding would hide the page that
 * differs between two policies).
 */
export function formatBytes(n: number): string {
  let u = 0;
  while (u < UNITS.length - 1 && n !== 0 && n % 1024 ** (u + 1) === 0) u++;
  return `${formatInt(n / 1024 ** u)} ${UNITS[u]}`;
}

/** A counter value as shown to people: bytes also in binary units. */
export function formatCounter(name: string, value: number): string {
  return isByteCounter(name) && value !== 0 ? `${formatInt(value)} (${formatBytes(value)})` : formatInt(value);
}

export function formatAddress(address: number | undefined): string {
  return address === undefined ? '' : `0x${address.toString(16)}`;
}

/** `Date | ISO string` -> ISO 8601 UTC, the one date form every format uses. */
export function isoDate(date: Date | string): string {
  if (typeof date === 'string') return date;
  return Number.isNaN(date.getTime()) ? String(date) : date.toISOString();
}

/** `1 fault site`, `2 fault sites`, with the number grouped. */
export function count(n: number, singular: string, plural = `${singular}s`): string {
  return `${formatInt(n)} ${n === 1 ? singular : plural}`;
}
