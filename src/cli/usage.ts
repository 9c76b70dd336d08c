// Command-line conventions shared by every command: flags declared once (parsed and listed in --help from the
// same table), and bad usage reported as one line on stderr plus where to read the usage, exit 2.
import { parseArgs, type ParseArgsConfig } from 'node:util';

/** Bad usage: one line on stderr, a pointer to the command's --help, exit 2. */
export class UsageError extends Error {
  /** `command` names whose --help the pointer names; undefined points at `textcat --help`. */
  constructor(
    message: string,
    readonly command?: string,
  ) {
    super(message);
    this.name = 'UsageError';
  }
}

export function helpPointer(command: string | undefined): string {
  return `Run 'textcat ${command ? `${command} ` : ''}--help' for usage.`;
}

export interface Flag {
  /** The long name, without the dashes. */
  name: string;
  short?: string;
  /** What the value is, shown in help (`--out <dir>`); a flag without one is a switch. */
  value?: string;
  description: string;
  /** A switch that also has a --no- form (for options that default to on). */
  negatable?: boolean;
}

export const HELP_FLAG: Flag = { name: 'help', short: 'h', description: 'Show this help' };

type Parsed = { values: Record<string, string | boolean | undefined>; positionals: string[] };

export function parseFlags(command: string, args: readonly string[], flags: readonly Flag[]): Parsed {
  const options: NonNullable<ParseArgsConfig['options']> = {};
  for (const flag of flags) {
    options[flag.name] = { type: flag.value ? 'string' : 'boolean', ...(flag.short ? { short: flag.short } : {}) };
    if (flag.negatable) options[`no-${flag.name}`] = { type: 'boolean' };
  }
  try {
    const { values, positionals } = parseArgs({ args: [...args], options, allowPositionals: true, strict: true });
    return { values: values as Parsed['values'], positionals };
  } catch (error) {
    throw new UsageError(parseErrorLine(error as Error, flags), command);
  }
}

/** True when --help or -h comes before a `--`: help wins over whatever else is wrong on the line. */
export function wantsHelp(args: readonly string[]): boolean {
  const end = args.indexOf('--');
  return (end === -1 ? args : args.slice(0, end)).some((arg) => arg === '--help' || arg === '-h');
}

/** Node's messages are long and name the fix for a different case; say what is wrong in one short line. */
function parseErrorLine(error: Error, flags: readonly Flag[]): string {
  const unknown = /^Unknown option '([^']+)'/.exec(error.message);
  if (unknown) return `unknown option '${unknown[1]}'${didYouMean(unknown[1], flagNames(flags))}`;
  const flag = /^Option '(?:-\w, )?(--[\w-]+)/.exec(error.message)?.[1];
  if (flag && /argument missing/.test(error.message)) return `option '${flag}' needs a value`;
  if (flag && /does not take an argument/.test(error.message)) return `option '${flag}' takes no value`;
  if (flag && /ambiguous/.test(error.message)) return `option '${flag}' needs a value (for one that starts with '-', write ${flag}=-…)`;
  return error.message.split('. ')[0];
}

function flagNames(flags: readonly Flag[]): string[] {
  return flags.flatMap((flag) => [`--${flag.name}`, ...(flag.negatable ? [`--no-${flag.name}`] : [])]);
}

/** ` (did you mean '--epochs'?)` for a near miss (a typo, a missing or extra letter), else ''. */
export function didYouMean(given: string, known: readonly string[]): string {
  const scored = known.map((name) => ({ name, distance: editDistance(given.toLowerCase(), name) }));
  const best = scored.sort((a, b) => a.distance - b.distance)[0];
  const close = best && best.distance <= Math.max(1, Math.floor(best.name.length / 4));
  if (close) return ` (did you mean '${best.name}'?)`;
  // A longer or shorter form of a name: `evaluate` for `eval`, `--text` for `--text-column`.
  const bare = (name: string) => name.replace(/^-+/, '').toLowerCase();
  const word = bare(given);
  const stem = word.length >= 3 ? known.find((name) => word.startsWith(bare(name)) || bare(name).startsWith(word)) : undefined;
  return stem ? ` (did you mean '${stem}'?)` : '';
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}

/** Help stays readable in an 80-column terminal: descriptions wrap under themselves. */
const HELP_WIDTH = 100;

/** The flags as help lists them: `  -o, --out <dir>   description`, aligned, long descriptions wrapped. */
export function flagLines(flags: readonly Flag[]): string {
  const heads = flags.map((flag) => {
    const long = flag.negatable ? `--[no-]${flag.name}` : `--${flag.name}`;
    return `  ${flag.short ? `-${flag.short}, ` : '    '}${long}${flag.value ? ` <${flag.value}>` : ''}`;
  });
  const width = Math.max(...heads.map((head) => head.length)) + 2;
  return flags.map((flag, i) => wrap(flag.description, HELP_WIDTH - width, ' '.repeat(width), heads[i].padEnd(width))).join('\n');
}

/** Paragraphs of help text, each wrapped to the help width (write them as one line each). */
export function prose(...paragraphs: string[]): string {
  return paragraphs.map((paragraph) => wrap(paragraph, HELP_WIDTH)).join('\n\n');
}

/** `text` in lines of at most `width` characters, the first after `first`, the others after `indent`. */
export function wrap(text: string, width: number, indent = '', first = indent): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  lines.push(line);
  return lines.map((l, i) => `${i === 0 ? first : indent}${l}`).join('\n');
}
