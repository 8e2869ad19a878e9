// The contract validators: every request shape accepted, malformed ones named,
// engine messages checked on the renderer side, and no input makes them throw.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { validateEngineMessage, validateEngineRequest, validateJournalEntry, validateReportFormat, validateString } from '../../core/contract/validate';

const GOOD_REQUESTS = [
  { type: 'hello', id: 1, protocol: 1 },
  { type: 'check', id: 2, file: 'a.mms', source: '' },
  { type: 'run', id: 3, runId: 'run-1', file: 'a.mms', source: 'x', policies: ['v6.7', 'ideal'], options: { maxSteps: 10, timeBudgetMs: 5000, checkInvariants: false } },
  { type: 'cancel', id: 4, runId: 'run-1' },
  { type: 'dispose', id: 5, runId: 'run-1' },
  { type: 'query', id: 6, runId: 'run-1', policy: 'rmapid', step: -1, query: { kind: 'processes' } },
  { type: 'query', id: 7, runId: 'r', policy: 'v6.15', step: 3, query: { kind: 'cells', process: 'P0', mapping: 'A', from: 0, count: 512 } },
  { type: 'query', id: 8, runId: 'r', policy: 'v6.15', step: 3, query: { kind: 'walk', process: 'P0', mapping: 'A', page: 7 } },
  { type: 'query', id: 9, runId: 'r', policy: 'v6.15', step: 3, query: { kind: 'folios', offset: 0, limit: 100 } },
  { type: 'query', id: 10, runId: 'r', policy: 'v6.15', step: 3, query: { kind: 'folio', pfn: 12 } },
];

describe('validateEngineRequest', () => {
  it('accepts every request type of the contract', () => {
    for (const r of GOOD_REQUESTS) expect(validateEngineRequest(r), JSON.stringify(r)).toEqual({ ok: true, value: r });
  });

  it('names what is wrong', () => {
    const msg = (v: unknown) => {
      const r = validateEngineRequest(v);
      return r.ok ? 'OK' : r.message;
    };
    expect(msg({ type: 'hello', id: 1.5, protocol: 1 })).toMatch(/integer id/);
    expect(msg({ ...GOOD_REQUESTS[2], options: { maxSteps: 0 } })).toMatch(/options.maxSteps/);
    expect(msg({ ...GOOD_REQUESTS[2], options: { shouldStop: true } })).toMatch(/options.shouldStop is not a run option/);
    expect(msg({ ...GOOD_REQUESTS[2], policies: ['v6.8'] })).toMatch(/unknown policy "v6.8"/);
    expect(msg({ ...GOOD_REQUESTS[2], runId: 'a b' })).toMatch(/runId/);
    expect(msg({ ...GOOD_REQUESTS[6], step: -2 })).toMatch(/step >= -1/);
    expect(msg({ ...GOOD_REQUESTS[6], query: { kind: 'cells', process: 'P0', mapping: 'A', from: 0, count: 2 ** 25 } })).toMatch(/more than/);
    expect(msg({ type: '__proto__', id: 1 })).toMatch(/unknown request type/);
  });

  it('never throws, whatever arrives (3,000 random values)', () => {
    fc.assert(
      fc.property(fc.oneof(fc.anything(), fc.record({ type: fc.constantFrom('hello', 'check', 'run', 'cancel', 'query', 'dispose'), id: fc.anything(), runId: fc.anything(), query: fc.anything(), options: fc.anything(), policies: fc.anything() })), (v) => {
        const r = validateEngineRequest(v);
        expect(typeof r.ok).toBe('boolean');
      }),
      { numRuns: 3_000 },
    );
  });
});

describe('validateEngineMessage (renderer side)', () => {
  it('accepts replies and events, rejects the rest', () => {
    expect(validateEngineMessage({ type: 'reply', id: 1, ok: true, body: null }).ok).toBe(true);
    expect(validateEngineMessage({ type: 'reply', id: 1, ok: false, error: { code: 'bad-request', message: 'x' } }).ok).toBe(true);
    expect(validateEngineMessage({ type: 'progress', runId: 'r', policy: 'v6.9', step: 1, steps: 2 }).ok).toBe(true);
    expect(validateEngineMessage({ type: 'log', level: 'warn', message: 'm' }).ok).toBe(true);
    expect(validateEngineMessage({ type: 'reply', id: 1, ok: true }).ok).toBe(false);
    expect(validateEngineMessage({ type: 'reply', id: 1, ok: false, error: 'x' }).ok).toBe(false);
    expect(validateEngineMessage({ type: 'log', level: 'debug', message: 'm' }).ok).toBe(false);
    expect(validateEngineMessage([1]).ok).toBe(false);
  });
});

describe('IPC argument validators', () => {
  it('journal entries, report formats, bounded strings', () => {
    const e = { id: 'abc_1', path: null, name: 'a.mms', text: 'x', savedAt: 1 };
    expect(validateJournalEntry({ ...e, extra: 'dropped' })).toEqual({ ok: true, value: e });
    expect(validateJournalEntry({ ...e, savedAt: NaN }).ok).toBe(false);
    expect(validateJournalEntry({ ...e, path: 3 }).ok).toBe(false);
    expect(validateJournalEntry({ ...e, text: 'x'.repeat(8 * 1024 * 1024 + 1) }).ok).toBe(false);
    expect(validateReportFormat('pdf').ok).toBe(true);
    expect(validateReportFormat('exe').ok).toBe(false);
    expect(validateString('abc', 'name', 3).ok).toBe(true);
    expect(validateString('abcd', 'name', 3)).toEqual({ ok: false, message: 'name is longer than 3 characters' });
  });
});
