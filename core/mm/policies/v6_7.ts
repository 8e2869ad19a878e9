// v6.7 (pre-series baseline, also v6.8): large folios run through the
// small-folio logic of `wp_can_reuse_anon_folio`, so a PTE-mapped large folio
// is reused only at refcount 1, i.e. when one page is left mapped (2.2).

import type { Kernel } from '../kernel';
import { defineRule } from '../rules';
import type { EvidenceScratch } from '../trace';
import { smallFolioRule, UntrackedPolicy } from './legacy';
import type { Policy, WpVerdict } from './types';

const RULE_LARGE = defineRule('wp_can_reuse_anon_folio (v6.7): large folio takes the small-folio path, reuse only at refcount 1');
const RULE_SMALL = defineRule('wp_can_reuse_anon_folio (v6.7): small folio, reuse at refcount 1');

export class PolicyV67 extends UntrackedPolicy implements Policy {
  readonly id = 'v6.7' as const;
  readonly base = 'v6.7';
  readonly mthp = false; // mTHP arrived in v6.8
  readonly deferredSplit = 'v6.7' as const;
  readonly splitToZeropage = false;
  readonly hugeZeroWpAllocates = false;

  wpCanReuse(k: Kernel, f: number, _mmId: number, ev: EvidenceScratch): WpVerdict {
    return smallFolioRule(k, f, ev, k.rule(k.mem.fOrder[f] > 0 ? RULE_LARGE : RULE_SMALL));
  }
}
