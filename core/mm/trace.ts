// The trace: one row per event in columnar typed arrays (no object or string
// per event on the hot path), decoded lazily by `decodeTraceEvent`.

import type {
  EventKind,
  Evidence,
  FaultDecision,
  FaultLevel,
  FaultType,
  ReasonCode,
  TraceData,
  TraceEvent,
} from './api';
import { REASON_CODES } from './api';
import { PAGE_SHIFT } from './constants';
import { rmapSubids } from './rmap-id';

export const EVENT_KINDS: readonly EventKind[] = [
  'fault',
  'folio-alloc',
  'folio-free',
  'thp-fallback',
  'split-pmd',
  'deferred-split',
  'split-folio',
  'split-folio-failed',
  'collapse',
  'fork-copy',
  'swap-out',
  'swap-in',
  'pin',
  'unpin',
  'gup-get',
  'pipe-close',
  'syscall-error',
  'violation',
  'invariant',
  'policy-note',
];
export const EV: { [K in EventKind]: number } = Object.fromEntries(EVENT_KINDS.map((k, i) => [k, i])) as never;
export const FAULT_TYPES: readonly FaultType[] = ['anon', 'wp', 'unshare', 'swapin'];
export const FAULT_LEVELS: readonly FaultLevel[] = ['pte', 'pmd'];
export const DECISIONS: readonly FaultDecision[] = ['alloc', 'reuse', 'copy', 'split-fallback'];
export const REASON: { [K in ReasonCode]: number } = Object.fromEntries(REASON_CODES.map((k, i) => [k, i])) as never;

// Evidence mask bits.
const M_REF = 1;
const M_MAP = 2;
const M_ENTIRE = 4;
const M_PAGEMAP = 8;
const M_PIN = 16;
const M_PAE = 32;
const M_SWAPCACHE = 64;
const M_RMAP = 128;
const M_SLOTS = 256;
const M_NR = 512;

/** What a policy looked at, filled in place (one reusable object per run). */
export class EvidenceScratch {
  mask = 0;
  refcount = 0;
  mapcount = 0;
  entire = 0;
  pageMapcount = 0;
  pincount = 0;
  nrPages = 0;
  pae = false;
  swapcache = false;
  rmapVals: readonly bigint[] | null = null;
  rmapId = 0;
  rmapSeq = 0;
  slots: { mmId: number; mapcount: number }[] | null = null;
  shared = false;
  clear(): this {
    this.mask = 0;
    return this;
  }
  folio(refcount: number, mapcount: number, entire: number, nrPages: number): this {
    this.refcount = refcount;
    this.mapcount = mapcount;
    this.entire = entire;
    this.nrPages = nrPages;
    this.mask |= M_REF | M_MAP | M_ENTIRE | M_NR;
    return this;
  }
  page(pageMapcount: number, pae: boolean): this {
    this.pageMapcount = pageMapcount;
    this.pae = pae;
    this.mask |= M_PAGEMAP | M_PAE;
    return this;
  }
  pins(pincount: number): this {
    this.pincount = pincount;
    this.mask |= M_PIN;
    return this;
  }
  inSwapcache(v: boolean): this {
    this.swapcache = v;
    this.mask |= M_SWAPCACHE;
    return this;
  }
  rmap(vals: readonly bigint[], rmapId: number, seq: number): this {
    this.rmapVals = vals;
    this.rmapId = rmapId;
    this.rmapSeq = seq;
    this.mask |= M_RMAP;
    return this;
  }
  mmSlots(slots: { mmId: number; mapcount: number }[], shared: boolean): this {
    this.slots = slots;
    this.shared = shared;
    this.mask |= M_SLOTS;
    return this;
  }
}

const I32_COLS = [
  'step', 'proc', 'map', 'page', 'vpn', 'pfn', 'msg', 'rule',
  'ref', 'mapc', 'entire', 'pagemap', 'pin', 'nr',
  'r0lo', 'r0hi', 'r1lo', 'r1hi', 'r2lo', 'r2hi', 'rid',
  's0id', 's0cnt', 's1id', 's1cnt',
] as const;
const U8_COLS = ['kind', 'order', 'ftype', 'level', 'decision', 'reason'] as const;
type I32Col = (typeof I32_COLS)[number];
type U8Col = (typeof U8_COLS)[number];

