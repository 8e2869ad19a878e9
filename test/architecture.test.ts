// The layering rule made executable: `core/` is pure TypeScript. It imports
// nothing of Electron, Vue, Pinia, Monaco or Node, and touches no DOM or Node
// global, so the same engine runs in the utility process, the Web Worker and
// the command line.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(__dirname, '..');

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return tsFiles(p);
    return p.endsWith('.ts') ? [p] : [];
  });
}

const FORBIDDEN_MODULE =
  /^(electron|vue|pinia|monaco-editor|@vue\/.*|node:.*|fs|path|os|child_process|worker_threads|crypto|util|events|stream|url|http|https|net)(\/.*)?$/;
// A global is a bare identifier: `run.process.name` or `{ window }` as a property is fine.
const FORBIDDEN_GLOBAL = /(?<![.\w'"`$])(window\.|document\.|localStorage|navigator\.|process\.|Buffer\.|require\(|__dirname)/;

function importsOf(source: string): string[] {
  const out: string[] = [];
  const re = /(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\s*\(\s*['"]([^'"]+)['"]\s*\)|import\s+['"]([^'"]+)['"]/g;
  for (const m of source.matchAll(re)) out.push(m[1] ?? m[2] ?? m[3]);
  return out;
}

/** Code without comments and without the text inside string literals (prose may say "process."). */
function codeOnly(source: string): string {
  return source
    .replace(/\/\*[\s\S]*?\*\//g, (m) => '\n'.repeat(m.split('\n').length - 1))
    // Newlines inside a template literal are kept so reported line numbers stay right.
    .replace(/'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"|`(?:[^`\\]|\\.)*`/g, (m) => "''" + '\n'.repeat(m.split('\n').length - 1))
    .replace(/\/\/.*$/gm, '');
}

describe('core/ stays pure', () => {
  const files = tsFiles(join(root, 'core'));

  it('has files to check', () => {
    expect(files.length).toBeGreaterThan(0);
  });

  it('imports only relative modules (no Electron, Vue, DOM or Node)', () => {
    const bad: string[] = [];
    for (const f of files) {
      for (const spec of importsOf(readFileSync(f, 'utf8'))) {
        if (!spec.startsWith('.') || FORBIDDEN_MODULE.test(spec)) bad.push(`${relative(root, f)}: ${spec}`);
      }
    }
    expect(bad).toEqual([]);
  });

  it('uses no DOM or Node globals', () => {
    const bad: string[] = [];
    for (const f of files) {
      const lines = codeOnly(readFileSync(f, 'utf8')).split('\n');
      lines.forEach((line, i) => {
        const m = FORBIDDEN_GLOBAL.exec(line);
        if (m) bad.push(`${relative(root, f)}:${i + 1}: ${m[0]}`);
      });
    }
    expect(bad).toEqual([]);
  });

  it('the checker itself catches a forbidden import', () => {
    expect(importsOf("import { app } from 'electron';")).toEqual(['electron']);
    expect(FORBIDDEN_MODULE.test('node:fs')).toBe(true);
    expect(FORBIDDEN_GLOBAL.test('document.body')).toBe(true);
    expect(FORBIDDEN_GLOBAL.test('const argv = process.argv;')).toBe(true);
    expect(FORBIDDEN_GLOBAL.test('event.process.name')).toBe(false);
    expect(FORBIDDEN_GLOBAL.test(codeOnly("const s = 'faults of this process.';"))).toBe(false);
    expect(FORBIDDEN_GLOBAL.test(codeOnly("const s = 'x'; window.alert(s);"))).toBe(true);
    expect(codeOnly('/* a\nb */ const t = `x\ny`;\nwindow.alert(t);').split('\n')[3]).toBe('window.alert(t);');
  });
});
