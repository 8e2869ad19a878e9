// Atomic save: a crash between write and rename keeps the old file; a process
// killed (SIGKILL) at random points while saving leaves the old or the new
// file, never a torn one.
import { fork } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';
import { atomicWriteFile } from '../../main/atomic';

const version = (i: number) => `version ${i}\n${String(i % 10).repeat(1024 * 1024)}\nend ${i}\n`;
/** The version number if `text` is exactly one complete version, else null. */
function complete(text: string): number | null {
  const m = /^version (\d+)\n/.exec(text);
  return m && text === version(Number(m[1])) ? Number(m[1]) : null;
}

describe('atomicWriteFile', () => {
  it('replaces the file; a failure before the rename leaves the old file and no temp file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'foliolab-atomic-'));
    const target = join(dir, 'a.mms');
    writeFileSync(target, 'old');
    await expect(
      atomicWriteFile(target, 'new', {
        beforeRename: (temp) => {
          expect(readFileSync(temp, 'utf8')).toBe('new'); // the new content is complete on disk
          throw new Error('simulated crash between write and rename');
        },
      }),
    ).rejects.toThrow('simulated crash');
    expect(readFileSync(target, 'utf8')).toBe('old');
    expect(readdirSync(dir)).toEqual(['a.mms']);
    await atomicWriteFile(target, 'new');
    expect(readFileSync(target, 'utf8')).toBe('new');
    expect(readdirSync(dir)).toEqual(['a.mms']);
  });

  it('creates a missing file and refuses a missing directory', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'foliolab-atomic-'));
    await atomicWriteFile(join(dir, 'n.txt'), new Uint8Array([104, 105]));
    expect(readFileSync(join(dir, 'n.txt'), 'utf8')).toBe('hi');
    await expect(atomicWriteFile(join(dir, 'no', 'n.txt'), 'x')).rejects.toThrow(/ENOENT/);
  });

  describe('killed mid-save', () => {
    let driver: string;
    beforeAll(async () => {
      const out = mkdtempSync(join(tmpdir(), 'foliolab-atomic-bundle-'));
      driver = join(out, 'driver.mjs');
      // The driver saves versions n, n+1, ... of a 1 MiB file as fast as it can.
      writeFileSync(
        join(out, 'entry.ts'),
        `import { atomicWriteFile } from ${JSON.stringify(resolve('main/atomic.ts'))};
         const version = ${version.toString()};
         const [target, from] = process.argv.slice(2);
         for (let i = Number(from); ; i++) { await atomicWriteFile(target, version(i)); process.send?.(i); }`,
      );
      await build({ entryPoints: [join(out, 'entry.ts')], outfile: driver, bundle: true, platform: 'node', format: 'esm', logLevel: 'silent' });
    });

    it('leaves the old or the new file after each of 20 SIGKILLs at random moments', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'foliolab-atomic-kill-'));
      const target = join(dir, 'scenario.mms');
      writeFileSync(target, version(0));
      let last = 0;
      const seen: number[] = [];
      for (let round = 0; round < 20; round++) {
        // versions jump by 1000 per round so a leftover is never mistaken for a new save
        const child = fork(driver, [target, String(last + 1000)], { stdio: 'ignore' });
        let saved = -1;
        const firstSave = new Promise((r) => child.once('message', r));
        child.on('message', (i) => (saved = i as number));
        // Kill at a random moment while it is saving continuously (after its first save).
        await firstSave;
        await new Promise((r) => setTimeout(r, Math.random() * 40));
        child.kill('SIGKILL');
        await new Promise((r) => child.once('exit', r));
        const v = complete(readFileSync(target, 'utf8'));
        expect(v, `round ${round}: torn file`).not.toBeNull();
        // the last save the child confirmed, or the one it was writing
        expect([saved, saved + 1]).toContain(v);
        seen.push(v!);
        last = v!;
      }
      expect(new Set(seen).size).toBe(20); // every round saved something before its kill
      expect(existsSync(target)).toBe(true);
    });
  });
});
