// A class looks the same in the sidebar as on the editor's lines: class i of the model takes the theme color
// textcat.label(i mod 8 + 1), contributed in package.json and used by the inline labels (the host's
// labelPalette.ts). VS Code hands every webview each theme color as a CSS variable, --vscode-textcat-labelN,
// so the page follows the theme (light, dark, high contrast) without asking the host.
import { css, h } from './dom';

/** How many label colors package.json contributes (textcat.label1 … textcat.label8); a ninth class starts over. */
export const PALETTE_SIZE = 8;

/** The CSS color of the class at `index` in the model's label list. */
export function labelColor(index: number): string {
  return `var(--vscode-textcat-label${(index % PALETTE_SIZE) + 1})`;
}

/**
 * Each class's color, by name. `labels` is the model's label list (its order decides the colors); a name not
 * in it (a label only an evaluation dataset has, which the model never predicts) has none.
 */
export type ClassColors = (label: string) => string | undefined;

export function classColors(labels: readonly string[]): ClassColors {
  const index = new Map(labels.map((label, i) => [label, i]));
  return (label) => {
    const i = index.get(label);
    return i === undefined ? undefined : labelColor(i);
  };
}

/** Gives an element its class's color as --class-color (metrics.css draws chips, swatches and bars with it). */
export function withClassColor<E extends HTMLElement>(element: E, color: string | undefined): E {
  if (color) css(element, { '--class-color': color });
  return element;
}

/** A class name after a swatch of its color (in table headers). */
export function classLabel(label: string, colors: ClassColors): HTMLElement {
  return h(
    'span',
    { class: 'class-name' },
    withClassColor(h('span', { class: 'swatch', attrs: { 'aria-hidden': 'true' } }), colors(label)),
    h('span', { class: 'class-text' }, label),
  );
}
