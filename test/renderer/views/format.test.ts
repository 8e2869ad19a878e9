import { describe, expect, it } from 'vitest';
import {
  formatAddress,
  formatBytes,
  formatBytesExact,
  formatCount,
  formatCounter,
  formatRanges,
  runs,
} from '../../../renderer/src/views/common/format';
import { mapperText, mappingPage } from '../../../renderer/src/views/common/folio-text';

describe('formatters', () => {
  it('formats sizes, exact sizes, addresses and counts', () => {
    expect(formatBytes(4096)).toBe('4 KiB');
    expect(formatBytes(1.5 * 2 ** 30)).toBe('1.5 GiB');
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytesExact(2 ** 21 + 4096)).toBe('2,052 KiB');
    expect(formatBytesExact(2 ** 30)).toBe('1 GiB');
    expect(formatBytesExact(0)).toBe('0 B');
    expect(formatAddress(0x7f0000005000)).toBe('0x7f0000005000');
    expect(formatAddress(0x1000)).toBe('0x000000001000');
    expect(formatCount(1048576)).toBe('1,048,576');
    expect(formatCounter('mem.peak', 2 ** 21)).toBe('2 MiB');
    expect(formatCounter('pgfault', 262144)).toBe('262,144');
  });

  it('compresses page lists and bit strips', () => {
    expect(formatRanges([5, 0, 1, 2, 7, 8])).toBe('0-2, 5, 7-8');
    expect(formatRanges([])).toBe('');
    expect(runs([true, true, false, false, false, true])).toEqual([
      { value: true, start: 0, length: 2 },
      { value: false, start: 2, length: 3 },
      { value: true, start: 5, length: 1 },
    ]);
  });
});

describe('mapperText', () => {
  it('names virtual pages when the engine says where the folio lines up, else folio pages', () => {
    expect(mapperText({ process: 'P1', mapping: 'A', pages: [0, 1, 2, 3], pmd: false, firstPage: 512 })).toBe('P1 A[512-515]');
    expect(mapperText({ process: 'P1', mapping: 'A', pages: [0, 1], pmd: true })).toBe('P1 A folio pages 0-1 (PMD)');
    expect(mappingPage({ process: 'P1', mapping: 'A', pages: [3], pmd: false, firstPage: 512 }, 3)).toBe(515);
    expect(mappingPage({ process: 'P1', mapping: 'A', pages: [3], pmd: false }, 3)).toBeNull();
  });
});
