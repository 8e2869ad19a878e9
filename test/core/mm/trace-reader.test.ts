// TraceReader (the views' column reads for scans over millions of events) must
// agree with the full decoder on every event, under every policy, for
// scenarios that produce every kind of event the examples have.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../../core/lang/checker';
import { decodeTraceEvent, runAll, TraceReader } from '../../../core/mm/index';

const dir = join(import.meta.dirname, '../../../examples');
const examples = readdirSync(dir).filter((f) => f.endsWith('.mms'));

describe('TraceReader', () => {
  it.each(examples)('%s: every field equals the decoded event', (file) => {
    const { scenario } = analyze(readFileSync(join(dir, file), 'utf8'), file);
    let faults = 0;
    for (const run of runAll(scenario)) {
      const r = new TraceReader(run.trace);
      expect(r.length).toBe(run.trace.length);
      for (let i = 0; i < run.trace.length; i++) {
        const e = decodeTraceEvent(run.trace, i);
        expect(r.kind(i)).toBe(e.kind);
        expect(r.process(i)).toBe(e.process);
        expect(r.mapping(i)).toBe(e.mapping);
        expect(r.page(i)).toBe(e.page ?? -1);
        expect(r.order(i)).toBe(e.order ?? -1);
        expect(r.decision(i)).toBe(e.fault?.decision);
        if (e.fault) faults++;
      }
    }
    expect(faults).toBeGreaterThan(0);
  });
});
