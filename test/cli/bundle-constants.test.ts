// The Node bundles (CLI, bench) must carry the engine's numeric constants as
// literals. esbuild turns top-level `const` into `var` and inlines only the
// constants that open a module; a constant left behind is a mutable module
// variable that V8 reloads and type-checks on every use in the fault path
// (core/mm/trace-layout.ts).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CLI_BUNDLE, ensureCliBundle } from '../helpers/cli-bundle';

const root = join(__dirname, '../..');

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? tsFiles(p) : p.endsWith('.ts') ? [p] : [];
  });
}

/** Names of the engine's top-level constants whose value is a number expression. */
function numericConstants(): string[] {
  const names: string[] = [];
  for (const file of tsFiles(join(root, 'core/mm'))) {
    const re = /^(?:export )?const ([A-Z][A-Z0-9_]*) = [-+*<>()\s\dA-Z_x]+;/gm;
    for (const m of readFileSync(file, 'utf8').matchAll(re)) names.push(m[1]);
  }
  return names;
}

describe('the command-line bundle', () => {
  let bundle = '';
  beforeAll(() => {
    ensureCliBundle();
    bundle = readFileSync(CLI_BUNDLE, 'utf8');
  });

  it('finds the constants it checks', () => {
    const names = numericConstants();
    // A regression of the pattern (matching nothing) would pass the test below vacuously.
    for (const n of ['PTE_PRESENT', 'FAULT_WRITE', 'B_STEP', 'E_REF', 'D_COPY', 'RMAP_SEQ_STEP', 'MMAP_BASE_VPN']) expect(names).toContain(n);
  });

  it('declares none of the engine numeric constants: esbuild inlined them all', () => {
    // esbuild may suffix a name it renames (TWO32 -> TWO322), hence the optional digits.
    const left = numericConstants().filter((n) => new RegExp(`(?:^var |, )${n}\\d* = `, 'm').test(bundle));
    expect(left).toEqual([]);
  });
});
