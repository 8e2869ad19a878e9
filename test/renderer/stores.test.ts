import { beforeEach, describe, expect, it } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import { MAX_SOURCE_CHARS } from '../../core/lang/limits';
import { useDocumentStore } from '../../renderer/src/stores/document';
import { useRunStore } from '../../renderer/src/stores/run';
import { FakeEngine, flush, installFakes } from './helpers/fakes';

beforeEach(() => setActivePinia(createPinia()));

describe('document store', () => {
  it('is dirty exactly when the text differs from what was opened or saved', async () => {
    const { platform } = installFakes();
    const doc = useDocumentStore();
    doc.load({ path: '/a.mms', name: 'a.mms', text: 'P0: exit\n' });
    expect(doc.dirty).toBe(false);
    doc.setText('P0: exit\n# more\n');
    expect(doc.dirty).toBe(true);
    doc.setText('P0: exit\n');
    expect(doc.dirty).toBe(false);
    doc.setText('changed');
    await doc.save();
    expect(doc.dirty).toBe(false);
    expect(platform.saved).toEqual([{ path: '/a.mms', text: 'changed' }]);
    expect(platform.dirtyCalls.at(-1)).toBe(false);
  });

  it('save as asks for a new path and takes the new name', async () => {
    const { platform } = installFakes();
    const doc = useDocumentStore();
    doc.load({ path: '/a.mms', name: 'a.mms', text: 'x' });
    await doc.save(true);
    expect(platform.saved[0].path).toBeNull();
    expect(doc.path).toBe('/saved/a.mms');
  });

  it('journals unsaved text only when it changed, and drops the entry once saved', async () => {
    const { platform } = installFakes();
    const doc = useDocumentStore();
    doc.load({ path: null, name: 'n.mms', text: '' });
    await doc.journalNow();
    expect(platform.journalStore.size).toBe(0); // clean: nothing to keep
    doc.setText('P0: mmap A 4K');
    await doc.journalNow(1000);
    expect([...platform.journalStore.values()]).toMatchObject([{ name: 'n.mms', text: 'P0: mmap A 4K', savedAt: 1000 }]);
    await doc.journalNow(2000);
    expect(platform.journalStore.get(doc.journalId)!.savedAt).toBe(1000); // unchanged text: no rewrite
    await doc.save();
    expect(platform.journalStore.size).toBe(0);
  });

  it('the periodic journal writes within its interval', async () => {
    const { platform } = installFakes();
    const doc = useDocumentStore();
    doc.setText('typed');
    const stop = doc.startJournal(20);
    await new Promise((r) => setTimeout(r, 60));
    stop();
    expect(platform.journalStore.get(doc.journalId)?.text).toBe('typed');
  });

  it('offers what an earlier session left, restores it as unsaved, and keeps journalling into the same entry', async () => {
    const { platform } = installFakes();
    platform.journalStore.set('old', { id: 'old', path: '/w.mms', name: 'w.mms', text: 'lost work', savedAt: 5 });
    const doc = useDocumentStore();
    await doc.findRestorable();
    expect(doc.restoreOffer.map((e) => e.id)).toEqual(['old']);
    await doc.restore(doc.restoreOffer[0]);
    expect(doc.text).toBe('lost work');
    expect(doc.path).toBe('/w.mms');
    expect(doc.dirty).toBe(true);
    expect(doc.restoreOffer).toEqual([]);
    doc.setText('lost work, continued');
    await doc.journalNow();
    expect([...platform.journalStore.keys()]).toEqual(['old']);
  });

  it('discarding an offer deletes its journal entry', async () => {
    const { platform } = installFakes();
    platform.journalStore.set('old', { id: 'old', path: null, name: 'w.mms', text: 'x', savedAt: 5 });
    const doc = useDocumentStore();
    await doc.findRestorable();
    await doc.discardRestorable(doc.restoreOffer[0]);
    expect(platform.journalStore.size).toBe(0);
  });

  it('refuses a file over the size limit with one sentence, keeping the current text', async () => {
    installFakes();
    const doc = useDocumentStore();
    doc.load({ path: null, name: 'mine.mms', text: 'P0: exit' });
    await expect(doc.open({ path: '/big.mms', name: 'big.mms', text: 'x'.repeat(MAX_SOURCE_CHARS + 1) })).rejects.toThrow(/big\.mms .* at most 8\.0 MiB/);
    expect(doc.text).toBe('P0: exit');
  });

  it('asks before replacing unsaved text', () => {
    installFakes();
    const doc = useDocumentStore();
    expect(doc.mayReplace(() => false)).toBe(true); // clean
    doc.setText('unsaved');
    expect(doc.mayReplace(() => false)).toBe(false);
    expect(doc.mayReplace(() => true)).toBe(true);
  });
});

