// Bad input through the whole stack (issue 7): huge, binary, not-UTF-8, empty
// and error-ridden files through analyze() and through the built command line
// give diagnostics or one clear message, exit 2, no stack trace, in bounded
// time; a report of a scenario whose title is markup holds no executable markup.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyze } from '../../core/lang/checker';
import { MAX_SOURCE_CHARS } from '../../core/lang/limits';
import { runAll } from '../../core/mm/index';
import { renderReport } from '../../core/report/index';
import { ensureCliBundle } from '../helpers/cli-bundle';
import { checkInput, mulberry32 } from '../lang/mutate';

const root = join(__dirname, '../..');
const cli = join(root, 'out/cli/foliolab.mjs');
let dir = '';

/** Deterministic pseudo-random bytes. */
function bytes(n: number, seed: number): Buffer {
  const r = mulberry32(seed);
  return Buffer.from(Array.from({ length: n }, () => Math.floor(r() * 256)));
}

function errorRidden(lines: number): string {
  const r = mulberry32(3);
  const alphabet = 'P0:mmap A[]..4K wrte#"fork\\x';
  return Array.from({ length: lines }, () => Array.from({ length: 60 }, () => alphabet[Math.floor(r() * alphabet.length)]).join('')).join('\n');
}

/** name -> file content, and what the one clear message (or first diagnostic) must say. */
const BAD_FILES: { name: string; content: () => Buffer | string; says: RegExp }[] = [
  { name: 'huge.mms', content: () => `P0: mmap A 4K\n${'# ballast line\n'.repeat(MAX_SOURCE_CHARS / 15 + 10)}`, says: /too large .*the limit is 8(\.0)? MiB/ },
  { name: 'binary.mms', content: () => Buffer.concat([Buffer.from('\x89PNG\r\n\x1a\n', 'latin1'), bytes(4096, 1)]), says: /binary file/ },
  { name: 'random-bytes.mms', content: () => bytes(100_000, 2), says: /binary|UTF-8/ },
  { name: 'latin1.mms', content: () => Buffer.from('scenario "caf\xe9 cr\xe8me"\nP0: mmap A 4K\n', 'latin1'), says: /not valid UTF-8 .*offset 13/ },
  { name: 'utf16.mms', content: () => Buffer.from('\ufeffP0: mmap A 4K\n', 'utf16le'), says: /binary|UTF-8/ },
  { name: 'errors.mms', content: () => errorRidden(20_000), says: /^errors\.mms:\d+:\d+: error: / },
  { name: 'long-line.mms', content: () => `P0: mmap A 4K\nP0: write A ${'9'.repeat(200_000)}\n`, says: /line is too long .*the limit is 10000/ },
  { name: 'empty.mms', content: () => '', says: /empty/ },
];

beforeAll(() => {
  ensureCliBundle();
  dir = mkdtempSync(join(tmpdir(), 'foliolab-bad-input-'));
  for (const f of BAD_FILES) writeFileSync(join(dir, f.name), f.content());
  mkdirSync(join(dir, 'a-directory.mms'));
}, 120_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function foliolab(...args: string[]) {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [cli, ...args], { cwd: dir, encoding: 'utf8', timeout: 60_000, maxBuffer: 64 * 1024 * 1024 });
  return { status: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr, ms: performance.now() - t0 };
}

describe('bad files through the command line', () => {
  for (const f of BAD_FILES) {
    for (const command of ['run', 'check', 'fmt']) {
      it(`${command} ${f.name}: exit 2, a clear message, no stack trace, bounded time`, () => {
        const r = foliolab(command, f.name);
        expect(r.signal, 'killed by the timeout').toBeNull();
        expect(r.status, r.stderr.slice(0, 300)).toBe(2);
        expect(r.stderr).not.toMatch(/^\s{4}at /m);
        expect(r.stdout).not.toMatch(/^\s{4}at /m);
        expect(r.stderr.split('\n')[0]).toMatch(f.says);
        expect(r.ms).toBeLessThan(20_000);
      });
    }
  }

  it('a directory and a missing file: one sentence each, exit 2', () => {
    for (const name of ['a-directory.mms', 'missing.mms']) {
      const r = foliolab('run', name);
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(new RegExp(`^${name}: error: (is a directory|cannot read: no such file)`));
      expect(r.stderr).not.toMatch(/^\s{4}at /m);
    }
  });

  it('several bad files at once: each reported, then exit 2', () => {
    const r = foliolab('check', 'binary.mms', 'latin1.mms', 'huge.mms', 'missing.mms');
    expect(r.status).toBe(2);
    for (const name of ['binary.mms', 'latin1.mms', 'huge.mms', 'missing.mms']) expect(r.stderr).toContain(`${name}: error:`);
  });
});

