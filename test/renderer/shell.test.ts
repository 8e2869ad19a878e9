// Components of the shell that do not draw (Monaco and the canvas views are covered by the e2e tests).
import { beforeEach, describe, expect, it } from 'vitest';
import { mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import AppToolbar from '../../renderer/src/components/AppToolbar.vue';
import MessageBanner from '../../renderer/src/components/MessageBanner.vue';
import ProblemsList from '../../renderer/src/components/ProblemsList.vue';
import StatusBar from '../../renderer/src/components/StatusBar.vue';
import StepControls from '../../renderer/src/components/StepControls.vue';
import { useDocumentStore } from '../../renderer/src/stores/document';
import { useRunStore } from '../../renderer/src/stores/run';
import { installFakes } from './helpers/fakes';

const opts = { global: { plugins: [] as ReturnType<typeof createPinia>[] } };
beforeEach(() => {
  const pinia = createPinia();
  setActivePinia(pinia);
  opts.global.plugins = [pinia];
});
const byLabel = (w: ReturnType<typeof mount>, label: string) => w.find(`[aria-label="${label}"]`);

describe('step controls', () => {
  it('are disabled before a run and follow the run store after', async () => {
    installFakes(4);
    const w = mount(StepControls, opts);
    expect(byLabel(w, 'Step forward').attributes('disabled')).toBeDefined();
    expect(w.text()).toContain('no run');
    const run = useRunStore();
    await run.run('s.mms', '');
    await w.vm.$nextTick();
    expect(w.get('[data-testid=step-label]').text()).toBe('step 3/3: P0: write A[3]');
    await byLabel(w, 'First step').trigger('click');
    expect(run.step).toBe(-1);
    expect(w.get('[data-testid=step-label]').text()).toBe('before step 0 (steps 0-3)');
    await byLabel(w, 'Step forward').trigger('click');
    await byLabel(w, 'Step forward').trigger('click');
    expect(run.step).toBe(1);
    await byLabel(w, 'Step back').trigger('click');
    expect(run.step).toBe(0);
    const slider = byLabel(w, 'Step');
    (slider.element as HTMLInputElement).value = '2';
    await slider.trigger('input');
    expect(run.step).toBe(2);
    await byLabel(w, 'Last step').trigger('click');
    expect(run.step).toBe(3);
    expect(byLabel(w, 'Step forward').attributes('disabled')).toBeDefined();
  });
});

describe('toolbar', () => {
  it('has a checkbox per policy named by its id, and Run/Stop that follow the run state', async () => {
    const { engine } = installFakes(2);
    const w = mount(AppToolbar, { ...opts, props: { examples: [], mode: 'browser', reportFormats: ['html'] } });
    for (const id of ['v6.7', 'v6.9', 'rmapid', 'v6.15', 'ideal']) expect(byLabel(w, id).exists()).toBe(true);
    await byLabel(w, 'v6.9').setValue(false);
    expect(useRunStore().selected).toEqual(['v6.7', 'rmapid', 'v6.15']);
    const buttons = (name: string) => w.findAll('button').find((b) => b.text() === name)!;
    await buttons('Run').trigger('click');
    expect(w.emitted('command')).toEqual([['run']]);
    engine.answerRuns = false;
    void useRunStore().run('s.mms', '');
    await w.vm.$nextTick();
    expect(buttons('Run').attributes('disabled')).toBeDefined();
    expect(buttons('Stop').attributes('disabled')).toBeUndefined();
  });

  it('lists the examples by group and emits the chosen one', async () => {
    installFakes();
    const examples = [
      { name: 'a.mms', group: '', text: 'x', title: 'A story' },
      { name: 'cow/b.mms', group: 'cow', text: 'y', title: 'B' },
    ];
    const w = mount(AppToolbar, { ...opts, props: { examples, mode: 'browser', reportFormats: [] } });
    expect(w.text()).toContain('cow/');
    const item = w.findAll('[role=menuitem]').find((b) => b.text() === 'B')!;
    await item.trigger('click');
    expect(w.emitted('example')).toEqual([[examples[1]]]);
  });

  it('budget inputs change the run budget; nonsense is ignored', async () => {
    installFakes();
    const w = mount(AppToolbar, { ...opts, props: { examples: [], mode: 'browser', reportFormats: [] } });
    const inputs = w.findAll('input[type=number]');
    await inputs[0].setValue('500');
    await inputs[2].setValue('2.5');
    await inputs[1].setValue('-3');
    const run = useRunStore();
    expect(run.budget.maxSteps).toBe(500);
    expect(run.budget.timeBudgetMs).toBe(2500);
    expect(run.budget.maxPageOps).toBeGreaterThan(0);
  });
});

describe('status bar', () => {
  it('shows the engine state, the mode and the counters at the selected step', async () => {
    installFakes(3);
    const run = useRunStore();
    run.engineState = 'ready';
    const w = mount(StatusBar, { ...opts, props: { mode: 'browser', diagnostics: [] } });
    expect(w.get('[data-testid=engine-state]').text()).toBe('engine: ready');
    expect(w.get('[data-testid=mode]').text()).toBe('mode: browser');
    await run.run('s.mms', '');
    run.setStep(1);
    await w.vm.$nextTick();
    expect(w.get('[data-testid=counters]').text()).toMatch(/v6\.7 · pgfault 2 .* mem 8 KiB/);
  });
});

describe('problems and banner', () => {
  it('lists diagnostics as file:line:col and reveals the one clicked', async () => {
    const d = { line: 3, col: 7, endLine: 3, endCol: 9, severity: 'error' as const, code: 'x', message: 'unknown advice' };
    const w = mount(ProblemsList, { props: { diagnostics: [d], file: 's.mms' } });
    expect(w.text()).toContain('s.mms:3:7');
    await w.get('button').trigger('click');
    expect(w.emitted('reveal')).toEqual([[3, 7]]);
  });

  it('shows the run message in one line and offers to restore journalled work', async () => {
    const { platform } = installFakes();
    platform.journalStore.set('j', { id: 'j', path: null, name: 'lost.mms', text: 'P0: exit', savedAt: 1 });
    const doc = useDocumentStore();
    await doc.findRestorable();
    const run = useRunStore();
    run.message = 'The engine stopped: out of memory.';
    const w = mount(MessageBanner, opts);
    expect(w.get('[data-testid=banner]').text()).toContain('The engine stopped: out of memory.');
    expect(w.get('[data-testid=restore-offer]').text()).toContain('lost.mms');
    await w.findAll('button').find((b) => b.text() === 'Restore')!.trigger('click');
    await new Promise((r) => setTimeout(r, 0));
    expect(doc.text).toBe('P0: exit');
    expect(doc.dirty).toBe(true);
  });
});
