// Formatters shared by every view: sizes, addresses, counts and page ranges.

export const PAGE_SIZE = 4096;

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

/** Binary units, at most one decimal: 4096 -> "4 KiB", 1610612736 -> "1.5 GiB". */
export function formatBytes(bytes: number): string {
  let v = bytes;
  let u = 0;
  while (Math.abs(v) >= 1024 && u < UNITS.length - 1) {
    v /= 1024;
    u++;
  }
  const text = Number.isInteger(v) ? String(v) : v.toFixed(1).replace(/\.0$/, '');
  return `${text} ${UNITS[u]}`;
}

/** A virtual address as the kernel prints it in /proc/pid/maps: lower-case hex, 12 digits. */
export function formatAddress(address: number): string {
  return '0x' + Math.floor(address).toString(16).padStart(12, '0');
}

/** Thousands separators (always `,`, independent of locale, so tests and reports agree). */
export function formatCount(n: number): string {
  const [int, frac] = String(n).split('.');
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return frac === undefined ? grouped : `${grouped}.${frac}`;
}

/** Sorted page indexes as compact ranges: [0,1,2,5,7,8] -> "0-2, 5, 7-8". */
export function formatRanges(pages: readonly number[]): string {
  const sorted = [...pages].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j] + 1) j++;
    parts.push(i === j ? String(sorted[i]) : `${sorted[i]}-${sorted[j]}`);
    i = j + 1;
  }
  return parts.join(', ');
}

/** Exact bytes in the largest unit that divides them: 2101248 -> "2,052 KiB" (where "2 MiB" would hide a page). */
export function formatBytesExact(bytes: number): string {
  let v = bytes;
  let u = 0;
  while (v !== 0 && v % 1024 === 0 && u < UNITS.length - 1) {
    v /= 1024;
    u++;
  }
  return `${formatCount(v)} ${UNITS[u]}`;
}

/** A counter value for display, exactly: memory counters in bytes, everything else as a count. */
export function formatCounter(name: string, value: number): string {
  return name.startsWith('mem.') || name.endsWith('.used') ? formatBytesExact(value) : formatCount(value);
}

/** Runs of equal values: [1,1,0,0,0,1] -> [{value:1,start:0,length:2}, ...] (bit strips). */
export function runs<T>(values: readonly T[]): { value: T; start: number; length: number }[] {
  const out: { value: T; start: number; length: number }[] = [];
  for (let i = 0; i < values.length; ) {
    let j = i + 1;
    while (j < values.length && values[j] === values[i]) j++;
    out.push({ value: values[i], start: i, length: j - i });
    i = j;
  }
  return out;
}
