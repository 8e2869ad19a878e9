// Live diagnostics: the checker the command line uses, re-run ~150 ms after
// the last keystroke. Small files are checked in the page (instant); big ones
// in the engine worker, so typing never waits for a long check. Never throws
// into the editor: a checker fault becomes a diagnostic on line 1.
import { onBeforeUnmount, shallowRef, watch, type Ref } from 'vue';
import type { Diagnostic } from '../../../core/lang/ast';
import { analyze } from '../../../core/lang/checker';
import { services } from '../platform/services';

export const LIVE_DIAGNOSTICS_DELAY_MS = 150;
/** Above this many characters the check runs in the engine, off the page's main thread. */
export const LOCAL_CHECK_MAX_CHARS = 200_000;

const fault = (message: string): Diagnostic => ({ line: 1, col: 1, endLine: 1, endCol: 2, severity: 'error', code: 'checker-fault', message });

export function checkSource(source: string, file: string): Diagnostic[] {
  try {
    return analyze(source, file).diagnostics;
  } catch (err) {
    return [fault(`The checker failed: ${String(err)}`)];
  }
}

export async function checkAnywhere(source: string, file: string): Promise<Diagnostic[]> {
  if (source.length <= LOCAL_CHECK_MAX_CHARS) return checkSource(source, file);
  try {
    return (await services().client.request({ type: 'check', file, source })).diagnostics;
  } catch (err) {
    return [fault(`The file could not be checked: ${err instanceof Error ? err.message : String(err)}`)];
  }
}

export function useLiveDiagnostics(source: Ref<string>, file: Ref<string>, delayMs = LIVE_DIAGNOSTICS_DELAY_MS) {
  const diagnostics = shallowRef<Diagnostic[]>([]);
  let timer: ReturnType<typeof setTimeout> | undefined;
  let latest = 0;
  const refresh = async () => {
    const mine = ++latest;
    const found = await checkAnywhere(source.value, file.value);
    if (mine === latest) diagnostics.value = found; // a slower, older check never wins
  };
  watch([source, file], () => {
    clearTimeout(timer);
    timer = setTimeout(refresh, delayMs);
  });
  void refresh();
  onBeforeUnmount(() => clearTimeout(timer));
  return diagnostics;
}
