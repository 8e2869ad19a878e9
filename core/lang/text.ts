// Small text helpers shared by the parser, checker, formatter and messages:
// size printing, "did you mean" suggestions, lists of choices.

const KIB = 1024;
const UNITS: [string, number][] = [
  ['G', KIB ** 3],
  ['M', KIB ** 2],
  ['K', KIB],
];

/** Bytes in the language's own notation: the largest unit that divides exactly (`2M`), else plain bytes. */
export function formatSize(bytes: number): string {
  if (bytes === 0) return '0';
  for (const [unit, n] of UNITS) if (bytes % n === 0) return `${bytes / n}${unit}`;
  return String(bytes);
}

/** Human figure for messages: `12.0 MiB`. */
export function formatBytes(bytes: number): string {
  for (const [unit, n] of UNITS) if (bytes >= n) return `${(bytes / n).toFixed(1)} ${unit}iB`;
  return `${bytes} bytes`;
}

/** Edit distance counting a swap of two neighbours as one edit (optimal string alignment), bounded: `max + 1` once it exceeds `max`. */
export function editDistance(a: string, b: string, max = 8): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev2: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, prev2[j - 2] + 1);
      cur.push(v);
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    prev2 = prev;
    prev = cur;
  }
  return prev[b.length];
}

/** The closest candidate within a distance that grows with the word's length, if any. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  const lower = word.toLowerCase();
  // Names of one or two characters (P1, A) are too short for a guess to mean anything.
  const limit = word.length < 3 ? 0 : Math.max(1, Math.floor(word.length / 3));
  let best: string | undefined;
  let bestD = limit + 1;
  for (const c of candidates) {
    const cl = c.toLowerCase();
    const d = cl === lower ? 0.5 : limit === 0 ? 1 : editDistance(lower, cl, limit);
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  return best;
}

// A file full of the same mistake asks the same question thousands of times: remember the answers
// per candidate list (lists are constants or cached by the caller, so identity is a good key).
const suggestions = new WeakMap<readonly string[], Map<string, string>>();

/** ` (did you mean "x"?)` or the empty string. */
export function didYouMean(word: string, candidates: readonly string[]): string {
  let memo = suggestions.get(candidates);
  if (!memo) suggestions.set(candidates, (memo = new Map()));
  let answer = memo.get(word);
  if (answer === undefined) {
    const c = closest(word, candidates);
    answer = c !== undefined && c !== word ? ` (did you mean "${c}"?)` : '';
    if (memo.size > 1000) memo.clear();
    memo.set(word, answer);
  }
  return answer;
}

/** `a, b or c` */
export function oneOf(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}

/** Quote user text for a message, shortened so a huge token cannot flood the output. */
export function quote(text: string, max = 40): string {
  const short = text.length > max ? `${text.slice(0, max)}…` : text;
  return JSON.stringify(short);
}
