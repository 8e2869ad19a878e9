// The platform and engine client the stores use. Set once at start-up
// (main.ts); tests set fakes.
import type { Platform } from './bridge';
import type { EngineClient } from './engine-client';

export interface Services {
  platform: Platform;
  client: EngineClient;
}

let current: Services | null = null;

export function setServices(s: Services): void {
  current = s;
}

export function services(): Services {
  if (!current) throw new Error('Folio Lab services used before start-up');
  return current;
}
