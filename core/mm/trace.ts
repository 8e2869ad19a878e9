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
import {
  B_EV, B_MAP, B_MSG, B_PAGE, B_PFN, B_PROC, B_RULE, B_STEP, B_VPN, B_W0, BASE, CHUNK, CHUNK_SHIFT,
  E_BASE, E_ENTIRE, E_MAP, E_MASK, E_NR, E_PAGEMAP, E_PIN, E_REF, E_RID, E_RMAP, E_RMAP_WORDS, E_SEQHI, E_SEQLO,
  E_SLOT_WORDS, EV_CHUNK, EV_CHUNK_SHIFT, EV_MAX, M_ENTIRE, M_MAP, M_NR, M_PAE, M_PAGEMAP, M_PIN, M_REF, M_RMAP,
  M_SLOTS, M_SWAPCACHE, TWO32,
} from './trace-layout';

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
const EV_FAULT = EV.fault;
export const FAULT_TYPES: readonly FaultType[] = ['anon', 'wp', 'unshare', 'swapin'];
export const FAULT_LEVELS: readonly FaultLevel[] = ['pte', 'pmd'];
export const DECISIONS: readonly FaultDecision[] = ['alloc', 'reuse', 'copy', 'split-fallback'];
export const REASON: { [K in ReasonCode]: number } = Object.fromEntries(REASON_CODES.map((k, i) => [k, i])) as never;

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
  rmapId = 0;
  rmapSeq = 0;
  readonly slotIds = [0, 0];
  readonly slotCounts = [0, 0];
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
  /** Up to three rmap values as lo/hi 32-bit words, filled by the policy before `rmap`. */
  readonly rmapWords = new Int32Array(6);
  rmap(rmapId: number, seq: number): this {
    this.rmapId = rmapId;
    this.rmapSeq = seq;
    this.mask |= M_RMAP;
    return this;
  }
  mmSlots(id0: number, count0: number, id1: number, count1: number, shared: boolean): this {
    this.slotIds[0] = id0;
    this.slotCounts[0] = count0;
    this.slotIds[1] = id1;
    this.slotCounts[1] = count1;
    this.shared = shared;
    this.mask |= M_SLOTS;
    return this;
  }
}

export class Trace {
  length = 0;
  private readonly rowChunks: Int32Array[] = [];
  private rows = new Int32Array(0); // current chunk
  private readonly evChunks: Int32Array[] = [];
  private evs = new Int32Array(0); // current chunk
  /** Next free evidence word: chunk index << EV_CHUNK_SHIFT | position (chunk -1 = none yet). */
  private evEnd = -EV_CHUNK;
  /** Offset of the last evidence record written, -1 = none yet. */
  private lastEv = -1;
  readonly strings: string[] = [];
  private readonly stringIdx = new Map<string, number>();
  readonly processNames: string[];

