// `foliolab`: the headless command line (scenario-language.md "Command line").
//   foliolab run FILE... [--policy ID]... [--json]
//   foliolab check FILE...
//   foliolab fmt FILE... [--check]
// Exit status: 0 all good, 1 an expectation failed (or fmt --check found a
// file to reformat), 2 bad usage, a file that cannot be read or has errors.
// Nothing escapes as a stack trace: everything is caught at the top.
import { ALL_POLICIES, isPolicyId, type PolicyId } from '../core/lang/ast';
import { parseScenario } from '../core/lang/parser';
import { formatScenario } from '../core/lang/format';
import { sameScenario } from '../core/lang/compare';
import { didYouMean } from '../core/lang/text';
import { version } from '../package.json';
import { helpText, parseArgs, UsageError, type CommandSpec, type ParsedArgs } from './args';
import { describeFsError } from './files';
import { reportRequest, writeFileAtomic, writeRunReport } from './report';
import { analyzeFile, hasErrors, type FileReport, type RunRequest } from './job';
import { humanReport, jsonDocument, problemLines, summaryLine } from './output';
import { runFiles } from './pool';

const RUN: CommandSpec = {
  name: 'run',
  usage: 'foliolab run FILE... [--policy ID]... [--json]',
  summary: 'Runs scenarios under each policy and prints every expectation\'s result and the main counters.\nExit status: 0 every expectation held, 1 an expectation failed, 2 a file could not be read or has errors.',
  // Options of `run`, read in `run()` below. A report option sets `keepResults` in the run
  // request; each FileReport then carries `source` and the full `results` for cli/report.ts.
  options: [
    { name: '--policy', value: 'ID', repeat: true, help: `run only this policy (repeatable): ${ALL_POLICIES.join(', ')}` },
    { name: '--json', help: 'print one JSON document on standard output' },
    { name: '--report', value: 'FILE', help: 'also write a report of the run (one scenario): html, md, json or csv, from the extension; PDF comes from the app' },
    { name: '--report-format', value: 'FORMAT', help: 'the report format whatever the extension: html, md, json or csv' },
    { name: '--max-steps', value: 'N', help: 'stop each run after N steps (the run then fails)' },
    { name: '--max-page-ops', value: 'N', help: 'stop each run after N page operations (faults, zaps, copies)' },
    { name: '--time-budget', value: 'MS', help: 'stop each run after MS milliseconds of wall time' },
  ],
};
const CHECK: CommandSpec = {
  name: 'check',
  usage: 'foliolab check FILE...',
  summary: 'Parses and checks scenarios without running them; prints the diagnostics.\nExit status: 0 no errors (warnings allowed), 2 a file could not be read or has errors.',
  options: [],
};
const FMT: CommandSpec = {
  name: 'fmt',
  usage: 'foliolab fmt FILE... [--check]',
  summary: 'Rewrites scenarios in canonical form.\nExit status: 0 done, 1 with --check: a file is not in canonical form, 2 a file could not be read or has errors.',
  options: [{ name: '--check', help: 'only report files that are not in canonical form; change nothing' }],
};
const COMMANDS: Record<string, { spec: CommandSpec; run: (a: ParsedArgs) => Promise<number> }> = {
  run: { spec: RUN, run },
  check: { spec: CHECK, run: check },
  fmt: { spec: FMT, run: fmt },
};

const GENERAL_HELP = `usage: foliolab COMMAND FILE... [OPTIONS]

Folio Lab's command line: runs mm scenarios (*.mms) in the simulated kernel.

commands:
  run FILE... [--policy ID]... [--json]   run scenarios, check their expectations
  check FILE...                           parse and check only
  fmt FILE... [--check]                   print scenarios in canonical form

options:
  --help      help (also: foliolab COMMAND --help)
  --version   print the version

Exit status: 0 success, 1 an expectation failed, 2 bad usage or a file with errors.
`;

const out = (s: string) => void process.stdout.write(s);
const err = (s: string) => void process.stderr.write(s);

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === '--version' || command === '-v') {
    out(`foliolab ${version}\n`);
    return 0;
  }
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    (command === undefined ? err : out)(GENERAL_HELP);
    return command === undefined ? 2 : 0;
  }
  const cmd = COMMANDS[command];
  if (!cmd) {
    err(`foliolab: unknown command "${command}"${didYouMean(command, Object.keys(COMMANDS))}; commands: ${Object.keys(COMMANDS).join(', ')} (foliolab --help)\n`);
    return 2;
  }
  let args: ParsedArgs;
  try {
    args = parseArgs(rest, cmd.spec);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    err(`foliolab ${command}: ${e.message}\n`);
    return 2;
  }
  if (args.help) {
    out(helpText(cmd.spec));
    return 0;
  }
  if (args.files.length === 0) {
    err(`foliolab ${command}: no files given\n${helpText(cmd.spec)}`);
    return 2;
  }
  return cmd.run(args);
}

