// The policy registry: one module per kernel generation behind `Policy`.

import type { PolicyId } from '../../lang/ast';
import { PolicyIdeal } from './ideal';
import { PolicyRmapId } from './rmapid';
import type { Policy } from './types';
import { PolicyV67 } from './v6_7';
import { PolicyV69 } from './v6_9';
import { PolicyV615 } from './v6_15';

const FACTORIES: Record<PolicyId, () => Policy> = {
  'v6.7': () => new PolicyV67(),
  'v6.9': () => new PolicyV69(),
  rmapid: () => new PolicyRmapId(),
  'v6.15': () => new PolicyV615(),
  ideal: () => new PolicyIdeal(),
};

/** A fresh policy instance (its ID allocator and tracking belong to one run), or undefined. */
export function createPolicy(id: string): Policy | undefined {
  const make = (FACTORIES as Record<string, (() => Policy) | undefined>)[id];
  return make?.();
}

export type { Policy } from './types';
