// Hand-written structural validators for everything that crosses a process
// boundary (protocol.ts). Both ends use them: the engine service on every
// EngineRequest, the renderer on every EngineMessage, main on every IPC
// argument. A validator never throws; it returns the value typed, or one
// sentence saying what is wrong.

import { isPolicyId } from '../lang/ast';
import { MAX_SOURCE_CHARS as LANG_MAX_SOURCE_CHARS } from '../lang/limits';
import type {
  EngineMessage,
  EngineRequest,
  JournalEntry,
  ReportFormat,
} from './protocol';

export type Validation<T> = { ok: true; value: T } | { ok: false; message: string };

/** Largest scenario text accepted anywhere (engine, files, journal): the language's own limit. */
export const MAX_SOURCE_CHARS = LANG_MAX_SOURCE_CHARS;
/** Largest report text main takes from the page (HTML for PDF, Markdown); */
export const MAX_REPORT_CHARS = 64 * 1024 * 1024;
/** ... and largest report as encoded bytes (the JSON and CSV of million-fault runs). */
export const MAX_REPORT_BYTES = 1024 * 1024 * 1024;

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v);
const isNat = (v: unknown): v is number => isInt(v) && v >= 0;
const isStr = (v: unknown, max = 4096): v is string => typeof v === 'string' && v.length <= max;
const ok = <T>(value: T): Validation<T> => ({ ok: true, value });
const bad = (message: string): Validation<never> => ({ ok: false, message });

/** The id of a message if it has a usable one (to address a bad-request reply), else -1. */
export function requestId(msg: unknown): number {
  return isObj(msg) && isInt(msg.id) ? msg.id : -1;
}

function checkOptions(v: unknown): string | null {
  if (!isObj(v)) return 'options must be an object';
  for (const k of ['maxSteps', 'maxPageOps', 'timeBudgetMs'] as const) {
    if (v[k] !== undefined && !(isNat(v[k]) && (v[k] as number) > 0)) return `options.${k} must be a positive integer`;
  }
  if (v.checkInvariants !== undefined && typeof v.checkInvariants !== 'boolean') return 'options.checkInvariants must be a boolean';
  const known = new Set(['maxSteps', 'maxPageOps', 'timeBudgetMs', 'checkInvariants']);
  const extra = Object.keys(v).find((k) => !known.has(k));
  return extra ? `options.${extra} is not a run option` : null;
}

function checkQuery(q: unknown): string | null {
  if (!isObj(q)) return 'query must be an object';
  switch (q.kind) {
    case 'processes':
      return null;
    case 'cells':
      if (!isStr(q.process, 256) || !isStr(q.mapping, 256)) return 'cells query needs process and mapping names';
      if (!isNat(q.from) || !isNat(q.count)) return 'cells query needs non-negative integers from and count';
      if (q.count > 1 << 24) return 'cells query asks for more than 16,777,216 pages';
      return null;
    case 'walk':
      if (!isStr(q.process, 256) || !isStr(q.mapping, 256)) return 'walk query needs process and mapping names';
      return isNat(q.page) ? null : 'walk query needs a non-negative integer page';
    case 'folios':
      if (!isNat(q.offset) || !isNat(q.limit)) return 'folios query needs non-negative integers offset and limit';
      return q.limit > 100_000 ? 'folios query limit is above 100,000' : null;
    case 'folio':
      return isNat(q.pfn) ? null : 'folio query needs a non-negative integer pfn';
    default:
      return `unknown query kind ${JSON.stringify(String(q.kind)).slice(0, 40)}`;
  }
}

const RUN_ID = /^[A-Za-z0-9_.:-]{1,128}$/;

/**
 * Validates an EngineRequest structurally. Size limits are not checked here
 * (the service answers those with `too-large`, a different error code).
 */
export function validateEngineRequest(msg: unknown): Validation<EngineRequest> {
  if (!isObj(msg)) return bad('a request must be an object');
  if (!isInt(msg.id)) return bad('a request needs an integer id');
  const runId = () => (isStr(msg.runId) && RUN_ID.test(msg.runId) ? null : 'runId must be 1-128 characters of A-Z a-z 0-9 _ . : -');
  let problem: string | null;
  switch (msg.type) {
    case 'hello':
      problem = isInt(msg.protocol) ? null : 'hello needs an integer protocol';
      break;
    case 'check':
      problem = !isStr(msg.file, 1024) ? 'check needs a file name (string)' : typeof msg.source !== 'string' ? 'check needs a source (string)' : null;
      break;
    case 'run':
      problem =
        runId() ??
        (!isStr(msg.file, 1024)
          ? 'run needs a file name (string)'
          : typeof msg.source !== 'string'
            ? 'run needs a source (string)'
            : !Array.isArray(msg.policies) || msg.policies.length > 16
              ? 'run needs a policies array'
              : msg.policies.find((p) => typeof p !== 'string' || !isPolicyId(p)) !== undefined
                ? `unknown policy ${JSON.stringify(msg.policies.find((p) => typeof p !== 'string' || !isPolicyId(p))).slice(0, 40)}`
                : checkOptions(msg.options));
      break;
    case 'cancel':
    case 'dispose':
      problem = runId();
      break;
    case 'query':
      problem =
        runId() ??
        (typeof msg.policy !== 'string' || !isPolicyId(msg.policy)
          ? 'query needs a known policy id'
          : !isInt(msg.step) || msg.step < -1
            ? 'query needs an integer step >= -1'
            : checkQuery(msg.query));
      break;
    default:
      problem = `unknown request type ${JSON.stringify(String(msg.type)).slice(0, 40)}`;
  }
  return problem ? bad(problem) : ok(msg as unknown as EngineRequest);
}

