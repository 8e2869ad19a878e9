// esbuild as the scripts use it: the repository's TypeScript bundled into one
// ESM file for plain Node.
import { build } from 'esbuild';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Bundles for Node 20; `options` names the entry points and where the output goes.
 * `minifySyntax` makes esbuild inline numeric constants (identifiers stay
 * readable): core/mm/trace-layout.ts says why the engine's speed depends on it.
 */
export function bundleForNode(options) {
  return build({ bundle: true, platform: 'node', format: 'esm', target: 'node20', minifySyntax: true, logLevel: 'warning', ...options });
}

/** Bundles one TypeScript module (a path below the repository) into a temporary file and imports it. */
export async function importBundled(entry) {
  const dir = mkdtempSync(join(tmpdir(), 'foliolab-bundle-'));
  try {
    const outfile = join(dir, 'bundle.mjs');
    await bundleForNode({ entryPoints: [join(root, entry)], outfile });
    return await import(pathToFileURL(outfile).href);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
