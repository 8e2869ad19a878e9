// Theme (follows the system's prefers-color-scheme unless the user picks one)
// and layout (which view tab is open, editor width).
import { defineStore } from 'pinia';

export type ThemeChoice = 'system' | 'light' | 'dark';
export type ViewTab = 'memory' | 'folios' | 'inspector' | 'trace' | 'compare' | 'expectations';

const THEME_KEY = 'foliolab.theme';

function systemPrefersDark(): boolean {
  return typeof matchMedia === 'function' && matchMedia('(prefers-color-scheme: dark)').matches;
}

function savedChoice(): ThemeChoice {
  const v = typeof localStorage !== 'undefined' ? localStorage.getItem(THEME_KEY) : null;
  return v === 'light' || v === 'dark' ? v : 'system';
}

export const useUiStore = defineStore('ui', {
  state: () => ({
    themeChoice: savedChoice() as ThemeChoice,
    systemDark: systemPrefersDark(),
    tab: 'memory' as ViewTab,
    /** Editor pane width in percent of the window. */
    editorWidth: 38,
  }),
  getters: {
    theme: (s): 'light' | 'dark' => (s.themeChoice === 'system' ? (s.systemDark ? 'dark' : 'light') : s.themeChoice),
  },
  actions: {
    /** Cycles system -> light -> dark -> system. */
    cycleTheme() {
      const order: ThemeChoice[] = ['system', 'light', 'dark'];
      this.themeChoice = order[(order.indexOf(this.themeChoice) + 1) % order.length];
      localStorage.setItem(THEME_KEY, this.themeChoice);
    },
    /** Keeps `systemDark` in step with the OS setting; returns the unsubscribe. */
    followSystem(): () => void {
      if (typeof matchMedia !== 'function') return () => {};
      const mq = matchMedia('(prefers-color-scheme: dark)');
      const on = (e: MediaQueryListEvent) => (this.systemDark = e.matches);
      mq.addEventListener('change', on);
      return () => mq.removeEventListener('change', on);
    },
    setEditorWidth(pct: number) {
      this.editorWidth = Math.min(75, Math.max(20, pct));
    },
  },
});