/** Validates what the renderer receives from the engine (reply or event), shallowly: bodies are the engine's own. */
export function validateEngineMessage(msg: unknown): Validation<EngineMessage> {
  if (!isObj(msg)) return bad('an engine message must be an object');
  switch (msg.type) {
    case 'reply':
      if (!isInt(msg.id)) return bad('a reply needs an integer id');
      if (msg.ok === true) return 'body' in msg ? ok(msg as unknown as EngineMessage) : bad('a reply needs a body');
      if (msg.ok === false && isObj(msg.error) && isStr(msg.error.code) && isStr(msg.error.message, 1 << 20)) return ok(msg as unknown as EngineMessage);
      return bad('a failed reply needs error.code and error.message');
    case 'progress':
      return isStr(msg.runId) && isStr(msg.policy) && isNat(msg.step) && isNat(msg.steps)
        ? ok(msg as unknown as EngineMessage)
        : bad('a progress event needs runId, policy, step, steps');
    case 'log':
      return (msg.level === 'info' || msg.level === 'warn' || msg.level === 'error') && isStr(msg.message, 1 << 20)
        ? ok(msg as unknown as EngineMessage)
        : bad('a log event needs a level and a message');
    default:
      return bad(`unknown engine message type ${JSON.stringify(String(msg.type)).slice(0, 40)}`);
  }
}

// ---------------------------------------------------------------------------
// IPC arguments (main validates what the page sends through preload).

const JOURNAL_ID = /^[A-Za-z0-9_-]{1,64}$/;
export const REPORT_FORMATS: readonly ReportFormat[] = ['html', 'pdf', 'md', 'json', 'csv'];

export function validateJournalId(v: unknown): Validation<string> {
  return typeof v === 'string' && JOURNAL_ID.test(v) ? ok(v) : bad('a journal id is 1-64 characters of A-Z a-z 0-9 _ -');
}

export function validateJournalEntry(v: unknown): Validation<JournalEntry> {
  if (!isObj(v)) return bad('a journal entry must be an object');
  const id = validateJournalId(v.id);
  if (!id.ok) return id;
  if (!(v.path === null || isStr(v.path))) return bad('journal entry path must be a string or null');
  if (!isStr(v.name, 1024)) return bad('journal entry name must be a string');
  if (typeof v.text !== 'string') return bad('journal entry text must be a string');
  if (v.text.length > MAX_SOURCE_CHARS) return bad(`journal entry text is longer than ${MAX_SOURCE_CHARS} characters`);
  if (!(typeof v.savedAt === 'number' && Number.isFinite(v.savedAt))) return bad('journal entry savedAt must be a number');
  return ok({ id: v.id as string, path: v.path as string | null, name: v.name, text: v.text, savedAt: v.savedAt as number });
}

export function validateReportFormat(v: unknown): Validation<ReportFormat> {
  return REPORT_FORMATS.includes(v as ReportFormat) ? ok(v as ReportFormat) : bad(`report format must be one of ${REPORT_FORMATS.join(', ')}`);
}

/** A string argument of bounded length (file names, paths, document text). */
/** Report content: text up to MAX_REPORT_CHARS, or UTF-8 bytes up to MAX_REPORT_BYTES. */
export function validateReportContent(v: unknown): Validation<string | Uint8Array> {
  if (v instanceof Uint8Array) return v.byteLength <= MAX_REPORT_BYTES ? ok(v) : bad(`report is larger than ${MAX_REPORT_BYTES} bytes`);
  return validateString(v, 'report', MAX_REPORT_CHARS);
}

export function validateString(v: unknown, what: string, maxChars = 4096): Validation<string> {
  if (typeof v !== 'string') return bad(`${what} must be a string`);
  return v.length <= maxChars ? ok(v) : bad(`${what} is longer than ${maxChars} characters`);
}
