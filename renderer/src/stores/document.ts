// The scenario being edited: its text, where it lives, whether it has unsaved
// changes. Unsaved text is journalled every few seconds (Electron: the app's
// data folder; browser: localStorage) so a crash never loses it; the next
// start offers to restore it.
import { defineStore } from 'pinia';
import type { JournalEntry, OpenedFile } from '../../../core/contract/protocol';
import { MAX_SOURCE_CHARS } from '../../../core/lang/limits';
import { formatBytes } from '../../../core/lang/text';
import { services } from '../platform/services';

export const JOURNAL_INTERVAL_MS = 3000;

function newJournalId(): string {
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}

export const useDocumentStore = defineStore('document', {
  state: () => ({
    text: '',
    /** Where it was opened from / saved to; null = never saved. */
    path: null as string | null,
    name: 'untitled.mms',
    /** The text as last opened or saved; null = nothing on disk matches (restored from the journal). */
    savedText: '' as string | null,
    journalId: newJournalId(),
    /** Text last written to the journal (to skip writes when nothing changed). */
    journalled: null as string | null,
    recent: [] as string[],
    /** Journal entries found at start-up, offered for restore. */
    restoreOffer: [] as JournalEntry[],
  }),
  getters: {
    dirty: (s) => s.text !== s.savedText,
  },
  actions: {
    setText(text: string) {
      this.text = text;
      services().platform.setDirty(this.dirty);
    },

    /** Replaces the document; the caller has made sure nothing unsaved is lost. */
    load(file: { path: string | null; name: string; text: string }, savedText: string | null = file.text) {
      this.text = file.text;
      this.path = file.path;
      this.name = file.name;
      this.savedText = savedText;
      this.journalled = null;
      services().platform.setDirty(this.dirty);
    },

    /** True when the current text may be replaced: nothing unsaved, or the user agrees. */
    mayReplace(confirm: (q: string) => boolean = (q) => window.confirm(q)): boolean {
      return !this.dirty || confirm(`Discard the unsaved changes to ${this.name}?`);
    },

    /** Starts a fresh document (a new journal entry); the old one's entry is dropped. */
    async replace(file: { path: string | null; name: string; text: string }) {
      await this.dropJournal();
      this.journalId = newJournalId();
      this.load(file);
    },

    async open(file?: OpenedFile | null) {
      const f = file ?? (await services().platform.files.open());
      if (!f) return false;
      if (f.text.length > MAX_SOURCE_CHARS) {
        throw new Error(`${f.name} has ${formatBytes(f.text.length)} of text; a scenario may have at most ${formatBytes(MAX_SOURCE_CHARS)}.`);
      }
      await this.replace(f);
      await this.refreshRecent();
      return true;
    },

    async openRecent(path: string) {
      return this.open(await services().platform.files.openPath(path));
    },

    async save(asNew = false) {
      const saved = await services().platform.files.save(asNew ? null : this.path, this.text, this.name);
      if (!saved) return false;
      this.path = saved.path;
      this.name = saved.path.split(/[\\/]/).pop() || this.name;
      this.savedText = this.text;
      services().platform.setDirty(false);
      await this.dropJournal();
      await this.refreshRecent();
      return true;
    },

    async refreshRecent() {
      this.recent = await services().platform.files.recent();
    },

    /** Writes the journal entry when the text changed since the last write; drops it once clean. */
    async journalNow(now = Date.now()) {
      if (!this.dirty) {
        if (this.journalled !== null) await this.dropJournal();
        return;
      }
      if (this.journalled === this.text) return;
      const text = this.text;
      await services().platform.journal.write({ id: this.journalId, path: this.path, name: this.name, text, savedAt: now });
      this.journalled = text;
    },

    async dropJournal() {
      this.journalled = null;
      await services().platform.journal.discard(this.journalId);
    },

    /** Starts the periodic journal; returns the function that stops it. */
    startJournal(intervalMs = JOURNAL_INTERVAL_MS): () => void {
      const timer = setInterval(() => void this.journalNow().catch(() => {}), intervalMs);
      return () => clearInterval(timer);
    },

    /** At start-up: anything left in the journal by an earlier session is offered for restore. */
    async findRestorable() {
      const entries = await services().platform.journal.list();
      this.restoreOffer = entries.filter((e) => e.id !== this.journalId);
    },

    async restore(entry: JournalEntry) {
      this.load({ path: entry.path, name: entry.name, text: entry.text }, null);
      // Keep writing to the same entry so a second crash does not leave two copies.
      this.journalId = entry.id;
      this.journalled = entry.text;
      this.restoreOffer = this.restoreOffer.filter((e) => e.id !== entry.id);
    },

    async discardRestorable(entry: JournalEntry) {
      this.restoreOffer = this.restoreOffer.filter((e) => e.id !== entry.id);
      await services().platform.journal.discard(entry.id);
    },
  },
});
