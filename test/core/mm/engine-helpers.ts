// Helpers for the engine-level tests (traces, reuse table, rmap-ID overflow):
// parse a scenario, run it under a policy and read the state and decisions of
// labelled steps. A step is labelled by a trailing comment `# @name`.

import { expect } from 'vitest';
import type { PolicyId, Scenario } from '../../../core/lang/ast';
import { parseScenario } from '../../../core/lang/parser';
import type { FaultInfo, FolioView, PageWalk, Session, StateQuery, TraceEvent } from '../../../core/mm/api';
import { createSession } from '../../../core/mm/index';
import { rmapSubids } from '../../../core/mm/rmap-id';
import { decodeTraceEvent } from '../../../core/mm/trace';

export const POLICIES: readonly PolicyId[] = ['v6.7', 'v6.9', 'rmapid', 'v6.15'];

export function parse(source: string, file = 'test.mms'): Scenario {
  const { scenario, diagnostics } = parseScenario(source, file);
  expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return scenario;
}

export class Run {
  readonly session: Session;
  private readonly labels = new Map<string, number>();

  constructor(
    readonly scenario: Scenario,
    readonly policy: PolicyId,
  ) {
    this.session = createSession(scenario, policy, { checkInvariants: true });
    for (const c of scenario.comments) {
      const m = /#\s*@(\w+)/.exec(c.text);
      if (!m) continue;
      const step = scenario.steps.find((s) => s.span.line === c.line);
      if (step) this.labels.set(m[1], step.index);
    }
  }

  step(label: string): number {
    const i = this.labels.get(label);
    if (i === undefined) throw new Error(`no step labelled @${label}`);
    return i;
  }

  /** State after the labelled step. */
  at(label: string): StateQuery {
    return this.session.at(this.step(label));
  }

  walk(label: string, process: string, mapping: string, page: number): PageWalk {
    const w = this.at(label).pageWalk(process, mapping, page);
    if (w === null) throw new Error(`no page walk for ${process} ${mapping}[${page}] after @${label}`);
    return w;
  }

  folio(label: string, process: string, mapping: string, page: number): FolioView {
    const f = this.walk(label, process, mapping, page).folio;
    if (f === null) throw new Error(`${process} ${mapping}[${page}] maps no folio after @${label}`);
    return f;
  }

  mmId(label: string, process: string): number | undefined {
    return this.at(label).processes().find((p) => p.name === process)?.mmId;
  }

  events(label: string): TraceEvent[] {
    const rec = this.session.result.steps[this.step(label)];
    const out: TraceEvent[] = [];
    for (let i = rec.firstEvent; i < rec.endEvent; i++) out.push(decodeTraceEvent(this.session.result.trace, i));
    return out;
  }

  /** The one write-protect/unshare decision of the labelled step. */
  decision(label: string): FaultInfo {
    const faults = this.events(label).filter((e) => e.kind === 'fault' && (e.fault!.type === 'wp' || e.fault!.type === 'unshare'));
    expect(faults.length, `wp/unshare faults in @${label}`).toBe(1);
    return faults[0].fault!;
  }
}

export function run(source: string, policy: PolicyId): Run {
  return new Run(parse(source), policy);
}

/** The rmap values (decimal u64 strings) of `counts` mappings per rmap ID of an order-`order` folio. */
export function rmapValuesOf(order: number, counts: [id: number, n: number][]): string[] {
  return rmapSubids(order, 0).map((_, j) =>
    String(BigInt.asUintN(64, counts.reduce((sum, [id, n]) => sum + BigInt(n) * rmapSubids(order, id)[j], 0n))),
  );
}
