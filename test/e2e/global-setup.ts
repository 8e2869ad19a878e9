// Builds the browser-mode app once (vite.web.config.ts -> out/web) and serves
// it on 127.0.0.1 with the same server `npm run web` uses. Tests read the URL
// with inject('baseUrl').
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { TestProject } from 'vitest/node';
import { build } from 'vite';
import { startStaticServer } from '../../scripts/static-server.mjs';

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
  }
}

const root = resolve(__dirname, '../..');

export default async function setup(project: TestProject) {
  const outDir = resolve(root, 'out/web');
  // FOLIOLAB_E2E_PREBUILT=1 reuses an existing out/web (quicker local iterations).
  if (!(process.env.FOLIOLAB_E2E_PREBUILT && existsSync(resolve(outDir, 'index.html')))) {
    await build({ configFile: resolve(root, 'vite.web.config.ts'), logLevel: 'warn' });
  }
  const server = await startStaticServer({ root: outDir });
  project.provide('baseUrl', server.url);
  return () => server.close();
}
