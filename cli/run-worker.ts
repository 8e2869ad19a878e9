// Worker thread of the command line's pool: runs one file per message.
import { parentPort } from 'node:worker_threads';
import { runFile } from './job';
import type { WorkerRequest, WorkerResponse } from './pool';

parentPort?.on('message', (m: WorkerRequest) => {
  let report;
  try {
    report = runFile(m.file, m.req);
  } catch (e) {
    report = { file: m.file, error: `internal error: ${e instanceof Error ? e.message : String(e)}`, diagnostics: [], runs: [] };
  }
  parentPort!.postMessage({ id: m.id, report } satisfies WorkerResponse);
});
