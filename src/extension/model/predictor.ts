// The one service that asks the model about texts: predictions (with the labels their probabilities index) and
// explanations, each cached for the current model, asked of the worker in one request for whatever is missing.
// When the model changes while the worker answers, the answer (or the failure) is the old model's, and the
// question is asked again. Line labels, the hover, quick fixes, Classify Selection, Export, Review and Label
// Line all ask here.
import * as vscode from 'vscode';
import { errorMessage } from '../../core/format/errorText';
import { DEFAULT_OPTIONS } from '../../core/options';
import type { Explanation, ModelSummary, Prediction } from '../../protocol/types';
import type { CancellationSignal, WorkerClient } from '../../worker/client';
import type { ModelState } from './modelState';
import { PredictionCache } from './predictionCache';
import type { SettingsStore } from './settings';

const CACHE_SIZE = 30_000;
/** Explanations are asked for one hovered line at a time; a few hundred cover any session. */
const EXPLANATION_CACHE_SIZE = 500;

/** The model's answer for some texts, in their order. */
export interface Classified {
  /** The model's classes, in the order of each Prediction's probabilities. */
  readonly labels: readonly string[];
  readonly predictions: readonly Prediction[];
}

/** A class and its probability; `p` is absent when the worker could not be asked. */
export interface RankedClass {
  readonly label: string;
  readonly p?: number;
}

export class Predictor implements vscode.Disposable {
  private readonly predictions = new PredictionCache<Prediction>(CACHE_SIZE);
  private readonly explanations = new PredictionCache<Explanation>(EXPLANATION_CACHE_SIZE);
  private labelsValue: readonly string[] = [];
  /** Bumped on every model change: answers for an older model are dropped, not cached. */
  private epoch = 0;
  private readonly emitter = new vscode.EventEmitter<ModelSummary | undefined>();
  /** Fires once the caches are emptied for a new model (or none): whatever was drawn from them is stale. */
  readonly onDidChangeModel = this.emitter.event;
  private readonly listener: vscode.Disposable;

  constructor(
    private readonly settings: SettingsStore,
    private readonly model: ModelState,
    private readonly worker: WorkerClient,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.labelsValue = model.manifest?.labels ?? [];
    this.listener = model.onDidChangeModel((manifest) => this.useModel(manifest));
  }

  hasModel(): boolean {
    return this.model.manifest !== undefined && this.model.dir !== undefined;
  }

  /** Why the workspace's model cannot be used (damaged, hostile, outside the workspace); undefined when there is none or it can. */
  modelProblem(): string | undefined {
    return this.model.problem;
  }

  /** The current model's classes, in the order of Prediction.probabilities. */
  get labels(): readonly string[] {
    return this.labelsValue;
  }

  /** A multi-label model's threshold per class (in `labels` order); undefined for a single-label model. */
  get thresholds(): readonly number[] | undefined {
    const manifest = this.model.manifest;
    return manifest?.multiLabel && manifest.thresholds?.length === this.labelsValue.length ? manifest.thresholds : undefined;
  }

  /**
   * Predictions for the texts, asking the worker once for those not cached; undefined when there is no model.
   * `remember: false` keeps a bulk job (export, review) from flushing what the visible lines need.
   */
  async classify(texts: readonly string[], options: { remember: boolean; token?: CancellationSignal }): Promise<Classified | undefined> {
    let labels: string[] | undefined;
    const predictions = await this.ask(texts, this.predictions, options.remember, async (dir, missing) => {
      const reply = await this.worker.predict(dir, missing, options.token);
      labels = reply.labels;
      return reply.predictions;
    });
    if (!predictions) return undefined;
    if (labels) this.labelsValue = labels;
    return { labels: this.labelsValue, predictions };
  }

  /** Why the model labels each text as it does (occlusion weights); cached too. */
  explain(texts: readonly string[], token?: CancellationSignal): Promise<Explanation[] | undefined> {
    return this.ask(texts, this.explanations, true, (dir, missing) => this.worker.explain(dir, missing, token));
  }

  /** The cached prediction of a text, without asking; `touch` keeps it among the recent ones (it is on screen). */
  cached(text: string, touch = false): Prediction | undefined {
    const key = this.modelInput(text);
    return touch ? this.predictions.get(key) : this.predictions.peek(key);
  }

  /** Every class with its probability in `prediction`, most likely first. */
  ranked(prediction: Prediction): Required<RankedClass>[] {
    return this.labelsValue.map((label, i) => ({ label, p: prediction.probabilities[i] ?? 0 })).sort((a, b) => b.p - a.p);
  }

  /** The classes for `text`, most likely first; in the model's order, without probabilities, if the worker fails. */
  async rankedFor(text: string): Promise<RankedClass[]> {
    try {
      const result = await this.classify([text], { remember: true });
      if (result) return this.ranked(result.predictions[0]);
    } catch (error) {
      this.log.warn(`no prediction for "${text.slice(0, 40)}": ${errorMessage(error)}`);
    }
    return (this.model.manifest?.labels ?? this.labelsValue).map((label) => ({ label }));
  }

  /** One answer per text: the cached ones, and the rest from one worker request for the current model. */
  private async ask<V>(
    texts: readonly string[],
    cache: PredictionCache<V>,
    remember: boolean,
    request: (modelDir: string, missing: string[]) => Promise<V[]>,
  ): Promise<V[] | undefined> {
    for (;;) {
      // The folder the manifest was read from (confined when the workspace chose it), not the setting as it is now.
      const dir = this.model.dir;
      if (!dir || !this.hasModel()) return undefined;
      const epoch = this.epoch;
      const keys = texts.map((t) => this.modelInput(t));
      const missing = [...new Set(keys.filter((k) => !cache.peek(k)))];
      let answers: V[] = [];
      try {
        if (missing.length) answers = await request(dir, missing);
      } catch (error) {
        if (epoch === this.epoch) throw error;
      }
      if (epoch !== this.epoch) continue; // the answer, or the failure, was the old model's: ask the new one
      const fresh = new Map(missing.map((k, i) => [k, answers[i]]));
      if (remember) fresh.forEach((answer, k) => cache.set(k, answer));
      return keys.map((k) => fresh.get(k) ?? cache.peek(k)!);
    }
  }

  /**
   * Truncates a line before it goes to the worker. The tokenizer keeps only the first maxLength tokens (as in
   * training); this character cap keeps a minified megabyte line from travelling whole, and is far above what
   * maxLength tokens take. It is also the cache key, so keys stay small.
   */
  private modelInput(text: string): string {
    const maxLength = this.model.manifest?.options.maxLength ?? DEFAULT_OPTIONS.maxLength;
    return text.length > maxLength * 128 ? text.slice(0, maxLength * 128) : text;
  }

  private useModel(manifest: ModelSummary | undefined): void {
    this.epoch++;
    this.predictions.clear();
    this.explanations.clear();
    this.labelsValue = manifest?.labels ?? [];
    this.emitter.fire(manifest);
  }

  dispose(): void {
    this.listener.dispose();
    this.emitter.dispose();
  }
}
