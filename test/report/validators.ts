// Independent checkers for the report formats: an RFC 4180 CSV parser, a
// GitHub-table checker for Markdown, and a structural validator for the JSON
// document shape documented in docs/reports.md and scenario-language.md.

/** RFC 4180: CRLF (or LF) records, quoted fields with "" for a quote and raw CR/LF inside. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let i = 0;
  let quoted = false;
  let fieldStarted = false;
  while (i < text.length) {
    const c = text[i];
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
        i++;
        if (i < text.length && !',\r\n'.includes(text[i])) throw new Error(`CSV: text after a closing quote at ${i}`);
        continue;
      }
      field += c;
      i++;
      continue;
    }
    if (c === '"') {
      if (fieldStarted) throw new Error(`CSV: quote inside an unquoted field at ${i}`);
      quoted = true;
      fieldStarted = true;
      i++;
    } else if (c === ',') {
      row.push(field);
      field = '';
      fieldStarted = false;
      i++;
    } else if (c === '\r' || c === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      fieldStarted = false;
      i += c === '\r' && text[i + 1] === '\n' ? 2 : 1;
    } else {
      field += c;
      fieldStarted = true;
      i++;
    }
  }
  if (quoted) throw new Error('CSV: unterminated quoted field');
  if (fieldStarted || row.length) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

/** Cells of a GitHub table row: split on `|` not escaped by a backslash. */
export function tableCells(line: string): string[] {
  const cells: string[] = [];
  let cell = '';
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === '\\' && i + 1 < line.length) {
      cell += c + line[i + 1];
      i++;
    } else if (c === '|') {
      cells.push(cell);
      cell = '';
    } else cell += c;
  }
  cells.push(cell);
  // A row starts and ends with a pipe: drop the empty outside pieces.
  if (cells[0].trim() === '') cells.shift();
  if (cells.length && cells[cells.length - 1].trim() === '') cells.pop();
  return cells.map((c) => c.trim());
}

export interface MdTable {
  line: number;
  header: string[];
  rows: string[][];
}

/**
 * Every table outside code fences. Throws when a table is malformed: no
 * separator row, or a row whose cell count differs from the header's.
 */
