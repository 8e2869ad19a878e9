// Crash-safe file replacement: write a temporary file in the same directory,
// fsync it, rename it over the target (atomic on one file system), fsync the
// directory. A crash at any point leaves the old file or the new one, never a
// mix; at worst a stray `.*.tmp` file stays behind.

import { open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';

export interface AtomicWriteHooks {
  /** Test hook: runs after the temporary file is durable, before the rename. */
  beforeRename?: (tempPath: string) => void | Promise<void>;
}

export async function atomicWriteFile(path: string, data: string | Uint8Array, hooks: AtomicWriteHooks = {}): Promise<void> {
  const dir = dirname(path);
  const temp = join(dir, `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  const file = await open(temp, 'wx', 0o644);
  try {
    await file.writeFile(data);
    await file.sync();
  } catch (e) {
    await file.close();
    await unlink(temp).catch(() => {});
    throw e;
  }
  await file.close();
  try {
    await hooks.beforeRename?.(temp);
    await rename(temp, path);
  } catch (e) {
    await unlink(temp).catch(() => {});
    throw e;
  }
  // Make the rename itself durable; some file systems refuse fsync on a directory.
  const d = await open(dir, 'r').catch(() => null);
  await d?.sync().catch(() => {});
  await d?.close();
}
