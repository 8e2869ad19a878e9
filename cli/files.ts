// Reads a scenario file for the command line, turning every way it can be
// unusable (missing, a directory, unreadable, huge, binary, not UTF-8) into
// one sentence instead of an exception.
import { readFileSync, statSync } from 'node:fs';
import { MAX_SOURCE_CHARS } from '../core/lang/limits';
import { formatBytes } from '../core/lang/text';

export type ReadResult = { text: string } | { error: string };

const REASONS: Record<string, string> = {
  ENOENT: 'no such file',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EISDIR: 'is a directory, not a scenario file',
  ENOTDIR: 'a part of the path is not a directory',
  ELOOP: 'too many symbolic links',
  ENAMETOOLONG: 'the path is too long',
};

export function describeFsError(e: unknown): string {
  const code = (e as { code?: string })?.code;
  return (code && REASONS[code]) ?? (e instanceof Error ? e.message : String(e));
}

export function readScenarioFile(path: string): ReadResult {
  try {
    const st = statSync(path);
    if (st.isDirectory()) return { error: 'is a directory, not a scenario file' };
    if (!st.isFile()) return { error: 'is not a regular file' };
    if (st.size > MAX_SOURCE_CHARS) return { error: `file is too large (${formatBytes(st.size)}); the limit is ${formatBytes(MAX_SOURCE_CHARS)}` };
    const bytes = readFileSync(path);
    const nul = bytes.indexOf(0);
    if (nul >= 0) return { error: `this looks like a binary file (a NUL byte at offset ${nul}); a scenario is UTF-8 text` };
    try {
      return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes) };
    } catch {
      return { error: `is not valid UTF-8 text (first bad byte at offset ${firstInvalidUtf8(bytes)}); save it as UTF-8` };
    }
  } catch (e) {
    return { error: `cannot read: ${describeFsError(e)}` };
  }
}

/** Offset of the first byte that breaks UTF-8: the longest prefix that still decodes (a split sequence at its end is fine). */
function firstInvalidUtf8(bytes: Uint8Array): number {
  let lo = 0;
  let hi = bytes.length;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, mid), { stream: true });
      lo = mid;
    } catch {
      hi = mid;
    }
  }
  // The prefix may end inside the bad sequence (a lead byte still waiting for its continuation bytes): point at its start.
  let k = lo;
  while (k > 0 && lo - k < 3 && (bytes[k - 1] & 0xc0) === 0x80) k--;
  return k > 0 && bytes[k - 1] >= 0xc0 ? k - 1 : lo;
}
