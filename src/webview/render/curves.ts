// Loss and accuracy per epoch, training and validation; during training also the running training figures
// of each batch, so the curve moves between epochs.
import type { CurvePoint } from '../../protocol/webview';
import { align, lineChart } from '../charts';
import { fixed, pct } from '../format';

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
const VALIDATION = '--vscode-charts-orange';

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
    const name = kind === 'loss' ? 'Loss' : 'Accuracy';
    return lineChart({
      label: `${input.title ? `${input.title}: ` : ''}${name} per epoch, training${hasValidation ? ' and validation' : ''}`,
      summary: kind === 'loss' ? lossSummary(input) : accuracySummary(input),
      x,
      series: [
        { label: `training ${kind}`, color: TRAIN, values: values[0], points: batches.length === 0 },
        ...(hasValidation ? [{ label: `validation ${kind}`, color: VALIDATION, values: values[1], points: true, dash: [5, 3] }] : []),
      ],
      xLabel: 'epoch',
      xIntegers: true,
      xRange: [0, xMax],
      yRange: kind === 'accuracy' ? [0, 1] : undefined,
      yFormat: kind === 'accuracy' ? (v) => pct(v, 0) : (v) => fixed(v, 2),
    });
  };
  return [chart('loss'), chart('accuracy')];
}

function lossSummary({ epochs, batches = [], bestEpoch }: CurveInput): string {
  const first = epochs[0];
  const last = epochs.at(-1);
  if (!first || !last) {
    const b = batches.at(-1);
    return b ? `Epoch 1 in progress: training loss ${fixed(b.loss)} so far.` : 'No epoch finished yet.';
  }
  let text =
    epochs.length === 1
      ? `Training loss ${fixed(last.loss)} after epoch 1.`
      : `Training loss went from ${fixed(first.loss)} (epoch 1) to ${fixed(last.loss)} (epoch ${last.epoch}).`;
  const withValidation = epochs.filter((e) => e.validationLoss !== undefined);
  if (withValidation.length) {
    const best = withValidation.reduce((a, b) => (b.validationLoss! < a.validationLoss! ? b : a));
    text += ` Validation loss was lowest at epoch ${best.epoch} (${fixed(best.validationLoss)})`;
    text += bestEpoch && bestEpoch === best.epoch ? ', whose weights were kept.' : '.';
  }
  return text;
}

function accuracySummary({ epochs, batches = [] }: CurveInput): string {
  const last = epochs.at(-1);
  if (!last) {
    const b = batches.at(-1);
    return b ? `Training accuracy ${pct(b.accuracy)} so far.` : '';
  }
  let text = `At epoch ${last.epoch}: training accuracy ${pct(last.accuracy)}`;
  text += last.validationAccuracy !== undefined ? `, validation accuracy ${pct(last.validationAccuracy)}.` : '.';
  return text;
}
