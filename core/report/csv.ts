// The CSV report: one rectangular RFC 4180 table (CRLF line ends, a header
// row, the same columns on every row) so any CSV parser or spreadsheet reads
// it. The `table` column says what a row is:
//   counter  a counter of one policy: `process` empty = the total, else that process
//   fault    one fault's decision (every fault of every policy, in trace order)
// Columns that do not apply to a row are empty.

import type { RunResult } from '../mm/api';
import { decodeRun } from './decisions';
import { csvField } from './escape';
import { formatAddress } from './format';
import type { ReportInput } from './input';

export const CSV_COLUMNS = [
  'table',
  'policy',
  'process',
  'counter',
  'value',
  'index',
  'step',
  'line',
  'mapping',
  'page',
  'address',
  'fault_type',
  'level',
  'decision',
  'reason',
  'rule',
] as const;

type Row = Partial<Record<(typeof CSV_COLUMNS)[number], string | number>>;

function line(row: Row): string {
  return CSV_COLUMNS.map((c) => csvField(row[c])).join(',');
}

function counterLines(run: RunResult, out: string[]): void {
  for (const [counter, value] of Object.entries(run.counters)) out.push(line({ table: 'counter', policy: run.policy, counter, value }));
  for (const [process, counters] of Object.entries(run.processes)) {
    for (const [counter, value] of Object.entries(counters)) out.push(line({ table: 'counter', policy: run.policy, process, counter, value }));
  }
}

function faultLines(run: RunResult, out: string[]): void {
  for (const d of decodeRun(run).decisions) {
    out.push(
      line({
        table: 'fault',
        policy: run.policy,
        process: d.process,
        index: d.index,
        step: d.step,
        line: run.steps[d.step]?.line,
        mapping: d.mapping,
        page: d.page,
        address: formatAddress(d.address),
        fault_type: d.type,
        level: d.level,
        decision: d.decision,
        reason: d.reason,
        rule: d.rule,
      }),
    );
  }
}

export function renderCsv(input: ReportInput): string {
  const out = [CSV_COLUMNS.join(',')];
  for (const run of input.runs) counterLines(run, out);
  for (const run of input.runs) faultLines(run, out);
  return `${out.join('\r\n')}\r\n`;
}
