// Shared by the language tests: short ways to look at diagnostics.
import type { Diagnostic } from '../../core/lang/ast';
import { analyze } from '../../core/lang/checker';

/** `LINE:COL-ENDCOL severity code: message` */
export function show(d: Diagnostic): string {
  return `${d.line}:${d.col}-${d.endCol} ${d.severity} ${d.code}: ${d.message}`;
}

export function diags(source: string): string[] {
  return analyze(source, 't.mms').diagnostics.map(show);
}

/** Diagnostics of a scenario made of a standard prelude plus `body` (body starts at line 3). */
export function diagsWith(body: string): string[] {
  return diags(`P0: mmap A 2M\nP0: mmap B 16K\n${body}`);
}
