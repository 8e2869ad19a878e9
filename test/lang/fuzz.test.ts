import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SEEDS, checkInput, fuzzInput, mulberry32 } from './mutate';
import { scenarioSource } from './generate';

const examplesDir = join(__dirname, '../../examples');
const examples = existsSync(examplesDir)
  ? (readdirSync(examplesDir, { recursive: true }) as string[]).filter((f) => f.endsWith('.mms')).map((f) => readFileSync(join(examplesDir, f), 'utf8'))
  : [];

describe('fuzz: the front end never throws and always points inside the text', () => {
  it('2,000 mutated scenarios (seeded)', () => {
    const r = mulberry32(20261127);
    const seeds = [...SEEDS, ...examples];
    for (let i = 0; i < 2000; i++) {
      const src = fuzzInput(r, seeds);
      expect(checkInput(src), JSON.stringify(src.slice(0, 300))).toEqual([]);
    }
  });
  it('arbitrary strings (fast-check)', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (s) => checkInput(s).length === 0), { numRuns: 500 });
  });
  it('generated valid scenarios, mutated (fast-check)', () => {
    fc.assert(
      fc.property(scenarioSource(), fc.integer(), (src, seed) => {
        expect(checkInput(src)).toEqual([]);
        expect(checkInput(fuzzInput(mulberry32(seed), [src]))).toEqual([]);
      }),
      { numRuns: 500 },
    );
  });
});
