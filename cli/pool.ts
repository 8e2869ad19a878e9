// Runs `runFile` over many files on worker threads (one per core, at most one
// per file) and hands results back in input order as soon as each prefix is
// complete. Falls back to this thread when the worker bundle is missing.
import { availableParallelism } from 'node:os';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { runFile, type FileReport, type RunRequest } from './job';

export interface WorkerRequest {
  id: number;
  file: string;
  req: RunRequest;
}
export interface WorkerResponse {
  id: number;
  report: FileReport;
}

export async function runFiles(
  files: string[],
  req: RunRequest,
  onReport: (r: FileReport, index: number) => void,
  onProgress?: (done: number, total: number) => void,
): Promise<FileReport[]> {
  const results: (FileReport | undefined)[] = new Array(files.length);
  let printed = 0;
  let done = 0;
  const deliver = (i: number, r: FileReport) => {
    results[i] = r;
    done++;
    onProgress?.(done, files.length);
    while (printed < files.length && results[printed]) onReport(results[printed]!, printed++);
  };
  const workerUrl = new URL('./run-worker.mjs', import.meta.url);
  const workers = Math.min(availableParallelism(), files.length);
  if (files.length < 2 || workers < 2 || workerUrl.protocol !== 'file:' || !existsSync(fileURLToPath(workerUrl))) {
    files.forEach((f, i) => deliver(i, runFile(f, req)));
    return results as FileReport[];
  }
  let next = 0;
  await Promise.all(
    Array.from({ length: workers }, () =>
      new Promise<void>((resolve) => {
        const w = new Worker(workerUrl);
        let current = -1;
        const feed = () => {
          if (next >= files.length) {
            void w.terminate();
            return resolve();
          }
          current = next++;
          w.postMessage({ id: current, file: files[current], req } satisfies WorkerRequest);
        };
        w.on('message', (m: WorkerResponse) => {
          deliver(m.id, m.report);
          feed();
        });
        // A crashed worker fails only the file it was on; the rest go on in this thread.
        const crashed = (why: string) => {
          if (current >= 0 && !results[current]) deliver(current, { file: files[current], error: `internal error while running: ${why}`, diagnostics: [], runs: [] });
          while (next < files.length) {
            const i = next++;
            deliver(i, runFile(files[i], req));
          }
          resolve();
        };
        w.on('error', (e) => crashed(e.message));
        w.on('exit', (code) => {
          if (code !== 0 && next <= files.length && current >= 0 && !results[current]) crashed(`worker exited with code ${code}`);
        });
        feed();
      }),
    ),
  );
  return results as FileReport[];
}
