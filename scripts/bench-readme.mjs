// Writes the figures of bench/results.json into README.md, between the
// `<!-- bench:start -->` and `<!-- bench:end -->` markers. `npm run bench`
// calls it after a full run (a --quick run leaves the README alone).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { root } from './bundle.mjs';

const START = '<!-- bench:start -->';
const END = '<!-- bench:end -->';
const r = JSON.parse(readFileSync(join(root, 'bench/results.json'), 'utf8'));
const fmt = (x) => (x === undefined || x === null ? '' : x < 10 ? x.toFixed(3) : x.toFixed(1));
const us = (x) => `${x.toFixed(2)} us`;
const pages = (x) => (x.reused < 0 ? 'PFNs hidden from this user' : `${x.reused} pages reused, ${x.copied} copied`);

const lines = [
  `Last full run (${r.date.slice(0, 10)}, ${r.machine.cores} cores, Node ${r.machine.node}, host kernel ${r.machine.kernel}, ` +
    `median of ${r.runs}; the kernel column is the same work on the host kernel, measured in the same rounds):`,
  '',
  '| case | unit | median | min | max | kernel | sim/kernel | note |',
  '|---|---|---|---|---|---|---|---|',
  ...r.cases.map((c) => `| ${c.name} | ${c.unit} | ${fmt(c.median)} | ${fmt(c.min)} | ${fmt(c.max)} | ${fmt(c.kernel)} | ${c.ratio ? c.ratio.toFixed(2) : ''} | ${c.note ?? ''} |`),
  '',
  `Time per reuse fault from 64 MiB to 16 GiB (v6.15), median / mean / fastest of the rounds: ${r.growth.map((g) => `${g.mb}M ${[g.usPerFault, g.meanUsPerFault, g.minUsPerFault].map(us).join(' / ')}`).join(', ')}.`,
  `Time per COW fault with 2 to 256 processes mapping the folios (v6.15): ${r.processes.map((p) => `${p.n}: ${us(p.usPerFault)}`).join(', ')}.`,
  ...(r.kernelPages
    ? [
        `What the host kernel's writes did (pagemap, all runs): cow-reuse ${pages(r.kernelPages.reuse)}; cow-copy ${pages(r.kernelPages.copy)}.`,
      ]
    : []),
];

const readme = readFileSync(join(root, 'README.md'), 'utf8');
const i = readme.indexOf(START);
const j = readme.indexOf(END);
if (i < 0 || j < i) throw new Error(`README.md has no ${START} ... ${END} section`);
writeFileSync(join(root, 'README.md'), readme.slice(0, i + START.length) + '\n' + lines.join('\n') + '\n' + readme.slice(j));
console.log('README.md: benchmark section updated');
