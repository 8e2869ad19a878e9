import { describe, expect, it } from 'vitest';
import { escapeHtml, escapeMarkdown, markdownCode, markdownFence } from '../../core/report/escape';
import { count, formatBytes, formatCounter, formatInt } from '../../core/report/format';

describe('report text helpers', () => {
  it('formats numbers and exact binary sizes', () => {
    expect([0, 7, 1234, 1234567, -1234567, 2.5].map(formatInt)).toEqual(['0', '7', '1,234', '1,234,567', '-1,234,567', '2.5']);
    expect([0, 1000, 4096, 2097152, 2101248, 1536, 1 << 30].map(formatBytes)).toEqual(['0 B', '1,000 B', '4 KiB', '2 MiB', '2,052 KiB', '1,536 B', '1 GiB']);
    expect(formatCounter('rss', 2097152)).toBe('2,097,152 (2 MiB)');
    expect(formatCounter('pgfault', 2097152)).toBe('2,097,152');
    expect([count(1, 'fault'), count(2, 'fault'), count(1000, 'fault site')]).toEqual(['1 fault', '2 faults', '1,000 fault sites']);
  });

  it('escapes for HTML and Markdown', () => {
    expect(escapeHtml(`<a href="x" onclick='y'>&amp;</a>`)).toBe('&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt;');
    expect(escapeMarkdown('a|b *c* <d> `e` \\ [f](g)\nh')).toBe('a\\|b \\*c\\* \\<d\\> \\`e\\` \\\\ \\[f\\](g) h');
    expect(markdownCode('P0.pgreuse == 1')).toBe('`P0.pgreuse == 1`');
    expect(markdownCode('a `b` c')).toBe('``a `b` c``');
    expect(markdownCode('a|b')).toBe('a\\|b');
    expect([markdownFence('no ticks'), markdownFence('``` and ````` here')]).toEqual(['```', '``````']);
  });
});
