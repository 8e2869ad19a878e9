// The CSV report: one rectangular RFC 4180 table (CRLF line ends, a header
// row, the same columns on every row) so any CSV parser or spreadsheet reads
// it. The `table` column says what a row is:
//   counter  a counter of one policy: `process` empty = the total, else that process
//   fault    one fault's decision (every fault of every policy, in trace order)
// Columns that do not apply to a row are empty.

import type { RunResult } from '../mm/api';
import { forEachEvent } from './decisions';
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

/** RFC 4180 quoting of a string, worked out once per distinct string (a million rows repeat a few). */
function quoter(): (v: string) => string {
  const quoted = new Map<string, string>();
  return (v) => {
    let q = quoted.get(v);
    if (q === undefined) quoted.set(v, (q = csvField(v)));
    return q;
  };
}

// Each line below writes the columns in CSV_COLUMNS order, empty where a column does not apply.

function counterLines(run: RunResult, out: string[], q: (v: string) => string): void {
  const policy = q(run.policy);
  for (const [counter, value] of Object.entries(run.counters)) out.push(`counter,${policy},,${q(counter)},${value},,,,,,,,,,,\r\n`);
  for (const [process, counters] of Object.entries(run.processes)) {
    for (const [counter, value] of Object.entries(counters)) out.push(`counter,${policy},${q(process)},${q(counter)},${value},,,,,,,,,,,\r\n`);
  }
}

function faultLines(run: RunResult, out: string[], q: (v: string) => string): void {
  const policy = q(run.policy);
  // join() builds one flat string; a template would leave a tree of a dozen
  // pieces per line, and a million such trees keep the garbage collector busy.
  const fields: (string | number)[] = ['fault', policy, '', '', '', 0, 0, '', '', 0, '', '', '', '', '', ''];
  forEachEvent(
    run,
    (d) => {
      fields[2] = q(d.process);
      fields[5] = d.index;
      fields[6] = d.step;
      fields[7] = run.steps[d.step]?.line ?? '';
      fields[8] = q(d.mapping);
      fields[9] = d.page;
      fields[10] = formatAddress(d.address);
      fields[11] = q(d.type);
      fields[12] = q(d.level);
      fields[13] = q(d.decision);
      fields[14] = q(d.reason);
      fields[15] = `${q(d.rule)}\r\n`;
      out.push(fields.join(','));
    },
    () => undefined,
  );
}

/** The CSV text in pieces, one per row (see renderReportParts for why pieces). */
export function renderCsv(input: ReportInput): string[] {
  const q = quoter();
  const out = [`${CSV_COLUMNS.join(',')}\r\n`];
  for (const run of input.runs) counterLines(run, out, q);
  for (const run of input.runs) faultLines(run, out, q);
  return out;
}