const LO = 0xffffffffn;

export class Trace {
  length = 0;
  private cap = 256;
  i32 = {} as Record<I32Col, Int32Array>;
  u8 = {} as Record<U8Col, Uint8Array>;
  mask = new Uint16Array(256);
  bits = new Uint8Array(256);
  seq = new Float64Array(256);
  readonly strings: string[] = [];
  private readonly stringIdx = new Map<string, number>();
  readonly processNames: string[];

  constructor(processNames: string[]) {
    this.processNames = processNames;
    for (const c of I32_COLS) this.i32[c] = new Int32Array(this.cap);
    for (const c of U8_COLS) this.u8[c] = new Uint8Array(this.cap);
  }

  intern(s: string): number {
    let i = this.stringIdx.get(s);
    if (i === undefined) {
      i = this.strings.length;
      this.strings.push(s);
      this.stringIdx.set(s, i);
    }
    return i;
  }

  private row(): number {
    if (this.length === this.cap) {
      const n = this.cap * 2;
      for (const c of I32_COLS) {
        const a = new Int32Array(n);
        a.set(this.i32[c]);
        this.i32[c] = a;
      }
      for (const c of U8_COLS) {
        const a = new Uint8Array(n);
        a.set(this.u8[c]);
        this.u8[c] = a;
      }
      const m = new Uint16Array(n);
      m.set(this.mask);
      this.mask = m;
      const b = new Uint8Array(n);
      b.set(this.bits);
      this.bits = b;
      const s = new Float64Array(n);
      s.set(this.seq);
      this.seq = s;
      this.cap = n;
    }
    return this.length++;
  }

  /** A non-fault event. `map` is an interned mapping name or -1; `msg` is built only for rare events. */
  event(kind: number, step: number, proc: number, map: number, page: number, vpn: number, pfn: number, order: number, msg: string | null): number {
    const r = this.row();
    const c = this.i32;
    c.step[r] = step;
    c.proc[r] = proc;
    c.map[r] = map;
    c.page[r] = page;
    c.vpn[r] = vpn;
    c.pfn[r] = pfn;
    c.msg[r] = msg === null ? -1 : this.intern(msg);
    this.u8.kind[r] = kind;
    this.u8.order[r] = order < 0 ? 255 : order;
    this.mask[r] = 0;
    return r;
  }

  fault(
    step: number, proc: number, map: number, page: number, vpn: number, pfn: number, order: number,
    type: number, level: number, decision: number, reason: number, rule: number, ev: EvidenceScratch,
  ): void {
    const r = this.event(EV.fault, step, proc, map, page, vpn, pfn, order, null);
    const c = this.i32;
    const u = this.u8;
    u.ftype[r] = type;
    u.level[r] = level;
    u.decision[r] = decision;
    u.reason[r] = reason;
    c.rule[r] = rule;
    const m = ev.mask;
    this.mask[r] = m;
    c.ref[r] = ev.refcount;
    c.mapc[r] = ev.mapcount;
    c.entire[r] = ev.entire;
    c.nr[r] = ev.nrPages;
    c.pagemap[r] = ev.pageMapcount;
    c.pin[r] = ev.pincount;
    this.bits[r] = (ev.pae ? 1 : 0) | (ev.swapcache ? 2 : 0) | (ev.shared ? 4 : 0);
    if (m & M_RMAP) {
      const v = ev.rmapVals!;
      c.r0lo[r] = Number(v[0] & LO);
      c.r0hi[r] = Number(v[0] >> 32n);
      if (v.length > 1) {
        c.r1lo[r] = Number(v[1] & LO);
        c.r1hi[r] = Number(v[1] >> 32n);
      }
      if (v.length > 2) {
        c.r2lo[r] = Number(v[2] & LO);
        c.r2hi[r] = Number(v[2] >> 32n);
      }
      c.rid[r] = ev.rmapId;
      this.seq[r] = ev.rmapSeq;
    }
    if (m & M_SLOTS) {
      const s = ev.slots!;
      c.s0id[r] = s[0].mmId;
      c.s0cnt[r] = s[0].mapcount;
      c.s1id[r] = s[1].mmId;
      c.s1cnt[r] = s[1].mapcount;
    }
  }

