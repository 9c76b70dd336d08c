// Line charts on uPlot (bundled, with its style sheet, into dist/webview.js and dist/webview.css). A canvas
// cannot read CSS variables, so colors are read from the theme when a chart is built; the page rebuilds its
// charts when the theme changes. Each chart sits in a <figure> with an aria-label and a text summary beside
// it: the canvas is never the only way to read a figure. The legend always shows figures: those under the
// pointer, and while the pointer is elsewhere those at legendIndex (the last epoch, by default).
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { h } from './dom';

export interface ChartSeries {
  label: string;
  /** A theme variable such as --vscode-charts-blue. */
  color: string;
  values: (number | null)[];
  dash?: number[];
  points?: boolean;
  width?: number;
}

export interface ChartSpec {
  /** What the chart shows, for screen readers (the figure's aria-label). */
  label: string;
  /** Text alternative shown under the chart. */
  summary: string;
  x: number[];
  series: ChartSeries[];
  xLabel: string;
  xRange?: [number, number];
  yRange?: [number, number];
  yFormat?: (value: number) => string;
  xFormat?: (value: number) => string;
  /** How the legend writes a series' value (finer than the axis ticks); yFormat by default. */
  legendFormat?: (value: number) => string;
  /** The point whose figures the legend shows while the pointer is not on the chart; the last one by default. */
  legendIndex?: number;
  /** Label only whole-number ticks on the x axis (epochs). */
  xIntegers?: boolean;
  height?: number;
}

const charts = new Map<HTMLElement, uPlot>();
let measure = () => 260;

/** How wide charts are (the page's content width), asked when one is built and on resize. */
export function setChartWidth(fn: () => number): void {
  measure = fn;
}

export function themeColor(variable: string, fallback = '#888888'): string {
  return getComputedStyle(document.body).getPropertyValue(variable).trim() || fallback;
}

/** #rgb, #rrggbb or #rrggbbaa with a new alpha; other notations are returned as they are. */
export function withAlpha(color: string, alpha: number): string {
  let hex = /^#([0-9a-f]{3,8})$/i.exec(color)?.[1];
  if (!hex) return color;
  if (hex.length === 3) hex = [...hex].map((c) => c + c).join('');
  return `#${hex.slice(0, 6)}${Math.round(alpha * 255)
    .toString(16)
    .padStart(2, '0')}`;
}

export function lineChart(spec: ChartSpec): HTMLElement {
  const canvasHolder = h('div', { class: 'chart-canvas', attrs: { role: 'img', 'aria-label': spec.label } });
  const figure = h('figure', { class: 'chart' }, canvasHolder, h('figcaption', { class: 'chart-summary' }, spec.summary));
  const foreground = themeColor('--vscode-foreground', '#cccccc');
  const muted = themeColor('--vscode-descriptionForeground', foreground);
  const grid = withAlpha(foreground, 0.12);
  const font = `11px ${themeColor('--vscode-font-family', 'sans-serif')}`;
  const yFormat = spec.yFormat ?? ((v: number) => v.toFixed(2));
  const xFormat = spec.xFormat ?? ((v: number) => String(v));
  const legendFormat = spec.legendFormat ?? yFormat;
  const resting = spec.legendIndex ?? spec.x.length - 1;
  const axis = (size: number): uPlot.Axis => ({
    stroke: muted,
    font,
    labelFont: font,
    size,
    grid: { stroke: grid, width: 1 },
    ticks: { stroke: grid, width: 1, size: 3 },
  });
  const options: uPlot.Options = {
    width: measure(),
    height: spec.height ?? 150,
    cursor: { drag: { x: false, y: false } },
    legend: { show: true, live: true },
    scales: {
      x: { time: false, ...(spec.xRange ? { range: spec.xRange } : {}) },
      y: spec.yRange ? { range: spec.yRange } : { range: (_u, min, max) => [Math.min(0, min), max > 0 ? max * 1.05 : 1] },
    },
    axes: [
      {
        ...axis(30),
        label: spec.xLabel,
        labelSize: 14,
        values: (_u, values) => values.map((v) => (spec.xIntegers && !Number.isInteger(v) ? '' : xFormat(v))),
      },
      { ...axis(42), values: (_u, values) => values.map(yFormat) },
    ],
    series: [
      {
        label: spec.xLabel,
        value: (_u, v, _s, idx) => {
          const x = idx == null ? spec.x[resting] : v;
          return x == null ? '–' : xFormat(Math.round(x * 100) / 100);
        },
      },
      ...spec.series.map((s): uPlot.Series => {
        // Opaque: a line drawn in a translucent theme color fades into the grid.
        const color = withAlpha(themeColor(s.color, foreground), 1);
        return {
          label: s.label,
          stroke: color,
          width: s.width ?? 2,
          dash: s.dash,
          spanGaps: true,
          points: { show: s.points ?? false, size: 6, fill: color, stroke: color },
          value: (_u, v, _s, idx) => {
            const y = idx == null ? lastUpTo(s.values, resting) : v;
            return y == null ? '–' : legendFormat(y);
          },
        };
      }),
    ],
  };
  charts.set(figure, new uPlot(options, [spec.x, ...spec.series.map((s) => s.values)] as uPlot.AlignedData, canvasHolder));
  return figure;
}

/** The series' value at `index`, or its last one before (a validation figure exists only at epoch ends). */
function lastUpTo(values: readonly (number | null)[], index: number): number | null {
  for (let i = Math.min(index, values.length - 1); i >= 0; i--) if (values[i] != null) return values[i];
  return null;
}

/** Frees the charts inside an element that leaves the page. */
export function destroyCharts(within: Element): void {
  for (const [figure, plot] of charts) {
    if (within === figure || within.contains(figure)) {
      plot.destroy();
      charts.delete(figure);
    }
  }
}

export function resizeCharts(): void {
  const width = measure();
  for (const plot of charts.values()) if (plot.width !== width) plot.setSize({ width, height: plot.height });
}

/**
 * Several series sampled at different x (batch points, epoch ends) on one x axis, as uPlot wants:
 * the sorted union of the x values, each series null where it has no point.
 */
export function align(series: { points: [number, number][] }[]): { x: number[]; values: (number | null)[][] } {
  const x = [...new Set(series.flatMap((s) => s.points.map(([px]) => px)))].sort((a, b) => a - b);
  const index = new Map(x.map((v, i) => [v, i]));
  const values = series.map((s) => {
    const column = Array.from({ length: x.length }, (): number | null => null);
    for (const [px, py] of s.points) column[index.get(px)!] = py;
    return column;
  });
  return { x, values };
}