describe('run store', () => {
  it('runs the selected policies and lands on the last step', async () => {
    const { engine } = installFakes(5);
    const run = useRunStore();
    run.togglePolicy('v6.7', false);
    run.togglePolicy('ideal', true);
    await run.run('s.mms', 'P0: exit');
    const sent = engine.received.find((r) => r.type === 'run');
    expect(sent).toMatchObject({ policies: ['v6.9', 'rmapid', 'v6.15', 'ideal'], options: run.budget });
    expect(run.status).toBe('done');
    expect(run.runs.map((r) => r.policy)).toEqual(['v6.9', 'rmapid', 'v6.15', 'ideal']);
    expect(run.step).toBe(4);
  });

  it('steps first/back/forward/last and clamps at both ends', async () => {
    installFakes(3);
    const run = useRunStore();
    await run.run('s.mms', '');
    run.first();
    expect(run.step).toBe(-1);
    run.back();
    expect(run.step).toBe(-1);
    run.forward();
    run.forward();
    expect(run.step).toBe(1);
    run.last();
    run.forward();
    expect(run.step).toBe(2);
    run.setStep(99);
    expect(run.step).toBe(2);
  });

  it('keeps the results when the engine restarts, and rebuilds the session for queries', async () => {
    const { client } = installFakes(4);
    const run = useRunStore();
    await run.run('s.mms', 'src');
    const before = run.reply;
    // The engine dies; a fresh one knows no runs.
    client.detach();
    const fresh = new FakeEngine(4);
    client.attach(fresh);
    expect(run.reply).toBe(before);
    const answer = await run.query('v6.9', 2, { kind: 'processes' });
    expect(answer).toEqual({ kind: 'processes', processes: [{ name: 'v6.9@2' }] });
    const types = fresh.received.map((r) => r.type);
    expect(types).toEqual(['query', 'run', 'query']);
    expect(fresh.received[1]).toMatchObject({ runId: before!.runId, source: 'src' });
  });

  it('answers a repeated query from its cache', async () => {
    const { engine } = installFakes(2);
    const run = useRunStore();
    await run.run('s.mms', '');
    await run.query('v6.7', 1, { kind: 'processes' });
    await run.query('v6.7', 1, { kind: 'processes' });
    expect(engine.received.filter((r) => r.type === 'query')).toHaveLength(1);
  });

  it('Stop cancels the run, restarts the engine and keeps the earlier results', async () => {
    const { engine, platform } = installFakes(3);
    const run = useRunStore();
    await run.run('s.mms', 'first');
    const kept = run.reply;
    engine.answerRuns = false;
    const pending = run.run('s.mms', 'endless');
    await flush();
    expect(run.status).toBe('running');
    run.stop();
    await pending;
    expect(platform.restarts).toBe(1);
    expect(run.status).toBe('stopped');
    expect(run.message).toMatch(/stopped/);
    expect(run.reply).toBe(kept);
  });

  it('shows a budget stop in one sentence', async () => {
    installFakes(3);
    const run = useRunStore();
    await run.run('s.mms', '');
    run.accept({ ...run.reply!, runs: [{ ...run.runs[0], stopped: { reason: 'budget', message: 'stopped after 100 steps (budget)', atStep: 99 } }] }, run.lastRun!);
    expect(run.message).toBe('v6.7: stopped after 100 steps (budget)');
  });

  it('reports a scenario with errors without losing the previous results', async () => {
    installFakes(3);
    const run = useRunStore();
    await run.run('s.mms', '');
    const kept = run.reply;
    const diag = { line: 1, col: 1, endLine: 1, endCol: 2, severity: 'error' as const, code: 'x', message: 'bad' };
    run.accept({ runId: 'bad', title: 't', diagnostics: [diag], runs: [] }, { ...run.lastRun!, runId: 'bad' });
    expect(run.status).toBe('error');
    expect(run.message).toMatch(/1 error/);
    expect(run.reply).toBe(kept);
    expect(run.lastRun?.runId).toBe(kept!.runId);
    expect(run.diagnostics).toEqual([diag]);
  });
});
