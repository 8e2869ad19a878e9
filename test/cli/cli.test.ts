// The built command line (out/cli/foliolab.mjs), spawned as a user would run it.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CLI_BUNDLE, ensureCliBundle } from '../helpers/cli-bundle';

const root = join(__dirname, '../..');
const cli = CLI_BUNDLE;
let dir = '';

function foliolab(...args: string[]) {
  const r = spawnSync(process.execPath, [cli, ...args], { cwd: dir, encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}
const write = (name: string, text: string | Uint8Array) => {
  writeFileSync(join(dir, name), text);
  return name;
};

const PASS = `scenario "simple COW"
policies v6.7 v6.15

P0: mmap A 4K
P0: write A 1
P0: fork P1
P1: write A 2

expect P1.cow_copies == 1
expect P0 A.data == 1
expect violations == 0
`;
const FAIL = PASS.replace('expect P1.cow_copies == 1', 'expect P1.cow_copies == 5');
const BAD = 'P0: mmap A 2M\nP0: madvise A hugepages\nP1: exit\n';

beforeAll(() => {
  ensureCliBundle();
  dir = mkdtempSync(join(tmpdir(), 'foliolab-cli-'));
  write('pass.mms', PASS);
  write('fail.mms', FAIL);
  write('bad.mms', BAD);
});

describe('foliolab: help, version, usage errors', () => {
  it('--version prints the package version', () => {
    const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
    expect(foliolab('--version')).toMatchObject({ code: 0, out: `foliolab ${version}\n` });
  });
  it('--help on the program and on every command', () => {
    const general = foliolab('--help');
    expect(general.code).toBe(0);
    expect(general.out).toMatch(/run FILE\.\.\. \[--policy ID\]\.\.\. \[--json\]/);
    for (const [cmd, usage] of [['run', 'usage: foliolab run FILE... [--policy ID]... [--json]'], ['check', 'usage: foliolab check FILE...'], ['fmt', 'usage: foliolab fmt FILE... [--check]']]) {
      const r = foliolab(cmd, '--help');
      expect(r.code).toBe(0);
      expect(r.out.split('\n')[0]).toBe(usage);
      expect(r.out).toContain('--help');
    }
  });
  it('bad usage exits 2 with one clear line', () => {
    expect(foliolab()).toMatchObject({ code: 2 });
    expect(foliolab('runn', 'x.mms')).toMatchObject({ code: 2, err: 'foliolab: unknown command "runn" (did you mean "run"?); commands: run, check, fmt (foliolab --help)\n' });
    expect(foliolab('run', '--jsno', 'pass.mms')).toMatchObject({ code: 2, err: 'foliolab run: unknown option --jsno for "foliolab run" (did you mean "--json"?); options: --policy, --json, --report, --report-format, --max-steps, --max-page-ops, --time-budget, --help\n' });
    expect(foliolab('run', 'pass.mms', '--policy')).toMatchObject({ code: 2, err: 'foliolab run: --policy needs a value: --policy ID\n' });
    expect(foliolab('run', 'pass.mms', '--policy', 'v6.8')).toMatchObject({ code: 2, err: 'foliolab run: unknown policy "v6.8" (did you mean "v6.7"?); expected one of v6.7, v6.9, rmapid, v6.15, ideal\n' });
    expect(foliolab('check').code).toBe(2);
  });
});

describe('foliolab check', () => {
  it('a clean file: exit 0', () => {
    expect(foliolab('check', 'pass.mms')).toMatchObject({ code: 0, out: '1 file checked: no errors\n', err: '' });
  });
  it('errors: exit 2, every diagnostic as FILE:LINE:COL: error: MESSAGE', () => {
    const r = foliolab('check', 'bad.mms', 'pass.mms');
    expect(r.code).toBe(2);
    expect(r.err.split('\n')).toEqual([
      'bad.mms:2:15: error: unknown advice "hugepages" (did you mean "hugepage"?); expected one of hugepage, nohugepage, dontneed, pageout, collapse, dontfork, dofork, wipeonfork',
      'bad.mms:3:1: error: process "P1" does not exist at this step: only P0 exists at the start and fork creates the others; alive here: P0',
      '',
    ]);
    expect(r.out).toBe('2 files checked: 1 with errors\n');
  });
  it('warnings alone: exit 0, printed as warning:', () => {
    write('warn.mms', 'policies v6.7\nexpect pgfault >= 0 for v6.9\n');
    const r = foliolab('check', 'warn.mms');
    expect(r.code).toBe(0);
    expect(r.err).toBe("warn.mms:2:25: warning: v6.9 is not in this scenario's policies (line 1); this expectation is only checked when a run selects v6.9\n");
  });
  it('unusable files: one line each, exit 2, never a stack trace', () => {
    mkdirSync(join(dir, 'folder.mms'), { recursive: true });
    write('binary.mms', new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 0, 1, 2]));
    write('latin1.mms', new Uint8Array([0x23, 0x20, 0x63, 0x61, 0x66, 0xe9, 0x0a]));
    write('huge.mms', `# ${'x'.repeat(9 * 1024 * 1024)}\n`);
    write('empty.mms', '');
    const r = foliolab('check', 'missing.mms', 'folder.mms', 'binary.mms', 'latin1.mms', 'huge.mms', 'empty.mms');
    expect(r.code).toBe(2);
    expect(r.err.split('\n')).toEqual([
      'missing.mms: error: cannot read: no such file',
      'folder.mms: error: is a directory, not a scenario file',
      'binary.mms: error: this looks like a binary file (a NUL byte at offset 4); a scenario is UTF-8 text',
      'latin1.mms: error: is not valid UTF-8 text (first bad byte at offset 5); save it as UTF-8',
      'huge.mms: error: file is too large (9.0 MiB); the limit is 8.0 MiB',
      'empty.mms: error: nothing to run: the file has no steps and no expectations (empty); a scenario starts with a step such as "P0: mmap A 4K"',
      '',
    ]);
    expect(r.err).not.toMatch(/\bat .*:\d+:\d+\)?$/m);
  });
});

