// Every user command in one place: toolbar buttons, keyboard shortcuts and
// Electron's menu all call these.
import type { MenuCommand } from '../../core/contract/protocol';
import { useDocumentStore } from './stores/document';
import { oneSentence, useRunStore } from './stores/run';

export interface CommandHooks {
  format(): void;
  exportReport(): void;
}

export type Commands = Record<MenuCommand, () => void>;

/** A failed file or report operation (too large, unreadable, disk full) becomes one sentence in the banner. */
export function guard(work: Promise<unknown>, prefix = ''): void {
  const run = useRunStore();
  void work.catch((err: unknown) => (run.message = oneSentence(prefix + (err instanceof Error ? err.message : String(err)))));
}

export function createCommands(hooks: CommandHooks): Commands {
  const doc = useDocumentStore();
  const run = useRunStore();
  return {
    new: () => {
      if (doc.mayReplace()) guard(doc.replace({ path: null, name: 'untitled.mms', text: '' }));
    },
    open: () => {
      if (doc.mayReplace()) guard(doc.open());
    },
    save: () => guard(doc.save()),
    'save-as': () => guard(doc.save(true)),
    'export-report': hooks.exportReport,
    run: () => void run.run(doc.name, doc.text),
    stop: () => run.stop(),
    format: hooks.format,
    'step-first': () => run.first(),
    'step-back': () => run.back(),
    'step-forward': () => run.forward(),
    'step-last': () => run.last(),
  };
}

/** Keyboard shortcuts (Electron's menu shows the same accelerators). */
export function shortcutFor(e: KeyboardEvent): MenuCommand | null {
  const mod = e.ctrlKey || e.metaKey;
  if (mod && e.key === 'Enter') return 'run';
  if (e.key === 'Escape') return 'stop';
  if (mod && e.shiftKey && e.key.toLowerCase() === 's') return 'save-as';
  if (mod && e.key.toLowerCase() === 's') return 'save';
  if (mod && e.key.toLowerCase() === 'o') return 'open';
  if (mod && e.shiftKey && e.key.toLowerCase() === 'e') return 'export-report';
  if (e.altKey && !mod) {
    if (e.key === 'ArrowLeft') return 'step-back';
    if (e.key === 'ArrowRight') return 'step-forward';
    if (e.key === 'Home') return 'step-first';
    if (e.key === 'End') return 'step-last';
  }
  return null;
}