  constructor(processNames: string[]) {
    this.processNames = processNames;
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

  /**
   * A non-fault event. `map` is an interned mapping name or -1, `msg` an
   * interned sentence or -1. Kept small (the chunk allocation is a call of its
   * own) so that V8 can inline it where its inlining budget allows.
   */
  event(kind: number, step: number, proc: number, map: number, page: number, vpn: number, pfn: number, order: number, msg: number): number {
    const r = this.length++;
    if ((r & (CHUNK - 1)) === 0) this.newRowChunk();
    const w = this.rows;
    const o = (r & (CHUNK - 1)) * BASE;
    // `| 0` is the ToInt32 the store does anyway; written out, V8 checks for a
    // small integer instead of converting every argument through a double.
    w[o + B_W0] = kind | ((order & 255) << 8); // order -1 (none) is stored as 255
    w[o + B_STEP] = step | 0;
    w[o + B_PROC] = proc | 0;
    w[o + B_MAP] = map | 0;
    w[o + B_PAGE] = page | 0;
    w[o + B_VPN] = vpn | 0;
    w[o + B_PFN] = pfn | 0;
    w[o + B_MSG] = msg | 0;
    w[o + B_RULE] = -1;
    w[o + B_EV] = -1;
    return r;
  }

  private newRowChunk(): void {
    this.rows = new Int32Array(CHUNK * BASE);
    this.rowChunks.push(this.rows);
  }

  fault(
    step: number, proc: number, map: number, page: number, vpn: number, pfn: number, order: number,
    type: number, level: number, decision: number, reason: number, rule: number, ev: EvidenceScratch,
  ): void {
    const r = this.event(EV_FAULT, step, proc, map, page, vpn, pfn, order, -1);
    const w = this.rows;
    const o = (r & (CHUNK - 1)) * BASE;
    const bits = (ev.pae ? 1 : 0) | (ev.swapcache ? 2 : 0) | (ev.shared ? 4 : 0);
    w[o + B_W0] |= (reason << 16) | (type << 24) | (level << 26) | (decision << 27) | (bits << 29);
    w[o + B_RULE] = rule | 0;
    const m = ev.mask;
    if (m === 0) return;
    // Consecutive faults on one folio usually saw the same counts (every reuse
    // fault of a PTE-mapped THP does): such a row points at the record before
    // it instead of writing a new one. This halves a reuse run's trace, and
    // with it the host page faults and full GCs its memory costs at 16 GiB.
    if (this.lastEv >= 0 && this.sameEvidence(this.lastEv & (EV_CHUNK - 1), ev)) {
      w[o + B_EV] = this.lastEv;
      return;
    }
    let e = this.evEnd;
    if ((e & (EV_CHUNK - 1)) + EV_MAX > EV_CHUNK || e < 0) {
      e = this.evChunks.length << EV_CHUNK_SHIFT;
      this.evs = new Int32Array(EV_CHUNK);
      this.evChunks.push(this.evs);
    }
    w[o + B_EV] = e;
    this.lastEv = e;
    let q = e & (EV_CHUNK - 1);
    const v = this.evs;
    v[q + E_MASK] = m;
    v[q + E_REF] = ev.refcount;
    v[q + E_MAP] = ev.mapcount;
    v[q + E_ENTIRE] = ev.entire;
    v[q + E_PAGEMAP] = ev.pageMapcount;
    v[q + E_PIN] = ev.pincount;
    v[q + E_NR] = ev.nrPages;
    q += E_BASE;
    if (m & M_RMAP) {
      this.rmapEvidence(q, ev);
      q += E_RMAP_WORDS;
    }
    if (m & M_SLOTS) {
      v[q] = ev.slotIds[0];
      v[q + 1] = ev.slotCounts[0];
      v[q + 2] = ev.slotIds[1];
      v[q + 3] = ev.slotCounts[1];
      q += E_SLOT_WORDS;
    }
    this.evEnd = (e & ~(EV_CHUNK - 1)) | q;
  }

  /** Whether the record at `q` of the current chunk holds exactly what `ev` would write. */
  private sameEvidence(q: number, ev: EvidenceScratch): boolean {
    const v = this.evs;
    const m = ev.mask;
    if (
      v[q + E_MASK] !== m || v[q + E_REF] !== ev.refcount || v[q + E_MAP] !== ev.mapcount || v[q + E_ENTIRE] !== ev.entire ||
      v[q + E_PAGEMAP] !== ev.pageMapcount || v[q + E_PIN] !== ev.pincount || v[q + E_NR] !== ev.nrPages
    ) return false;
    q += E_BASE;
    if (m & M_RMAP) {
      const r = ev.rmapWords;
      for (let j = 0; j < 6; j++) if (v[q + E_RMAP + j] !== r[j]) return false;
      if (v[q + E_RID] !== ev.rmapId || v[q + E_SEQLO] !== (ev.rmapSeq | 0) || v[q + E_SEQHI] !== Math.floor(ev.rmapSeq / TWO32)) return false;
      q += E_RMAP_WORDS;
    }
    if (m & M_SLOTS) {
      return v[q] === ev.slotIds[0] && v[q + 1] === ev.slotCounts[0] && v[q + 2] === ev.slotIds[1] && v[q + 3] === ev.slotCounts[1];
    }
    return true;
  }

  /** The rmap values as lo/hi words. */
  private rmapEvidence(q: number, ev: EvidenceScratch): void {
    const v = this.evs;
    const r = ev.rmapWords;
    // Six plain stores: TypedArray.prototype.set costs a runtime call per fault.
    for (let j = 0; j < 6; j++) v[q + E_RMAP + j] = r[j];
    v[q + E_RID] = ev.rmapId;
    v[q + E_SEQLO] = ev.rmapSeq >>> 0; // low 32 bits (the store wraps to int32 like the decode expects)
    v[q + E_SEQHI] = Math.floor(ev.rmapSeq / TWO32);
  }

  /** Attach a sentence to an event (e.g. a CONFIG_DEBUG_VM note). */
  note(r: number, msg: string): void {
    this.rowChunks[r >>> CHUNK_SHIFT][(r & (CHUNK - 1)) * BASE + B_MSG] = this.intern(msg);
  }

  data(): TraceData {
    // Process names ride along at the end of the string table, after a marker.
    const strings = [...this.strings, PROCS_MARKER, ...this.processNames];
    return {
      length: this.length,
      // The chunks themselves, not a copy: a finished engine records nothing
      // more, and the copy was a quarter of a 1 GiB v6.7 run's time (25 of
      // 115 ms in Node) and doubled the trace's memory while both were alive.
      columns: { rows: this.rowChunks.slice(), evidence: this.evChunks.slice() },
      strings,
      extra: {},
    };
  }
}

function u64(lo: number, hi: number): bigint {
  return (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0);
}

/** Process names ride along at the end of a trace's string table, after this marker. */
const PROCS_MARKER = '\u0000procs';

/** Index of the first process name in a trace's string table (they follow a marker at its end), 0 = none. */
function processNamesStart(strings: string[]): number {
  return strings.lastIndexOf(PROCS_MARKER) + 1;
}

/**
 * Single fields of events straight from the columns, with no object per event:
 * for scans over millions of events (filters, a page's history, the first
 * difference between policies), which then decode only what they show.
 */
export class TraceReader {
  private readonly rows: Int32Array[];
  private readonly strings: string[];
  private readonly procStart: number;
  constructor(readonly trace: TraceData) {
    this.rows = trace.columns.rows;
    this.strings = trace.strings;
    this.procStart = processNamesStart(trace.strings);
  }
  get length(): number {
    return this.trace.length;
  }
  /** Word `f` of event `i`'s row. */
  private word(i: number, f: number): number {
    return this.rows[i >>> CHUNK_SHIFT][(i & (CHUNK - 1)) * BASE + f];
  }
  kind(i: number): EventKind {
    return EVENT_KINDS[this.word(i, B_W0) & 0xff];
  }
  process(i: number): string | undefined {
    const p = this.word(i, B_PROC);
    return p >= 0 && this.procStart > 0 ? this.strings[this.procStart + p] : undefined;
  }
  mapping(i: number): string | undefined {
    const m = this.word(i, B_MAP);
    return m >= 0 ? this.strings[m] : undefined;
  }
  /** Page within the mapping, or -1 when the event names none. */
  page(i: number): number {
    return this.word(i, B_MAP) >= 0 ? this.word(i, B_PAGE) : -1;
  }
  /** Folio order, or -1 when the event names none. */
  order(i: number): number {
    const o = (this.word(i, B_W0) >>> 8) & 0xff;
    return o === 255 ? -1 : o;
  }
  /** A fault's decision, else undefined. */
  decision(i: number): FaultDecision | undefined {
    const w0 = this.word(i, B_W0);
    return (w0 & 0xff) === EV.fault ? DECISIONS[(w0 >>> 27) & 3] : undefined;
  }
}

export function decodeTraceEvent(trace: TraceData, i: number): TraceEvent {
  const rows = trace.columns.rows[i >>> CHUNK_SHIFT];
  const o = (i & (CHUNK - 1)) * BASE;
  const w0 = rows[o + B_W0];
  const procStart = processNamesStart(trace.strings);
  const ev: TraceEvent = { index: i, step: rows[o + B_STEP], kind: EVENT_KINDS[w0 & 0xff] };
  const proc = rows[o + B_PROC];
  if (proc >= 0 && procStart > 0) ev.process = trace.strings[procStart + proc];
  const map = rows[o + B_MAP];
  if (map >= 0) {
    ev.mapping = trace.strings[map];
    ev.page = rows[o + B_PAGE];
  }
  const vpn = rows[o + B_VPN];
  if (vpn >= 0) ev.address = vpn * 2 ** PAGE_SHIFT;
  const pfn = rows[o + B_PFN];
  if (pfn >= 0) ev.pfn = pfn;
  const order = (w0 >>> 8) & 0xff;
  if (order !== 255) ev.order = order;
  const msg = rows[o + B_MSG];
  if (msg >= 0) ev.message = trace.strings[msg];
  if (ev.kind === 'fault') {
    const bits = (w0 >>> 29) & 7;
    const e: Evidence = {};
    const at = rows[o + B_EV];
    if (at >= 0) {
      // A record never straddles two chunks.
      const evs = trace.columns.evidence[at >>> EV_CHUNK_SHIFT];
      const q = at & (EV_CHUNK - 1);
      const m = evs[q + E_MASK];
      if (m & M_REF) e.refcount = evs[q + E_REF];
      if (m & M_MAP) e.mapcount = evs[q + E_MAP];
      if (m & M_ENTIRE) e.entireMapcount = evs[q + E_ENTIRE];
      if (m & M_NR) e.nrPages = evs[q + E_NR];
      if (m & M_PAGEMAP) e.pageMapcount = evs[q + E_PAGEMAP];
      if (m & M_PAE) e.anonExclusive = (bits & 1) !== 0;
      if (m & M_PIN) e.pincount = evs[q + E_PIN];
      if (m & M_SWAPCACHE) e.swapcache = (bits & 2) !== 0;
      let x = q + E_BASE;
      if (m & M_RMAP) {
        const o2 = order === 255 ? 0 : order;
        const nv = rmapSubids(o2, 0).length;
        const vals: bigint[] = [];
        for (let j = 0; j < nv; j++) vals.push(u64(evs[x + E_RMAP + 2 * j], evs[x + E_RMAP + 2 * j + 1]));
        e.rmapValues = vals.map(String);
        const mc = BigInt(evs[q + E_MAP]);
        e.rmapExpected = rmapSubids(o2, evs[x + E_RID]).map((s) => String(BigInt.asUintN(64, mc * s)));
        e.rmapSeq = (evs[x + E_SEQHI] >>> 0) * TWO32 + (evs[x + E_SEQLO] >>> 0);
        x += E_RMAP_WORDS;
      }
      if (m & M_SLOTS) {
        e.mmSlots = [
          { mmId: evs[x], mapcount: evs[x + 1] },
          { mmId: evs[x + 2], mapcount: evs[x + 3] },
        ];
        e.maybeMappedShared = (bits & 4) !== 0;
      }
    }
    ev.fault = {
      type: FAULT_TYPES[(w0 >>> 24) & 3],
      level: FAULT_LEVELS[(w0 >>> 26) & 1],
      decision: DECISIONS[(w0 >>> 27) & 3],
      reason: REASON_CODES[(w0 >>> 16) & 0xff],
      rule: trace.strings[rows[o + B_RULE]],
      evidence: e,
    };
  }
  const extra = trace.extra[i];
  return extra ? { ...ev, ...extra } : ev;
}
