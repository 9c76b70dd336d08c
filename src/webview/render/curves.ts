// Loss and accuracy per epoch, training and validation; during training also the running training figures
// of each batch, so the curve moves between epochs.
import * as l10n from '@vscode/l10n';
import type { CurvePoint } from '../../protocol/webview';
import { align, lineChart } from '../charts';
import { fixed, pct, sentences } from '../format';

/** An epoch's figures, as both EpochRecord (saved history) and an epochDone TrainProgress carry them. */
export interface EpochFigures {
  epoch: number;
  loss: number;
  accuracy: number;
  validationLoss?: number;
  validationAccuracy?: number;
}

export interface CurveInput {
  epochs: readonly EpochFigures[];
  batches?: readonly CurvePoint[];
  /** Epochs planned (live training: the x axis spans them all from the start). */
  totalEpochs?: number;
  bestEpoch?: number;
  /** Prefix of the charts' names, e.g. "Live" or "Run of 3 May". */
  title?: string;
}

const TRAIN = '--vscode-charts-blue';
// Not charts.orange: it is the minimap's translucent find color, and high-contrast themes leave it out.
const VALIDATION = '--vscode-charts-purple';

/** The words of each chart: its name for screen readers and its series' names in the legend. */
function names(kind: 'loss' | 'accuracy', hasValidation: boolean) {
  if (kind === 'loss')
    return {
      chart: hasValidation ? l10n.t('Loss per epoch, training and validation') : l10n.t('Loss per epoch, training'),
      train: l10n.t('training loss'),
      validation: l10n.t('validation loss'),
    };
  return {
    chart: hasValidation ? l10n.t('Accuracy per epoch, training and validation') : l10n.t('Accuracy per epoch, training'),
    train: l10n.t('training accuracy'),
    validation: l10n.t('validation accuracy'),
  };
}

export function curveCharts(input: CurveInput): HTMLElement[] {
  const { epochs } = input;
  const batches = input.batches ?? [];
  const last = epochs.at(-1);
  const xMax = Math.max(1, input.totalEpochs ?? 0, last?.epoch ?? 0, Math.ceil(batches.at(-1)?.x ?? 0));
  const hasValidation = epochs.some((e) => e.validationLoss !== undefined);
  const chart = (kind: 'loss' | 'accuracy') => {
    const train = [...batches.map((b): [number, number] => [b.x, b[kind]]), ...epochs.map((e): [number, number] => [e.epoch, e[kind]])];
    const validation = epochs.flatMap((e): [number, number][] => {
      const v = kind === 'loss' ? e.validationLoss : e.validationAccuracy;
      return v === undefined ? [] : [[e.epoch, v]];
    });
    // Batch points and epoch ends can share an x: keep the epoch's figure (the later one).
    const dedup = [...new Map(train.map((p) => [p[0], p])).values()];
    const { x, values } = align([{ points: dedup }, { points: validation }]);
    const name = names(kind, hasValidation);
    return lineChart({
      label: input.title ? l10n.t('{0}: {1}', input.title, name.chart) : name.chart,
      summary: kind === 'loss' ? lossSummary(input) : accuracySummary(input),
      x,
      series: [
        { label: name.train, color: TRAIN, values: values[0], points: batches.length === 0 },
        ...(hasValidation ? [{ label: name.validation, color: VALIDATION, values: values[1], points: true, dash: [5, 3] }] : []),
      ],
      xLabel: l10n.t('epoch'),
      xIntegers: true,
      xRange: [0, xMax],
      yRange: kind === 'accuracy' ? [0, 1] : undefined,
      yFormat: kind === 'accuracy' ? (v) => pct(v, 0) : (v) => fixed(v, 2),
      legendFormat: kind === 'accuracy' ? (v) => pct(v) : (v) => fixed(v),
    });
  };
  return [chart('loss'), chart('accuracy')];
}

function lossSummary({ epochs, batches = [], bestEpoch }: CurveInput): string {
  const first = epochs[0];
  const last = epochs.at(-1);
  if (!first || !last) {
    const b = batches.at(-1);
    return b ? l10n.t('Epoch 1 in progress: training loss {0} so far.', fixed(b.loss)) : l10n.t('No epoch finished yet.');
  }
  const training =
    epochs.length === 1
      ? l10n.t('Training loss {0} after epoch 1.', fixed(last.loss))
      : l10n.t('Training loss went from {0} (epoch 1) to {1} (epoch {2}).', fixed(first.loss), fixed(last.loss), last.epoch);
  const withValidation = epochs.filter((e) => e.validationLoss !== undefined);
  if (!withValidation.length) return training;
  const best = withValidation.reduce((a, b) => (b.validationLoss! < a.validationLoss! ? b : a));
  return sentences(
    training,
    bestEpoch && bestEpoch === best.epoch
      ? l10n.t('Validation loss was lowest at epoch {0} ({1}), whose weights were kept.', best.epoch, fixed(best.validationLoss))
      : l10n.t('Validation loss was lowest at epoch {0} ({1}).', best.epoch, fixed(best.validationLoss)),
  );
}

function accuracySummary({ epochs, batches = [] }: CurveInput): string {
  const last = epochs.at(-1);
  if (!last) {
    const b = batches.at(-1);
    return b ? l10n.t('Training accuracy {0} so far.', pct(b.accuracy)) : '';
  }
  return last.validationAccuracy !== undefined
    ? l10n.t('At epoch {0}: training accuracy {1}, validation accuracy {2}.', last.epoch, pct(last.accuracy), pct(last.validationAccuracy))
    : l10n.t('At epoch {0}: training accuracy {1}.', last.epoch, pct(last.accuracy));
}
