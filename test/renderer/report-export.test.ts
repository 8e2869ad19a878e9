import { beforeEach, describe, expect, it } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import { exportReport } from '../../renderer/src/report';
import { useDocumentStore } from '../../renderer/src/stores/document';
import { useRunStore } from '../../renderer/src/stores/run';
import { installFakes } from './helpers/fakes';

beforeEach(() => setActivePinia(createPinia()));

async function ranScenario() {
  const fakes = installFakes(3);
  const calls: { kind: string; name: string; content: string; bytes: boolean }[] = [];
  fakes.platform.reports.save = async (format, name, content) => {
    const bytes = content instanceof Uint8Array;
    calls.push({ kind: format, name, content: bytes ? new TextDecoder().decode(content) : content, bytes });
    return { path: `/r/${name}` };
  };
  fakes.platform.reports.savePdf = async (name, html) => (calls.push({ kind: 'pdf', name, content: html, bytes: false }), { path: `/r/${name}` });
  const doc = useDocumentStore();
  doc.load({ path: null, name: 'story.mms', text: 'scenario "<b>title</b>"\nP0: exit\n' });
  await useRunStore().run(doc.name, doc.text);
  return calls;
}

describe('report export', () => {
  it('renders the last run with core/report and saves it under the scenario name', async () => {
    const calls = await ranScenario();
    expect(await exportReport('md')).toBe('/r/story-report.md');
    expect(calls[0]).toMatchObject({ kind: 'md', name: 'story-report.md' });
    expect(calls[0].content).toContain('v6.7');
  });

  it('JSON and CSV travel as UTF-8 bytes (they can outgrow one string); HTML and Markdown as text', async () => {
    const calls = await ranScenario();
    await exportReport('json');
    await exportReport('csv');
    await exportReport('html');
    expect(calls.map((c) => [c.kind, c.bytes])).toEqual([['json', true], ['csv', true], ['html', false]]);
    expect(JSON.parse(calls[0].content).files[0].file).toBe('story.mms');
    expect(calls[1].content.split('\n')[0]).toContain('table');
  });

  it('PDF goes through the host as self-contained HTML', async () => {
    const calls = await ranScenario();
    await exportReport('pdf');
    expect(calls[0]).toMatchObject({ kind: 'pdf', name: 'story-report.pdf' });
    expect(calls[0].content).toMatch(/^<!doctype html>/i);
    // The scenario text is in the report, escaped.
    expect(calls[0].content).toContain('&lt;b&gt;title&lt;/b&gt;');
    expect(calls[0].content).not.toContain('<b>title</b>');
  });

  it('says what to do when nothing has run', async () => {
    installFakes();
    await expect(exportReport('html')).rejects.toThrow('Run the scenario first.');
  });
});
