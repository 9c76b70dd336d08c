// Metrics as `train` and `eval` print them: a summary line, then one row per class.
import { percentOr } from '../core/format/percent';
import type { Metrics } from '../core/types';
import { forStdout } from './output';

export const pct = (x: number | undefined) => percentOr(x, 1, '-');

export function formatMetrics(title: string, m: Metrics): string {
  const labels = m.perClass.map((c) => forStdout(c.label));
  const width = Math.max(5, ...labels.map((l) => l.length));
  const multi = m.multiLabel;
  // Multi-label: each class's scores are at its threshold, shown beside them (a test file's unknown labels have none).
  const threshold = (i: number) => (multi ? `  ${multi.thresholds[i] === undefined ? '    -' : multi.thresholds[i].toFixed(3)}` : '');
  const rows = m.perClass.map(
    (c, i) =>
      `  ${labels[i].padEnd(width)}  ${c.precision.toFixed(3)}  ${c.recall.toFixed(3)}  ${c.f1.toFixed(3)}  ${String(c.support).padStart(7)}${threshold(i)}`,
  );
  const summary = multi
    ? `${title}: micro-F1 ${multi.microF1.toFixed(3)}, macro-F1 ${m.macroF1.toFixed(3)}, samples-F1 ${multi.samplesF1.toFixed(3)}, subset accuracy ${pct(multi.subsetAccuracy)}, Hamming loss ${multi.hammingLoss.toFixed(4)} (${m.count} rows, multi-label)`
    : `${title}: accuracy ${pct(m.accuracy)}, macro-F1 ${m.macroF1.toFixed(3)}, weighted-F1 ${m.weightedF1.toFixed(3)}, ECE ${m.ece.toFixed(3)} (${m.count} rows)`;
  return [summary, `  ${'class'.padEnd(width)}  prec.  recall  F1     support${multi ? '  threshold' : ''}`, ...rows].join('\n');
}
