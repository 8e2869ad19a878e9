// Argument parsing driven by a table of options per command, so adding an
// option (say `--report FILE`) is one line in that table.

import { didYouMean } from '../core/lang/text';

export interface OptionSpec {
  /** `--json` */
  name: string;
  /** Value placeholder for options that take one (`ID`); absent for flags. */
  value?: string;
  /** May be given more than once (values collect in order). */
  repeat?: boolean;
  help: string;
}

export interface CommandSpec {
  name: string;
  usage: string;
  summary: string;
  options: OptionSpec[];
}

export interface ParsedArgs {
  files: string[];
  /** Flag -> true, option -> its values in order. */
  options: Map<string, string[] | true>;
  help: boolean;
}

export class UsageError extends Error {}

export function parseArgs(argv: string[], spec: CommandSpec): ParsedArgs {
  const out: ParsedArgs = { files: [], options: new Map(), help: false };
  const byName = new Map(spec.options.map((o) => [o.name, o]));
  let onlyFiles = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (onlyFiles || !arg.startsWith('-') || arg === '-') {
      out.files.push(arg);
      continue;
    }
    if (arg === '--') {
      onlyFiles = true;
      continue;
    }
    if (arg === '--help' || arg === '-h') {
      out.help = true;
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    const opt = byName.get(name);
    if (!opt) {
      const known = [...byName.keys(), '--help'];
      throw new UsageError(`unknown option ${name} for "foliolab ${spec.name}"${didYouMean(name, known)}; options: ${known.join(', ')}`);
    }
    if (!opt.value) {
      if (eq > 0) throw new UsageError(`${name} takes no value`);
      out.options.set(name, true);
      continue;
    }
    const value = eq > 0 ? arg.slice(eq + 1) : argv[++i];
    if (value === undefined || value === '') throw new UsageError(`${name} needs a value: ${name} ${opt.value}`);
    const prev = out.options.get(name);
    if (prev && !opt.repeat) throw new UsageError(`${name} may be given only once`);
    out.options.set(name, [...(Array.isArray(prev) ? prev : []), value]);
  }
  return out;
}

export function helpText(spec: CommandSpec): string {
  const width = Math.max(10, ...spec.options.map((o) => (o.value ? `${o.name} ${o.value}` : o.name).length));
  const lines = [`usage: ${spec.usage}`, '', spec.summary, '', 'options:'];
  for (const o of [...spec.options, { name: '--help', help: 'show this help' }]) {
    const left = 'value' in o && o.value ? `${o.name} ${o.value}` : o.name;
    lines.push(`  ${left.padEnd(width)}  ${o.help}`);
  }
  return `${lines.join('\n')}\n`;
}
