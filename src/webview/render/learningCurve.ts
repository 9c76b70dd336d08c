// "Would more labels help?": macro-F1 on the same held-out rows against the number of training rows, with the
// host's plain reading of the curve's end (core/analysis/learningCurve.ts) as the chart's text alternative.
import * as l10n from '@vscode/l10n';
import type { MetricsViewState } from '../../protocol/webview';
import { lineChart } from '../charts';
import { section } from '../dom';
import { fixed } from '../format';

export function learningCurveSection(result: NonNullable<MetricsViewState['learningCurve']>): HTMLElement {
  const { curve, dataset } = result;
  const rows = curve.points.map((p) => p.rows);
  return section(
    'learning-curve',
    l10n.t('Would more labels help? ({0})', dataset),
    lineChart({
      label: l10n.t('Validation macro-F1 against training rows, on the same {0} held-out rows', curve.heldOut),
      summary: curve.verdict,
      x: rows,
      series: [{ label: l10n.t('macro-F1'), color: '--vscode-charts-green', values: curve.points.map((p) => p.macroF1), points: true }],
      xLabel: l10n.t('training rows'),
      xRange: [0, Math.max(...rows)],
      yRange: [0, 1],
      yFormat: (value) => fixed(value, 2),
      legendFormat: (value) => fixed(value),
      xIntegers: true,
    }),
  );
}