describe('bad text through analyze()', () => {
  const texts: [string, string][] = [
    ['binary decoded as latin1', bytes(50_000, 4).toString('latin1')],
    ['binary decoded as UTF-8 (replacement characters)', bytes(50_000, 5).toString('utf8')],
    ['lone surrogates and NULs', '\ud800P0: mmap A 4K\u0000\n\udfffP0: write A\n'.repeat(1000)],
    ['error-ridden', errorRidden(20_000)],
    ['one huge line', 'P0: mmap A 4K ' + 'x'.repeat(1_000_000)],
    ['empty', ''],
  ];
  for (const [what, text] of texts) {
    it(`${what}: diagnostics with valid positions, no throw, bounded time`, () => {
      const t0 = performance.now();
      expect(checkInput(text)).toEqual([]);
      expect(performance.now() - t0).toBeLessThan(10_000);
    });
  }

  it('an empty file is reported, not a silent pass (language-findings L1)', () => {
    for (const text of ['', '\n\n  \n', '# only a comment\n']) {
      const d = analyze(text, 'empty.mms').diagnostics;
      expect(d.map((x) => x.message).join(' '), JSON.stringify(text)).toMatch(/empty|no steps/);
    }
  });
});

describe('report escaping', () => {
  const TITLE = '<img src=x onerror=alert(1)><script>alert(1)</script>';

  it('a scenario titled with markup renders to HTML without executable markup', () => {
    const source = `scenario "${TITLE}"
P0: mmap A 8K
P0: write A 1
P0: fork P1 # <script>alert("comment")</script>
P1: write A[0] 2
expect P0 A[0].data == 1
`;
    const { scenario, diagnostics } = analyze(source, '<svg onload=alert(1)>.mms');
    expect(diagnostics).toEqual([]);
    const runs = runAll(scenario, ['v6.15', 'v6.9']);
    const html = renderReport('html', { file: '<svg onload=alert(1)>.mms', source, title: scenario.header.title!.value, diagnostics, runs, generatedAt: '2026-11-27T00:00:00Z', version: '<b>0</b>' });
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<img|<svg onload/i); // the report draws its own charts as inline <svg>, never the user's
    // Every real tag: no event-handler attribute (attribute values are quoted and escaped).
    const tags = [...html.matchAll(/<[a-z][^>]*>/gi)].map((m) => m[0].replace(/"[^"]*"/g, '""'));
    expect(tags.filter((t) => /\son\w+\s*=/i.test(t))).toEqual([]);
    // The title is there, as text.
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;&lt;script&gt;alert(1)&lt;/script&gt;');
    // The markdown report keeps the text but cannot smuggle raw HTML either: outside code (fenced
    // blocks and `spans`, which a markdown viewer shows as text) no user markup is left unescaped.
    const md = renderReport('md', { file: 'x.mms', source, title: scenario.header.title!.value, diagnostics, runs, generatedAt: '2026-11-27T00:00:00Z', version: '0' });
    const prose = md.replace(/^(`{3,}|~{3,}).*\n[\s\S]*?^\1[ \t]*$/gm, '').replace(/(`+)[^`]*?\1/g, '');
    expect(md).toContain('<script>alert(1)</script>'); // in the source block, as code
    expect(prose).not.toMatch(/(^|[^\\])<(script|img)/im); // `\<` is a literal "<" in CommonMark
  });
});