describe('foliolab fmt', () => {
  it('--check: exit 1 and names the file when it is not canonical; changes nothing', () => {
    const messy = 'scenario "x"\nP0:mmap A 2048K\nexpect pgfault>=0\n';
    write('messy.mms', messy);
    expect(foliolab('fmt', '--check', 'messy.mms')).toMatchObject({ code: 1, out: 'messy.mms: not in canonical form\n' });
    expect(readFileSync(join(dir, 'messy.mms'), 'utf8')).toBe(messy);
    expect(foliolab('fmt', '--check', 'pass.mms')).toMatchObject({ code: 0, out: '' });
  });
  it('rewrites in canonical form, then --check passes', () => {
    write('messy2.mms', 'swap 1G\nscenario "x"\nP0:mmap A 2048K  # big\nexpect pgfault>=0\n');
    expect(foliolab('fmt', 'messy2.mms')).toMatchObject({ code: 0, out: 'messy2.mms: formatted\n' });
    expect(readFileSync(join(dir, 'messy2.mms'), 'utf8')).toBe('scenario "x"\nswap 1G\n\nP0: mmap A 2M  # big\n\nexpect pgfault >= 0\n');
    expect(foliolab('fmt', '--check', 'messy2.mms').code).toBe(0);
  });
  it('leaves a file with errors alone: exit 2', () => {
    expect(foliolab('fmt', 'bad.mms').code).toBe(2);
    expect(readFileSync(join(dir, 'bad.mms'), 'utf8')).toBe(BAD);
  });
});

