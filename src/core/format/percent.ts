// Percentages as every front end shows them (CLI tables, the sidebar, labels, messages): one rounding rule.

/** `0.973` → `97%`, or `97.3%` with one digit. */
export function percent(p: number, digits = 0): string {
  return `${(p * 100).toFixed(digits)}%`;
}

/** The same, or `missing` for a figure there is none of (undefined or NaN). */
export function percentOr(p: number | undefined, digits: number, missing: string): string {
  return p === undefined || Number.isNaN(p) ? missing : percent(p, digits);
}
