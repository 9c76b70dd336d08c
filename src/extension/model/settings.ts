// The one place that reads Textcat's configuration: a typed, read-only snapshot rebuilt when it changes.
// Nobody else calls getConfiguration.
import * as vscode from 'vscode';
import { DEFAULT_MODEL_DIR } from '../../core/defaults';
import { OPTION_SPECS, type TrainOptions } from '../../core/options';
import type { UncertaintyMeasure } from '../dataset/uncertainty';

export type LowConfidenceStyle = 'dim' | 'hide';
/** Where a line's label is drawn: a fixed-width column before the text (always in view), or after its end. */
export type LabelPosition = 'start' | 'end';
/**
 * Which lines show their label (as Error Lens's followCursor): every line, the cursor's lines, the lines under
 * minConfidence, or the lines of the classes in `labels.classes`.
 */
export type LabelDensity = 'all' | 'activeLine' | 'uncertain' | 'classes';
const DENSITIES: readonly LabelDensity[] = ['all', 'activeLine', 'uncertain', 'classes'];

export interface Settings {
  /** Folder of the current model; undefined when there is no workspace folder to put it in. */
  readonly modelDir: vscode.Uri | undefined;
  /**
   * Where the paths came from: the default or the workspace's own settings (.vscode/settings.json, a cloned
   * repository's choice) are confined to the workspace before use; the user's settings are the user's.
   */
  readonly fromWorkspace: { readonly modelDir: boolean; readonly pretrainedVectors: boolean };
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
    readonly show: LabelDensity;
    /** The classes whose lines show a label when `show` is "classes". */
    readonly classes: readonly string[];
  };
  readonly review: { readonly measure: UncertaintyMeasure };
}

/** package.json's capabilities.untrustedWorkspaces.restrictedConfigurations: a workspace's value counts only once trusted. */
const RESTRICTED = new Set(['modelPath', 'training.pretrainedVectors']);

/** The value of `key` and whether the workspace (not the user) set it; a restricted one ignores the workspace while untrusted. */
function valueOf<T>(config: vscode.WorkspaceConfiguration, key: string): { value: T | undefined; fromWorkspace: boolean } {
  const inspected = config.inspect<T>(key);
  const workspaceValue =
    RESTRICTED.has(key) && !vscode.workspace.isTrusted ? undefined : (inspected?.workspaceFolderValue ?? inspected?.workspaceValue);
  if (workspaceValue !== undefined) return { value: workspaceValue, fromWorkspace: true };
  return { value: inspected?.globalValue, fromWorkspace: false };
}

function read(): Settings {
  const config = vscode.workspace.getConfiguration('textcat');
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  const modelSetting = valueOf<string>(config, 'modelPath');
  const modelPath = (typeof modelSetting.value === 'string' && modelSetting.value.trim()) || DEFAULT_MODEL_DIR;
  const modelDir = isAbsolute(modelPath) ? vscode.Uri.file(modelPath) : folder && vscode.Uri.joinPath(folder, modelPath);
  const training: Partial<Record<keyof TrainOptions, unknown>> = {};
  let vectorsFromWorkspace = false;
  for (const name of Object.keys(OPTION_SPECS) as (keyof TrainOptions)[]) {
    const { value, fromWorkspace } = valueOf(config, `training.${name}`);
    if (value === undefined) continue;
    training[name] = value;
    if (name === 'pretrainedVectors') vectorsFromWorkspace = fromWorkspace;
  }
  const nonEmpty = (s: string | undefined) => (s && s.trim() ? s.trim() : undefined);
  const position: LabelPosition = config.get<string>('labels.position', 'start') === 'end' ? 'end' : 'start';
  const density = config.get<string>('labels.show', 'all');
  const show = DENSITIES.find((d) => d === density) ?? 'all';
  const shownClasses = config.get<unknown>('labels.classes', []);
  const measure: UncertaintyMeasure = config.get<string>('review.measure', 'margin') === 'entropy' ? 'entropy' : 'margin';
  return Object.freeze({
    modelDir,
    // A relative path is the workspace's whoever set it; the user's own absolute path is theirs.
    fromWorkspace: { modelDir: modelSetting.fromWorkspace || !isAbsolute(modelPath), pretrainedVectors: vectorsFromWorkspace },
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
      show,
      classes: Array.isArray(shownClasses) ? shownClasses.filter((c): c is string => typeof c === 'string') : [],
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
    if (e.affectsConfiguration('textcat')) this.refresh();
  });
  /** Trust makes the workspace's values of the restricted settings count. */
  private readonly trustListener = vscode.workspace.onDidGrantWorkspaceTrust(() => this.refresh());

  private refresh(): void {
    this.snapshot = read();
    this.emitter.fire(this.snapshot);
  }

  get current(): Settings {
    return this.snapshot;
  }

  dispose(): void {
    this.listener.dispose();
    this.trustListener.dispose();
    this.emitter.dispose();
  }
}