describe('foliolab run', () => {
  it('a file with errors: exit 2, diagnostics on stderr, nothing run', () => {
    const r = foliolab('run', 'bad.mms');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^bad\.mms:2:15: error: unknown advice "hugepages"/);
    expect(r.out).toBe('');
  });
  it('passing expectations: exit 0, per policy PASS, counters and each expectation', () => {
    const r = foliolab('run', 'pass.mms');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const lines = r.out.split('\n');
    expect(lines[0]).toBe('pass.mms: simple COW');
    expect(lines.filter((l) => /^\s+(v6\.7|v6\.15)\s+PASS\s+pgfault \d+/.test(l))).toHaveLength(2);
    expect(lines.filter((l) => l.includes('ok    line 9: P1.cow_copies == 1'))).toHaveLength(2);
  });
  it('a failed expectation: exit 1 and the actual value', () => {
    const r = foliolab('run', 'fail.mms', '--policy', 'v6.15');
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/v6\.15\s+FAIL/);
    expect(r.out).toMatch(/FAIL  line 9: P1\.cow_copies == 5 {2}\(.*\b1\b.*\)/);
  });
  it('budgets stop a runaway run: exit 1 with the budget named; bad values exit 2', () => {
    write('huge.mms', 'memory 64G\nP0: mmap A 32G\nP0: write A\nexpect violations == 0\n');
    const t = Date.now();
    const r = foliolab('run', 'huge.mms', '--policy', 'v6.15', '--time-budget', '200');
    expect(Date.now() - t).toBeLessThan(20_000);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/v6\.15\s+FAIL/);
    expect(r.out).toContain('stopped: time budget of 200 ms exhausted');
    const steps = foliolab('run', 'pass.mms', '--policy', 'v6.15', '--max-steps', '2');
    expect(steps.code).toBe(1);
    expect(steps.out).toContain('stopped: step budget of 2 exhausted');
    const bad = foliolab('run', 'pass.mms', '--max-page-ops', '-3');
    expect(bad.code).toBe(2);
    expect(bad.err).toBe('foliolab run: --max-page-ops takes a positive whole number, not "-3"\n');
  });
  it('--json: the document shape of the spec', () => {
    const r = foliolab('run', '--json', 'pass.mms', 'bad.mms', '--policy', 'v6.7', '--policy', 'v6.15');
    expect(r.code).toBe(2);
    const doc = JSON.parse(r.out);
    expect(doc.files.map((f: { file: string }) => f.file)).toEqual(['pass.mms', 'bad.mms']);
    const [pass, bad] = doc.files;
    expect(pass).toMatchObject({ file: 'pass.mms', scenario: 'simple COW', diagnostics: [] });
    expect(pass.runs.map((x: { policy: string }) => x.policy)).toEqual(['v6.7', 'v6.15']);
    const run = pass.runs[1];
    expect(run.passed).toBe(true);
    expect(run.expectations[0]).toEqual({ line: 9, text: 'P1.cow_copies == 1', passed: true, actual: 1 });
    expect(run.expectations[1]).toEqual({ line: 10, text: 'P0 A.data == 1', passed: true, actual: 1 });
    for (const c of ['pgfault', 'pgreuse', 'cow_copies', 'violations']) expect(typeof run.counters[c]).toBe('number');
    expect(run.processes.P0.rss).toBe(4096);
    expect(run.processes.P1.cow_copies).toBe(1);
    expect(bad.runs).toEqual([]);
    expect(bad.diagnostics[0]).toMatchObject({ line: 2, col: 15, endCol: 24, severity: 'error', code: 'unknown-advice' });
  });
  it('--json: a file that cannot be read carries its error', () => {
    const r = foliolab('run', '--json', 'nope.mms');
    expect(r.code).toBe(2);
    expect(JSON.parse(r.out).files).toEqual([{ file: 'nope.mms', scenario: null, diagnostics: [], runs: [], error: 'cannot read: no such file' }]);
    expect(r.err).toBe('nope.mms: error: cannot read: no such file\n');
  });
  it('the npm bin launcher runs the bundle', () => {
    const r = spawnSync(process.execPath, [join(root, 'bin/foliolab.js'), 'check', 'pass.mms'], { cwd: dir, encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('1 file checked: no errors\n');
  });
  it('many files: worker threads, results in input order, summary line', () => {
    const files = Array.from({ length: 6 }, (_, i) => write(`many${i}.mms`, (i === 3 ? FAIL : PASS).replace('simple COW', `file ${i}`)));
    const r = foliolab('run', ...files);
    expect(r.code).toBe(1);
    const heads = r.out.split('\n').filter((l) => /^many\d\.mms: /.test(l));
    expect(heads).toEqual(files.map((f, i) => `${f}: file ${i}`));
    expect(r.out.trimEnd().split('\n').pop()).toBe('6 files, 12 runs: 10 passed, 2 failed');
    expect(r.err).toBe(''); // no progress line when stderr is not a terminal
  });
  it('shows a progress line on a terminal (util-linux script gives it one)', () => {
    const cmd = `${JSON.stringify(process.execPath)} ${JSON.stringify(cli)} run pass.mms fail.mms --policy v6.15`;
    const r = spawnSync('script', ['-qec', cmd, '/dev/null'], { cwd: dir, encoding: 'utf8' });
    expect(r.stdout).toContain('[2/2] running scenarios');
    expect(r.stdout).toMatch(/\r\x1b\[K\[1\/2\] running scenarios/);
    expect(r.stdout).toContain('2 files, 2 runs: 1 passed, 1 failed');
  });
  it('starts fast: one small scenario in well under 300 ms over a bare node start', () => {
    // Best of three, against node's own start-up measured the same way, so a busy machine does not decide.
    const best = (args: string[]) => {
      let ms = Infinity;
      for (let k = 0; k < 3; k++) {
        const t0 = performance.now();
        const r = spawnSync(process.execPath, args, { cwd: dir });
        ms = Math.min(ms, performance.now() - t0);
        expect(r.status).toBe(0);
      }
      return ms;
    };
    const bare = best(['-e', '0']);
    const run = best([cli, 'run', 'pass.mms']);
    expect(run - bare).toBeLessThan(250);
  });
});