function values(args: ParsedArgs, name: string): string[] {
  const v = args.options.get(name);
  return Array.isArray(v) ? v : [];
}

async function run(args: ParsedArgs): Promise<number> {
  const policies = values(args, '--policy');
  const bad = policies.filter((p) => !isPolicyId(p));
  if (bad.length) {
    err(`foliolab run: unknown policy "${bad[0]}"${didYouMean(bad[0], ALL_POLICIES)}; expected one of ${ALL_POLICIES.join(', ')}\n`);
    return 2;
  }
  const budget = budgetOf(args);
  if (typeof budget === 'string') {
    err(`foliolab run: ${budget}\n`);
    return 2;
  }
  const json = args.options.get('--json') === true;
  const report = reportRequest(args.files, values(args, '--report')[0], values(args, '--report-format')[0]);
  if ('error' in report) {
    err(`foliolab run: ${report.error}\n`);
    return 2;
  }
  const progress = process.stderr.isTTY && args.files.length > 1;
  const clearProgress = () => progress && err('\r\x1b[K');
  const reports = await runFiles(
    args.files,
    { policies: policies.length ? (policies as PolicyId[]) : undefined, keepResults: report.path !== undefined, budget },
    (r) => {
      clearProgress();
      for (const line of problemLines(r)) err(`${line}\n`);
      if (!json) out(humanReport(r));
    },
    progress ? (done, total) => err(`\r\x1b[K[${done}/${total}] running scenarios…`) : undefined,
  );
  clearProgress();
  if (json) out(jsonDocument(reports));
  else if (reports.length > 1) out(summaryLine(reports));
  if (report.path && report.format) {
    const problem = await writeRunReport(reports[0], report.path, report.format, version);
    if (problem) {
      err(`foliolab run: ${problem}\n`);
      return 2;
    }
  }
  return exitStatus(reports);
}

/** The budget options as RunOptions, or what is wrong with one of them. */
function budgetOf(args: ParsedArgs): RunRequest['budget'] | string {
  const budget: NonNullable<RunRequest['budget']> = {};
  const fields = { '--max-steps': 'maxSteps', '--max-page-ops': 'maxPageOps', '--time-budget': 'timeBudgetMs' } as const;
  for (const [option, field] of Object.entries(fields)) {
    const text = values(args, option)[0];
    if (text === undefined) continue;
    const n = Number(text);
    if (!Number.isSafeInteger(n) || n <= 0) return `${option} takes a positive whole number, not "${text}"`;
    budget[field] = n;
  }
  return budget;
}

function exitStatus(reports: FileReport[]): number {
  if (reports.some(hasErrors)) return 2;
  return reports.some((r) => r.runs.some((x) => !x.passed)) ? 1 : 0;
}

async function check(args: ParsedArgs): Promise<number> {
  const reports = args.files.map((f) => analyzeFile(f).report);
  for (const r of reports) for (const line of problemLines(r)) err(`${line}\n`);
  const failed = reports.filter(hasErrors).length;
  out(`${reports.length} file${reports.length === 1 ? '' : 's'} checked: ${failed ? `${failed} with errors` : 'no errors'}\n`);
  return failed ? 2 : 0;
}

async function fmt(args: ParsedArgs): Promise<number> {
  const onlyCheck = args.options.get('--check') === true;
  let status = 0;
  for (const file of args.files) {
    const { report, text, scenario } = analyzeFile(file);
    if (hasErrors(report) || text === undefined || !scenario) {
      for (const line of problemLines(report)) err(`${line}\n`);
      status = 2;
      continue;
    }
    const formatted = formatScenario(scenario);
    if (formatted === text) continue;
    // Refuse to write anything that would not read back as the same scenario.
    const again = parseScenario(formatted, file);
    if (again.diagnostics.some((d) => d.severity === 'error') || !sameScenario(scenario, again.scenario)) {
      err(`${file}: error: internal formatter error: the canonical form would change the scenario; the file was left as it is\n`);
      status = 2;
      continue;
    }
    if (onlyCheck) {
      out(`${file}: not in canonical form\n`);
      status = Math.max(status, 1);
      continue;
    }
    try {
      await writeFileAtomic(file, [formatted]);
      out(`${file}: formatted\n`);
    } catch (e) {
      err(`${file}: error: cannot write: ${describeFsError(e)}\n`);
      status = 2;
    }
  }
  return status;
}

// Last line of defence: whatever escapes still ends as one line and exit status 2, never a trace.
process.on('uncaughtException', (e) => {
  err(`foliolab: internal error: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(2);
});

// Output to a closed pipe (`foliolab run x | head`) is not an error worth a trace.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
});

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    err(`foliolab: internal error: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 2;
  },
);
