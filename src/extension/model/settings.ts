// The one place that reads Textcat's configuration: a typed, read-only snapshot rebuilt when it changes.
// Nobody else calls getConfiguration.
import * as vscode from 'vscode';
import { DEFAULT_MODEL_DIR } from '../../core/defaults';
import { OPTION_SPECS, type TrainOptions } from '../../core/options';
import type { UncertaintyMeasure } from '../dataset/uncertainty';

export type LowConfidenceStyle = 'dim' | 'hide';
/** Where a line's label is drawn: a fixed-width column before the text (always in view), or after its end. */
export type LabelPosition = 'start' | 'end';

export interface Settings {
  /** Folder of the current model; undefined when there is no workspace folder to put it in. */
  readonly modelDir: vscode.Uri | undefined;
  readonly dataset: { readonly textColumn?: string; readonly labelColumn?: string };
  /** Only the options the user set; the worker fills in the defaults. */
  readonly training: Readonly<Partial<TrainOptions>>;
  readonly labels: {
    readonly enabled: boolean;
    readonly include: readonly string[];
    /** Files matching these are not labeled, even when they match `include`. */
    readonly exclude: readonly string[];
    readonly position: LabelPosition;
    /** Marks in each class's color on the overview ruler (the scrollbar). */
    readonly overviewRuler: boolean;
    readonly minConfidence: number;
    readonly showConfidence: boolean;
    readonly lowConfidence: LowConfidenceStyle;
    /** The hover explains the label (occlusion weights of the line's words). */
    readonly explain: boolean;
  };
  readonly review: { readonly measure: UncertaintyMeasure };
}

function read(): Settings {
  const config = vscode.workspace.getConfiguration('textcat');
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  const modelPath = config.get<string>('modelPath') || DEFAULT_MODEL_DIR;
  const modelDir = isAbsolute(modelPath) ? vscode.Uri.file(modelPath) : folder && vscode.Uri.joinPath(folder, modelPath);
  const training: Partial<Record<keyof TrainOptions, unknown>> = {};
  for (const name of Object.keys(OPTION_SPECS) as (keyof TrainOptions)[]) {
    const inspected = config.inspect(`training.${name}`);
    const value = inspected?.workspaceFolderValue ?? inspected?.workspaceValue ?? inspected?.globalValue;
    if (value !== undefined) training[name] = value;
  }
  const nonEmpty = (s: string | undefined) => (s && s.trim() ? s.trim() : undefined);
  const position: LabelPosition = config.get<string>('labels.position', 'start') === 'end' ? 'end' : 'start';
  const measure: UncertaintyMeasure = config.get<string>('review.measure', 'margin') === 'entropy' ? 'entropy' : 'margin';
  return Object.freeze({
    modelDir,
    dataset: {
      textColumn: nonEmpty(config.get<string>('dataset.textColumn')),
      labelColumn: nonEmpty(config.get<string>('dataset.labelColumn')),
    },
    training: training as Partial<TrainOptions>,
    labels: {
      enabled: config.get<boolean>('labels.enabled', true),
      include: config.get<string[]>('labels.include', []),
      exclude: config.get<string[]>('labels.exclude', []),
      position,
      overviewRuler: config.get<boolean>('labels.overviewRuler', true),
      minConfidence: config.get<number>('labels.minConfidence', 0.5),
      showConfidence: config.get<boolean>('labels.showConfidence', true),
      lowConfidence: config.get<LowConfidenceStyle>('labels.lowConfidence', 'dim'),
      explain: config.get<boolean>('labels.explain', true),
    },
    review: {
      measure,
    },
  });
}

function isAbsolute(p: string): boolean {
  return p.startsWith('/') || /^[a-zA-Z]:[\\/]/.test(p);
}

export class SettingsStore implements vscode.Disposable {
  private snapshot = read();
  private readonly emitter = new vscode.EventEmitter<Settings>();
  readonly onDidChange = this.emitter.event;
  private readonly listener = vscode.workspace.onDidChangeConfiguration((e) => {
    if (!e.affectsConfiguration('textcat')) return;
    this.snapshot = read();
    this.emitter.fire(this.snapshot);
  });

  get current(): Settings {
    return this.snapshot;
  }

  dispose(): void {
    this.listener.dispose();
    this.emitter.dispose();
  }
}
