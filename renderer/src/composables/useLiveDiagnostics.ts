// Live diagnostics: the checker the command line uses, re-run ~150 ms after
// the last keystroke. Never throws into the editor: a checker fault becomes a
// diagnostic on line 1.
import { onBeforeUnmount, shallowRef, watch, type Ref } from 'vue';
import type { Diagnostic } from '../../../core/lang/ast';
import { analyze } from '../../../core/lang/checker';

export const LIVE_DIAGNOSTICS_DELAY_MS = 150;

export function checkSource(source: string, file: string): Diagnostic[] {
  try {
    return analyze(source, file).diagnostics;
  } catch (err) {
    return [{ line: 1, col: 1, endLine: 1, endCol: 2, severity: 'error', code: 'checker-fault', message: `The checker failed: ${String(err)}` }];
  }
}

export function useLiveDiagnostics(source: Ref<string>, file: Ref<string>, delayMs = LIVE_DIAGNOSTICS_DELAY_MS) {
  const diagnostics = shallowRef<Diagnostic[]>(checkSource(source.value, file.value));
  let timer: ReturnType<typeof setTimeout> | undefined;
  watch([source, file], () => {
    clearTimeout(timer);
    timer = setTimeout(() => (diagnostics.value = checkSource(source.value, file.value)), delayMs);
  });
  onBeforeUnmount(() => clearTimeout(timer));
  return diagnostics;
}
