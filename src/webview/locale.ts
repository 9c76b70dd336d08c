// The page's language. The host writes VS Code's display language into <html lang> and the extension's string
// bundle for it into <body data-l10n> (metricsView.ts), so the very first draw, even one restored from
// getState before the host answers, is in the user's language. Every string of the page goes through
// l10n.t with a literal English message, the key of the bundle (as vscode.l10n.t on the host side).
import * as l10n from '@vscode/l10n';
import { setLocale } from './format';

export function useHostLanguage(doc: Document): void {
  setLocale(doc.documentElement.lang || undefined);
  const bundle = parseBundle(doc.body.dataset.l10n);
  if (bundle) l10n.config({ contents: bundle });
}

function parseBundle(json: string | undefined): Record<string, string> | undefined {
  if (!json) return undefined;
  try {
    const value: unknown = JSON.parse(json);
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, string>) : undefined;
  } catch {
    console.warn('the page was given an unreadable string bundle: English it is');
    return undefined;
  }
}
