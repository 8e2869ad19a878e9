// `ideal`: an oracle, not a kernel. It reuses exactly when the folio is truly
// exclusive: every mapping belongs to the faulting mm and every reference is
// a mapping (after dropping a swapcache that no swap entry needs). It tracks
// the exact set of mms mapping each large folio.

import { F_SWAPCACHE } from '../constants';
import type { Kernel } from '../kernel';
import { folioFreeSwap } from '../swapcache';
import { defineRule } from '../rules';
import { REASON, type EvidenceScratch } from '../trace';
import { folioEvidence } from './legacy';
import { verdict, type Policy, type WpVerdict } from './types';

const RULE_IDEAL = defineRule('ideal: reuse exactly when no other mm maps the folio and every reference is a mapping');

export class PolicyIdeal implements Policy {
  readonly id = 'ideal' as const;
  readonly base = 'v6.15 paths, exact exclusivity';
  readonly mthp = true;
  readonly deferredSplit = 'v6.12' as const;
  readonly splitToZeropage = true;
  readonly hugeZeroWpAllocates = true;
  private nextId = 1;
  /** Large folio slot -> mm ID -> mappings. */
  private readonly owners = new Map<number, Map<number, number>>();

  mmCreate(): number {
    return this.nextId++;
  }
  mmDrop(): void {}
  growFolios(): void {}
  folioSet(f: number, _order: number, count: number, mmId: number): void {
    this.owners.set(f, new Map([[mmId, count]]));
  }
  folioAdd(f: number, _order: number, delta: number, mmId: number): void {
    let o = this.owners.get(f);
    if (o === undefined) this.owners.set(f, (o = new Map()));
    const c = (o.get(mmId) ?? 0) + delta;
    if (c === 0) o.delete(mmId);
    else o.set(mmId, c);
  }
  folioReset(f: number): void {
    this.owners.delete(f);
  }
  folioState(): undefined {
    return undefined;
  }

  wpCanReuse(k: Kernel, f: number, mmId: number, ev: EvidenceScratch): WpVerdict {
    const m = k.mem;
    const rule = k.rule(RULE_IDEAL);
    folioEvidence(k, f, ev);
    if (m.fFlags[f] & F_SWAPCACHE) folioFreeSwap(k, f);
    if (m.fOrder[f] === 0) {
      if (m.fMap[f] !== 1) return verdict(REASON.COPY_MAPPED_BY_OTHER_MM, rule);
    } else {
      const o = this.owners.get(f);
      if (o === undefined || o.size !== 1 || !o.has(mmId)) return verdict(REASON.COPY_MAPPED_BY_OTHER_MM, rule);
    }
    if (m.fRef[f] !== m.fMap[f]) return verdict(REASON.COPY_REFCOUNT_NE_MAPCOUNT, rule);
    return verdict(REASON.REUSE_ORACLE_EXCLUSIVE, rule);
  }
}
