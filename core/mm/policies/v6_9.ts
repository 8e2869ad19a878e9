// v6.9 .. v6.14: "mm: prohibit the last subpage from reusing the entire large
// folio" (Barry Song, v6.9): a large folio is never reused on a write fault;
// small folios keep the refcount-1 rule (kernel-semantics 2.2).

import type { Kernel } from '../kernel';
import { defineRule } from '../rules';
import { REASON, type EvidenceScratch } from '../trace';
import { folioEvidence, smallFolioRule, UntrackedPolicy } from './legacy';
import { verdict, type Policy, type WpVerdict } from './types';

const RULE_LARGE = defineRule('wp_can_reuse_anon_folio (v6.9): large folios are never reused');
const RULE_SMALL = defineRule('wp_can_reuse_anon_folio (v6.9): small folio, reuse at refcount 1');

export class PolicyV69 extends UntrackedPolicy implements Policy {
  readonly id = 'v6.9' as const;
  readonly base = 'v6.9';
  readonly mthp = true;
  readonly deferredSplit = 'v6.9' as const;
  readonly splitToZeropage = false;
  readonly hugeZeroWpAllocates = false;

  wpCanReuse(k: Kernel, f: number, _mmId: number, ev: EvidenceScratch): WpVerdict {
    if (k.mem.fOrder[f] > 0) {
      folioEvidence(k, f, ev);
      return verdict(REASON.COPY_LARGE_FOLIO, k.rule(RULE_LARGE));
    }
    return smallFolioRule(k, f, ev, k.rule(RULE_SMALL));
  }
}
