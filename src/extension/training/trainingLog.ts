// What a training or evaluation tells the log: enough to tell later what ran, on what, how fast and how well.
import type * as vscode from 'vscode';
import { percent } from '../../core/format/percent';
import type { DatasetInfo, Metrics, ModelSummary, TrainOptions, TrainProgress } from '../../protocol/types';

type Log = vscode.LogOutputChannel;

export function logStart(
  log: Log,
  dataset: vscode.Uri,
  modelDir: vscode.Uri,
  options: Partial<TrainOptions>,
  columns: { textColumn?: string; labelColumn?: string },
): void {
  log.info(`training on ${dataset.fsPath} into ${modelDir.fsPath}`);
  log.info(`options given (the rest are defaults): ${JSON.stringify(options)}`);
  if (columns.textColumn || columns.labelColumn) log.info(`columns given: ${JSON.stringify(columns)}`);
}

export function logDataset(log: Log, d: DatasetInfo, seconds: number): void {
  log.info(`dataset ${d.path} (${d.format}, sha256 ${d.sha256.slice(0, 12)}…): ${d.rows} rows, read in ${seconds.toFixed(1)} s`);
  log.info(
    `classes: ${Object.entries(d.classCounts)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}`,
  );
  const { text, label, source, confident, available } = d.columns;
  log.info(`columns: text "${text}", label "${label}" (${source}${confident ? '' : ', unsure'}; available: ${available.join(', ')})`);
  for (const w of d.warnings) log.warn(w);
}

export function logEpoch(log: Log, p: TrainProgress): void {
  const validation =
    p.validationLoss !== undefined
      ? `, validation loss ${p.validationLoss.toFixed(4)}, accuracy ${percent(p.validationAccuracy ?? 0, 1)}`
      : '';
  log.info(`epoch ${p.epoch}/${p.epochs}: loss ${p.loss.toFixed(4)}, accuracy ${percent(p.accuracy, 1)}${validation}`);
}

export function logTrained(log: Log, manifest: ModelSummary, seconds: number, loadSeconds: number): void {
  log.info(
    `trained in ${seconds.toFixed(1)} s (loading ${loadSeconds.toFixed(1)} s, training ${manifest.trainSeconds.toFixed(1)} s, ` +
      `${Math.round(manifest.samplesPerSecond)} samples/s); best epoch ${manifest.bestEpoch}${manifest.stoppedEarly ? ' (stopped early)' : ''}`,
  );
  log.info(`options used: ${JSON.stringify(manifest.options)}`);
  const metrics = manifest.metrics.validation ?? manifest.metrics.test;
  if (metrics) logMetrics(log, 'validation', metrics);
}

export function logMetrics(log: Log, on: string, metrics: Metrics): void {
  log.info(`${on}: accuracy ${percent(metrics.accuracy, 1)}, macro-F1 ${metrics.macroF1.toFixed(3)} on ${metrics.count} examples`);
}
