// Untrusted text (labels, words, paths from the user's data) inside markdown that VS Code renders.

/**
 * Backslash before every ASCII punctuation character (CommonMark lets any of them be escaped), so a label
 * such as `<img src=x onerror=alert(1)>`, `a|b` or `*x*` reads literally: no HTML, no emphasis, no extra
 * table cell, no link. Line breaks would end a table row; they become spaces.
 */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\r\n]+/g, ' ').replace(/[!-/:-@[-`{-~]/g, '\\$&');
}

/**
 * VS Code renders `[label](command:id?args)`, `(https://…)` and `(file:…)` inside a notification's message as a
 * link; a command link runs that command with those arguments on a click. A notification is plain text
 * otherwise, so a zero-width space between `]` and `(` (the one place every such link needs them adjacent)
 * leaves what the user reads unchanged and makes no link of it. Used on every message the extension shows
 * (extension/notify.ts), whatever part of it came from data.
 */
export function inertLinks(text: string): string {
  return text.replace(/\]\(/g, ']\u200b(');
}
