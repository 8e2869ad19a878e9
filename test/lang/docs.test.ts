import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ADVICES, ALL_POLICIES, GLOBAL_COUNTERS, PAGE_PROPERTIES, PROCESS_COUNTERS } from '../../core/lang/ast';
import { DOCS, docFor, referenceMarkdown } from '../../core/lang/docs';
import { DIRECTIVES, OPERATIONS } from '../../core/lang/parser';

describe('docs', () => {
  it('documents every name of the language', () => {
    const missing: string[] = [];
    const need = (kind: Parameters<typeof docFor>[0], names: readonly string[]) => names.forEach((n) => docFor(kind, n) || missing.push(`${kind}:${n}`));
    need('operation', OPERATIONS);
    need('advice', ADVICES);
    need('property', PAGE_PROPERTIES);
    need('counter', GLOBAL_COUNTERS);
    need('process-counter', PROCESS_COUNTERS);
    need('directive', DIRECTIVES);
    need('policy', ALL_POLICIES);
    expect(missing).toEqual([]);
  });
  it('gives every operation and advice its Linux equivalent', () => {
    expect(DOCS.filter((d) => (d.kind === 'operation' || d.kind === 'advice') && !d.linux).map((d) => d.name)).toEqual([]);
    expect(docFor('advice', 'pageout')?.linux).toBe('madvise(MADV_PAGEOUT)');
  });
  // After editing core/lang/docs.ts: UPDATE_DOCS=1 npx vitest run test/lang/docs.test.ts
  it('docs/language.md carries the generated reference unchanged', () => {
    const path = join(__dirname, '../../docs/language.md');
    let md = readFileSync(path, 'utf8');
    if (process.env.UPDATE_DOCS) {
      const start = md.indexOf('<!-- reference:start -->');
      const end = md.indexOf('<!-- reference:end -->');
      md = `${md.slice(0, start)}<!-- reference:start -->\n<!-- generated from core/lang/docs.ts (referenceMarkdown); edit that file, not this section -->\n\n${referenceMarkdown()}${md.slice(end)}`;
      writeFileSync(path, md);
    }
    expect(md).toContain(referenceMarkdown());
  });
});
