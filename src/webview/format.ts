// Number and date formats shared by every part of the page, in VS Code's display language (set once by
// locale.ts), so figures read as the rest of the page does: "66.7%" in English and Chinese, "66,7 %" in German.
import * as l10n from '@vscode/l10n';

let locale: string | undefined;
const numberFormats = new Map<string, Intl.NumberFormat>();

/** The BCP 47 tag to format for (VS Code's display language, e.g. "zh-cn"); anything Intl rejects means its default. */
export function setLocale(language: string | undefined): void {
  locale = canonical(language);
  numberFormats.clear();
}

function canonical(language: string | undefined): string | undefined {
  try {
    return language ? Intl.getCanonicalLocales(language)[0] : undefined;
  } catch {
    return undefined;
  }
}

function numberFormat(style: 'decimal' | 'percent', digits: number): Intl.NumberFormat {
  const key = `${style}:${digits}`;
  let format = numberFormats.get(key);
  if (!format) {
    format = new Intl.NumberFormat(locale, { style, minimumFractionDigits: digits, maximumFractionDigits: digits });
    numberFormats.set(key, format);
  }
  return format;
}

const missing = (x: number | undefined): x is undefined => x === undefined || Number.isNaN(x);

// Rounded as toFixed rounds (as the host's messages and the CLI do, so a figure reads the same everywhere),
// then written in the language: Intl alone rounds 0.5555 up, toFixed down (it is 0.55549999… in binary).
export const pct = (x: number | undefined, digits = 1): string =>
  missing(x) ? '–' : numberFormat('percent', digits).format(Number((x * 100).toFixed(digits)) / 100);
export const fixed = (x: number | undefined, digits = 3): string =>
  missing(x) ? '–' : numberFormat('decimal', digits).format(Number(x.toFixed(digits)));
export const count = (n: number): string => numberFormat('decimal', 0).format(n);

export function seconds(s: number): string {
  if (!Number.isFinite(s)) return '–';
  if (s < 59.5) return l10n.t('{0} s', s < 10 ? fixed(s, 1) : count(Math.round(s)));
  const total = Math.round(s);
  const m = Math.floor(total / 60);
  return m < 60 ? l10n.t('{0} min {1} s', count(m), count(total % 60)) : l10n.t('{0} h {1} min', count(Math.floor(m / 60)), count(m % 60));
}

export function date(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString(locale, { dateStyle: 'medium', timeStyle: 'short' });
}

/** The time of day alone, for a date the reader already knows (a run saved the same day as the one beside it). */
export function time(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleTimeString(locale, { timeStyle: 'short' });
}

/** The last part of a path (the dataset's file name); the full path goes in a title. */
export function baseName(path: string): string {
  return path.split(/[\\/]/).filter(Boolean).pop() ?? path;
}

/** Sentences one after the other, as the language writes them (a space between them in English, none in Chinese). */
export function sentences(...parts: (string | false | undefined)[]): string {
  return parts.filter((p): p is string => !!p).reduce((text, next) => l10n.t('{0} {1}', text, next));
}

/** Names (labels, files) one after the other, with the language's separator ("a, b" in English, "a、b" in Chinese). */
export function joinNames(items: readonly string[]): string {
  return items.join(l10n.t(', '));
}
