// Untrusted text (labels, words, paths from the user's data) inside markdown that VS Code renders.

/**
 * Backslash before every ASCII punctuation character (CommonMark lets any of them be escaped), so a label
 * such as `<img src=x onerror=alert(1)>`, `a|b` or `*x*` reads literally: no HTML, no emphasis, no extra
 * table cell, no link. Line breaks would end a table row; they become spaces.
 */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\r\n]+/g, ' ').replace(/[!-/:-@[-`{-~]/g, '\\$&');
}
