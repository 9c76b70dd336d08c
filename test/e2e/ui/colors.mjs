// CSS colors as a test reads them: "rgb(r, g, b)", "rgba(…)" or "#rrggbb", their relative luminance and
// contrast ratio (WCAG 2: https://www.w3.org/TR/WCAG21/#dfn-contrast-ratio).

/** [r, g, b] in 0…255 (alpha is ignored: the tests compare opaque colors). */
export function parseColor(text) {
  const value = String(text).trim();
  const rgb = /^rgba?\(\s*([\d.]+)[,\s]+([\d.]+)[,\s]+([\d.]+)/.exec(value);
  if (rgb) return rgb.slice(1, 4).map(Number);
  const hex = /^#([0-9a-f]{3,8})$/i.exec(value)?.[1];
  if (hex) {
    const full = hex.length < 6 ? [...hex.slice(0, 3)].map((c) => c + c).join('') : hex.slice(0, 6);
    return [0, 2, 4].map((i) => parseInt(full.slice(i, i + 2), 16));
  }
  throw new Error(`not a color: ${value}`);
}

export function luminance([r, g, b]) {
  const channel = (c) => {
    const s = c / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
}

export function contrast(a, b) {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}
