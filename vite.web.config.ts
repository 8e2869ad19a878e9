import { resolve } from 'node:path';
import { defineConfig } from 'vite';
import vue from '@vitejs/plugin-vue';

// Browser mode: the same renderer as the Electron window, with the engine in a
// Web Worker (renderer/src/platform/engine.worker.ts). `npm run build:web`
// writes out/web, which `npm run web` serves on 127.0.0.1.
export default defineConfig({
  root: resolve(import.meta.dirname, 'renderer'),
  base: './',
  plugins: [vue()],
  worker: { format: 'es' },
  build: {
    outDir: resolve(import.meta.dirname, 'out/web'),
    emptyOutDir: true,
    chunkSizeWarningLimit: 8000,
  },
});
