import { describe, expect, it } from 'vitest';
import { LOCAL_CHECK_MAX_CHARS, checkAnywhere, checkSource } from '../../renderer/src/composables/useLiveDiagnostics';
import { installFakes } from './helpers/fakes';

describe('live diagnostics', () => {
  it('checks small files in the page with the command line checker, positions included', () => {
    const d = checkSource('P0: mmap A 4K\nP0: madvise A hugepages\n', 's.mms');
    expect(d).toHaveLength(1);
    expect(d[0]).toMatchObject({ line: 2, severity: 'error' });
    expect(d[0].message).toMatch(/hugepages/);
    expect(checkSource('P0: mmap A 4K\nP0: write A\n', 's.mms')).toEqual([]);
  });

  it('sends big files to the engine so typing never waits on a long check', async () => {
    const { engine } = installFakes();
    const big = '# filler\n'.repeat(LOCAL_CHECK_MAX_CHARS / 9 + 1);
    const d = await checkAnywhere(big, 'big.mms');
    expect(engine.received.map((r) => r.type)).toEqual(['check']);
    expect(d[0].code).toBe('engine-checked');
    await checkAnywhere('P0: exit\n', 'small.mms');
    expect(engine.received).toHaveLength(1);
  });
});