export function markdownTables(text: string): MdTable[] {
  const lines = text.split('\n');
  const tables: MdTable[] = [];
  let fence: string | null = null;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const f = /^(`{3,}|~{3,})/.exec(line);
    if (f) {
      if (fence === null) fence = f[1];
      else if (line.trim() === fence) fence = null;
      continue;
    }
    if (fence !== null || !line.startsWith('|')) continue;
    const header = tableCells(line);
    const sep = lines[i + 1] ?? '';
    if (!/^\|( *:?-{3,}:? *\|)+$/.test(sep)) throw new Error(`line ${i + 2}: a table needs a separator row, got ${JSON.stringify(sep)}`);
    if (tableCells(sep).length !== header.length) throw new Error(`line ${i + 2}: separator has ${tableCells(sep).length} cells, header ${header.length}`);
    const rows: string[][] = [];
    let j = i + 2;
    for (; j < lines.length && lines[j].startsWith('|'); j++) {
      const cells = tableCells(lines[j]);
      if (cells.length !== header.length) throw new Error(`line ${j + 1}: ${cells.length} cells, header has ${header.length}: ${lines[j]}`);
      rows.push(cells);
    }
    if (j < lines.length && lines[j].trim() !== '') throw new Error(`line ${j + 1}: a table must end with a blank line`);
    tables.push({ line: i + 1, header, rows });
    i = j;
  }
  if (fence !== null) throw new Error('unterminated code fence');
  return tables;
}

// ---------------------------------------------------------------------------
// JSON shape. A tiny schema language: enough to say what each field must be.

type Shape =
  | 'string'
  | 'number'
  | 'boolean'
  | 'null'
  | 'any'
  | { oneOf: Shape[] }
  | { arrayOf: Shape }
  | { recordOf: Shape }
  | { object: Record<string, Shape>; optional?: Record<string, Shape> };

/** Paths where `value` does not have `shape` (the first 20). */
export function validate(value: unknown, shape: Shape): string[] {
  const errors: string[] = [];
  check(value, shape, '$', errors);
  return errors;
}

function check(value: unknown, shape: Shape, path: string, errors: string[]): void {
  if (errors.length >= 20 || shape === 'any') return;
  if (typeof shape === 'string') {
    const ok = shape === 'null' ? value === null : typeof value === shape && (shape !== 'number' || Number.isFinite(value));
    if (!ok) errors.push(`${path}: expected ${shape}, got ${JSON.stringify(value)?.slice(0, 60)}`);
    return;
  }
  if ('oneOf' in shape) {
    const tries = shape.oneOf.map((s) => validate(value, s));
    if (!tries.some((e) => e.length === 0)) errors.push(`${path}: matches none of ${shape.oneOf.length} shapes (${tries.map((e) => e[0]).join('; ')})`);
    return;
  }
  if ('arrayOf' in shape) {
    if (!Array.isArray(value)) errors.push(`${path}: expected an array`);
    else for (let i = 0; i < value.length; i++) check(value[i], shape.arrayOf, `${path}[${i}]`, errors);
    return;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    errors.push(`${path}: expected an object`);
    return;
  }
  const obj = value as Record<string, unknown>;
  if ('recordOf' in shape) {
    for (const k of Object.keys(obj)) check(obj[k], shape.recordOf, `${path}.${k}`, errors);
    return;
  }
  for (const [k, s] of Object.entries(shape.object)) {
    if (!(k in obj)) errors.push(`${path}.${k}: missing`);
    else check(obj[k], s, `${path}.${k}`, errors);
  }
  for (const [k, s] of Object.entries(shape.optional ?? {})) if (k in obj) check(obj[k], s, `${path}.${k}`, errors);
}

const diagnostic: Shape = {
  object: { line: 'number', col: 'number', endLine: 'number', endCol: 'number', severity: 'string', message: 'string', code: 'string' },
};

/** scenario-language.md "Command line": the `--json` document. */
export const CLI_DOCUMENT: Shape = {
  object: {
    files: {
      arrayOf: {
        object: {
          file: 'string',
          scenario: 'string',
          diagnostics: { arrayOf: diagnostic },
          runs: {
            arrayOf: {
              object: {
                policy: 'string',
                passed: 'boolean',
                expectations: {
                  arrayOf: { object: { line: 'number', text: 'string', passed: 'boolean', actual: { oneOf: ['number', 'boolean', 'null'] } } },
                },
                counters: { recordOf: 'number' },
                processes: { recordOf: { recordOf: 'number' } },
              },
            },
          },
        },
      },
    },
  },
};

const rows: Shape = { object: { fields: { arrayOf: 'string' }, rows: { arrayOf: { arrayOf: { oneOf: ['number', 'string', 'null'] } } } } };
const decisionRows: Shape = { object: { ...(rows as { object: Record<string, Shape> }).object, rules: { arrayOf: 'string' } } };
const numbers: Shape = { arrayOf: 'number' };

/** docs/reports.md "JSON": the command line's document plus `report`. */
export const REPORT_DOCUMENT: Shape = {
  object: {
    ...(CLI_DOCUMENT as { object: Record<string, Shape> }).object,
    report: {
      object: {
        generator: 'string',
        version: 'string',
        generatedAt: 'string',
        title: 'string',
        file: 'string',
        source: 'string',
        policies: { arrayOf: 'string' },
        runs: {
          arrayOf: {
            object: {
              policy: 'string',
              passed: 'boolean',
              elapsedMs: 'number',
              expectations: { arrayOf: { object: { line: 'number', text: 'string', passed: 'boolean', actual: 'any' }, optional: { message: 'string' } } },
              steps: {
                arrayOf: {
                  object: { index: 'number', line: 'number', text: 'string', process: 'string', firstEvent: 'number', endEvent: 'number' },
                  optional: { error: 'string' },
                },
              },
              violations: {
                arrayOf: {
                  object: { kind: 'string', step: 'number', line: 'number', process: 'string', expected: 'number', actual: 'number', message: 'string' },
                  optional: { mapping: 'string', page: 'number' },
                },
              },
              invariants: { arrayOf: { object: { step: 'number', line: 'number', invariant: 'string', message: 'string', policyDefect: 'boolean' } } },
              timeline: { object: { memUsed: numbers, pgfault: numbers, pgreuse: numbers, cowCopies: numbers, violations: numbers } },
              decisions: decisionRows,
              events: rows,
            },
            optional: { stopped: { object: { reason: 'string', message: 'string', atStep: 'number' } } },
          },
        },
      },
    },
  },
};
