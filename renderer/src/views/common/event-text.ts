// Events in words, shared by the trace view and the page inspector's history.

import type { Evidence, TraceEvent } from '../../../../core/mm/api';

/** `A[5]` or '' when the event concerns no page. */
export function pageRef(e: TraceEvent): string {
  return e.mapping !== undefined ? `${e.mapping}[${e.page ?? '?'}]` : '';
}

/** One line: "fault wp pte A[5] → copy COPY_MAPPED_BY_OTHER_MM" or "split-pmd A[0] order 9: ...". */
export function eventSummary(e: TraceEvent): string {
  const parts: string[] = [e.kind];
  if (e.fault) parts.push(e.fault.type, e.fault.level);
  const ref = pageRef(e);
  if (ref) parts.push(ref);
  if (e.fault) parts.push('→', e.fault.decision, e.fault.reason);
  else if (e.order !== undefined && e.order > 0) parts.push(`order ${e.order}`);
  const text = parts.join(' ');
  return e.message ? `${text}: ${e.message}` : text;
}

/** The evidence a policy looked at, as label/value rows in a fixed order. */
export function evidenceRows(ev: Evidence): { label: string; value: string }[] {
  const rows: { label: string; value: string }[] = [];
  const add = (label: string, v: unknown): void => {
    if (v !== undefined) rows.push({ label, value: String(v) });
  };
  add('refcount', ev.refcount);
  add('mapcount', ev.mapcount);
  add('entire mapcount', ev.entireMapcount);
  add('page mapcount', ev.pageMapcount);
  add('nr pages', ev.nrPages);
  add('pincount', ev.pincount);
  add('PageAnonExclusive', ev.anonExclusive);
  add('swapcache', ev.swapcache);
  if (ev.rmapValues) add('rmap values', ev.rmapValues.join(', '));
  if (ev.rmapExpected) add('rmap values if only this mm maps it', ev.rmapExpected.join(', '));
  add('rmap seqcount', ev.rmapSeq);
  if (ev.mmSlots) add('MM slots', ev.mmSlots.map((s) => `mm ${s.mmId}: ${s.mapcount}`).join(', '));
  add('maybe mapped shared', ev.maybeMappedShared);
  return rows;
}