  /** Attach a sentence to the last event (e.g. a CONFIG_DEBUG_VM note). */
  note(r: number, msg: string): void {
    this.i32.msg[r] = this.intern(msg);
  }

  data(): TraceData {
    const n = this.length;
    const columns: TraceData['columns'] = {};
    for (const c of I32_COLS) columns[c] = this.i32[c].slice(0, n);
    for (const c of U8_COLS) columns[c] = this.u8[c].slice(0, n);
    columns.mask = this.mask.slice(0, n);
    columns.bits = this.bits.slice(0, n);
    columns.seq = this.seq.slice(0, n);
    // Process names ride along at the end of the string table, after a marker.
    const strings = [...this.strings, '\u0000procs', ...this.processNames];
    return { length: n, columns, strings, extra: {} };
  }
}

function u64(lo: number, hi: number): bigint {
  return (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0);
}

export function decodeTraceEvent(trace: TraceData, i: number): TraceEvent {
  const col = trace.columns;
  const g = (name: string): number => (col[name] as ArrayLike<number>)[i];
  const procStart = trace.strings.indexOf('\u0000procs') + 1;
  const ev: TraceEvent = { index: i, step: g('step'), kind: EVENT_KINDS[g('kind')] };
  const proc = g('proc');
  if (proc >= 0 && procStart > 0) ev.process = trace.strings[procStart + proc];
  const map = g('map');
  if (map >= 0) {
    ev.mapping = trace.strings[map];
    ev.page = g('page');
  }
  const vpn = g('vpn');
  if (vpn >= 0) ev.address = vpn * 2 ** PAGE_SHIFT;
  const pfn = g('pfn');
  if (pfn >= 0) ev.pfn = pfn;
  const order = g('order');
  if (order !== 255) ev.order = order;
  const msg = g('msg');
  if (msg >= 0) ev.message = trace.strings[msg];
  if (ev.kind === 'fault') {
    const m = g('mask');
    const bits = g('bits');
    const e: Evidence = {};
    if (m & M_REF) e.refcount = g('ref');
    if (m & M_MAP) e.mapcount = g('mapc');
    if (m & M_ENTIRE) e.entireMapcount = g('entire');
    if (m & M_NR) e.nrPages = g('nr');
    if (m & M_PAGEMAP) e.pageMapcount = g('pagemap');
    if (m & M_PAE) e.anonExclusive = (bits & 1) !== 0;
    if (m & M_PIN) e.pincount = g('pin');
    if (m & M_SWAPCACHE) e.swapcache = (bits & 2) !== 0;
    if (m & M_RMAP) {
      const o = order === 255 ? 0 : order;
      const nv = rmapSubids(o, 0).length;
      const vals = [u64(g('r0lo'), g('r0hi')), u64(g('r1lo'), g('r1hi')), u64(g('r2lo'), g('r2hi'))].slice(0, nv);
      e.rmapValues = vals.map(String);
      const mc = BigInt(g('mapc'));
      e.rmapExpected = rmapSubids(o, g('rid')).map((s) => String(BigInt.asUintN(64, mc * s)));
      e.rmapSeq = g('seq');
    }
    if (m & M_SLOTS) {
      e.mmSlots = [
        { mmId: g('s0id'), mapcount: g('s0cnt') },
        { mmId: g('s1id'), mapcount: g('s1cnt') },
      ];
      e.maybeMappedShared = (bits & 4) !== 0;
    }
    ev.fault = {
      type: FAULT_TYPES[g('ftype')],
      level: FAULT_LEVELS[g('level')],
      decision: DECISIONS[g('decision')],
      reason: REASON_CODES[g('reason')],
      rule: trace.strings[g('rule')],
      evidence: e,
    };
  }
  const extra = trace.extra[i];
  return extra ? { ...ev, ...extra } : ev;
}
