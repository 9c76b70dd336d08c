// The Metrics webview (a browser page: no Node, no vscode module). The host sends the whole
// MetricsViewState; the page keeps it with setState, so a view that was hidden (and so destroyed) draws at
// once when shown again, before the host answers 'ready' with fresh state.
import type { Metrics } from '../protocol/types';
import type {
  ConfusionCellExamples,
  ConfusionExample,
  HostToWebview,
  MetricsViewCommand,
  MetricsViewState,
  WebviewToHost,
} from '../protocol/webview';
import * as l10n from '@vscode/l10n';
import { destroyCharts, resizeCharts, setChartWidth } from './charts';
import { autotuneShown } from './autotuneRows';
import { classColors, type ClassColors } from './classColors';
import { figures, h, section } from './dom';
import { baseName, fixed, joinNames, pct } from './format';
import { useHostLanguage } from './locale';
import { confusionSummary, confusionTable } from './render/confusion';
import { confusionExamplesPanel } from './render/confusionExamples';
import { curveCharts } from './render/curves';
import { autotuneSection } from './render/autotune';
import { learningCurveSection } from './render/learningCurve';
import { runsSection } from './render/runs';
import { emptyState, modelOverview, trainingBanner } from './render/status';
import { datasetSection } from './render/summary';
import { calibration, perClassTable } from './render/tables';

interface WebviewApi<T> {
  getState(): T | undefined;
  setState(state: T): void;
  postMessage(message: WebviewToHost): void;
}
declare function acquireVsCodeApi<T>(): WebviewApi<T>;

type SourceId = 'validation' | 'test' | 'evaluation';

/** What survives the page being hidden: the last state and what the user picked. */
interface PageState {
  state?: MetricsViewState;
  selectedRun?: string;
  source?: SourceId;
  /** The confusion cell whose validation examples are listed (indices into the validation labels), and its examples. */
  cell?: { runId: string; truth: number; predicted: number };
  cellExamples?: ConfusionCellExamples;
}

useHostLanguage(document);
const api = acquireVsCodeApi<PageState>();
const page: PageState = api.getState() ?? {};
const app = document.getElementById('app')!;

const runCommand = (command: MetricsViewCommand) => api.postMessage({ type: 'runCommand', command });

const EXAMPLES_PANEL_ID = 'confusion-examples';

/** Opens a cell's list (asking the host for its examples), or closes it when it is the open one. */
function toggleCell(runId: string, truth: number, predicted: number): void {
  const open = page.cell;
  if (open && open.runId === runId && open.truth === truth && open.predicted === predicted) return closeCell();
  update({ cell: { runId, truth, predicted }, cellExamples: undefined });
  api.postMessage({ type: 'showConfusionCell', truth, predicted });
}

function closeCell(): void {
  const open = page.cell;
  update({ cell: undefined, cellExamples: undefined });
  if (open) app.querySelector<HTMLElement>(`[data-focus="cell:${open.truth}:${open.predicted}"]`)?.focus();
}

function openExample(example: ConfusionExample): void {
  api.postMessage(
    example.file === undefined
      ? { type: 'openExample', line: example.line }
      : { type: 'openExample', line: example.line, file: example.file },
  );
}

function confusionSection(runId: string, source: Source): HTMLElement {
  const { metrics } = source;
  // Only the validation set's examples are stored with the model.
  const drillable = source.id === 'validation';
  const cell = drillable && page.cell?.runId === runId ? page.cell : undefined;
  const drill = drillable
    ? { open: cell, panelId: EXAMPLES_PANEL_ID, onCell: (t: number, p: number) => toggleCell(runId, t, p) }
    : undefined;
  return section(
    'confusion',
    metrics.multiLabel ? l10n.t('Label co-occurrence') : l10n.t('Confusion matrix'),
    h('p', { class: 'muted' }, confusionSummary(metrics)),
    confusionTable(metrics, source.setName, drill, source.colors),
    drillable
      ? h('p', { class: 'muted hint' }, l10n.t('Choose a number to list its validation examples.'))
      : h(
          'p',
          { class: 'muted hint' },
          l10n.t('Examples are kept with the model for the validation set only; the {0} cannot be listed.', source.setName),
        ),
    cell
      ? confusionExamplesPanel({
          id: EXAMPLES_PANEL_ID,
          truthLabel: metrics.labels[cell.truth] ?? '',
          predictedLabel: metrics.labels[cell.predicted] ?? '',
          cellCount: metrics.confusion[cell.truth]?.[cell.predicted] ?? 0,
          reply: page.cellExamples,
          onOpen: openExample,
          onClose: closeCell,
        })
      : null,
  );
}

function update(change: Partial<PageState>): void {
  Object.assign(page, change);
  api.setState(page);
  render();
}

interface Source {
  id: SourceId;
  button: string;
  /** How captions name the examples: "validation set", "evaluation on test.csv". */
  setName: string;
  metrics: Metrics;
  /** Each class's color: that of its inline label, from the model's label order. */
  colors: ClassColors;
  note?: string;
}

function sources(state: MetricsViewState): Source[] {
  const found: Source[] = [];
  const { validation, test } = state.model?.metrics ?? {};
  const colors = classColors(state.model?.labels ?? []);
  if (validation)
    found.push({ id: 'validation', button: l10n.t('Validation'), setName: l10n.t('validation set'), metrics: validation, colors });
  if (test) found.push({ id: 'test', button: l10n.t('Test'), setName: l10n.t('test set'), metrics: test, colors });
  const e = state.evaluation;
  if (e) {
    const name = baseName(e.dataset);
    const note = e.unknownLabels.length
      ? l10n.t('Labels the model does not know (counted as errors): {0}', joinNames(e.unknownLabels))
      : undefined;
    found.push({
      id: 'evaluation',
      button: l10n.t('Evaluation: {0}', name),
      setName: l10n.t('evaluation on {0}', name),
      metrics: e.metrics,
      colors,
      note,
    });
  }
  return found;
}

function scoresSection(all: Source[], source: Source): HTMLElement {
  const m = source.metrics;
  const picker =
    all.length > 1
      ? h(
          'div',
          { class: 'segmented', attrs: { role: 'group', 'aria-label': l10n.t('Examples the scores are measured on') } },
          ...all.map((s) =>
            h(
              'button',
              {
                attrs: {
                  type: 'button',
                  'aria-pressed': s.id === source.id ? 'true' : 'false',
                  'data-focus': `source:${s.id}`,
                  title: s.setName,
                },
                on: { click: () => update({ source: s.id }) },
              },
              s.button,
            ),
          ),
        )
      : null;
  return section(
    'scores',
    l10n.t('Scores ({0})', source.setName),
    picker,
    figures(m.multiLabel ? multiLabelFigures(m, m.multiLabel) : singleLabelFigures(m), 'figures headline'),
    source.note ? h('p', { class: 'warning' }, source.note) : null,
  );
}

function singleLabelFigures(m: Metrics): [string, string][] {
  return [
    [l10n.t('Accuracy'), pct(m.accuracy)],
    [l10n.t('Macro-F1'), fixed(m.macroF1)],
    [l10n.t('Weighted F1'), fixed(m.weightedF1)],
    [l10n.t('ECE'), fixed(m.ece)],
  ];
}

/** A multi-label model is scored per label and per row: accuracy alone (the exact label set) would be harsh. */
function multiLabelFigures(m: Metrics, multi: NonNullable<Metrics['multiLabel']>): [string, string][] {
  return [
    [l10n.t('Micro-F1'), fixed(multi.microF1)],
    [l10n.t('Macro-F1'), fixed(m.macroF1)],
    [l10n.t('Samples-F1'), fixed(multi.samplesF1)],
    [l10n.t('Subset accuracy'), pct(multi.subsetAccuracy)],
    [l10n.t('Hamming loss'), fixed(multi.hammingLoss)],
    [l10n.t('ECE'), fixed(m.ece)],
  ];
}

type Block = [id: string, key: string, build: () => HTMLElement];

/** The page's sections in order; each is rebuilt only when its key (the data it shows) changes. */
function blocks(state: MetricsViewState): Block[] {
  const { model, training } = state;
  const list: Block[] = [];
  if (training) list.push(['training', JSON.stringify([training.dataset, training.progress]), () => trainingBanner(training, runCommand)]);
  // A search in progress comes first: it is what the user is waiting on. One that is over sits under the model.
  const tuned = autotuneShown(state);
  const autotuneBlock: Block | undefined = tuned && ['autotune', JSON.stringify(tuned), () => autotuneSection(tuned, runCommand)];
  if (autotuneBlock && tuned?.phase === 'running') list.push(autotuneBlock);
  if (!model && !training && tuned?.phase !== 'running')
    list.push(['empty', String(state.hasWorkspace), () => emptyState(state.hasWorkspace, runCommand)]);
  if (training) {
    const key = JSON.stringify([training.epochs, training.batches]);
    list.push([
      'live',
      key,
      () =>
        section(
          'live',
          l10n.t('Training curves (live)'),
          ...curveCharts({
            epochs: training.epochs,
            batches: training.batches,
            totalEpochs: training.progress?.epochs,
            title: l10n.t('Live'),
          }),
        ),
    ]);
  }
  const dataset = training?.datasetInfo ?? (training ? undefined : model?.dataset);
  const datasetBlock: Block | undefined = dataset && [
    'dataset',
    JSON.stringify([dataset, !!training]),
    // While training, the classes are this run's: the model it will save sorts them (core labelSet) into its colors.
    () =>
      datasetSection(
        dataset,
        training ? l10n.t('Dataset (this run)') : l10n.t('Dataset'),
        classColors(training ? Object.keys(dataset.classCounts).sort() : (model?.labels ?? [])),
      ),
  ];
  const curve = state.learningCurve;
  const curveBlock: Block | undefined = curve && ['learning-curve', JSON.stringify(curve), () => learningCurveSection(curve)];
  const overAutotune = autotuneBlock && tuned?.phase !== 'running' ? [autotuneBlock] : [];
  if (!model) return [...list, ...overAutotune, ...(datasetBlock ? [datasetBlock] : []), ...(curveBlock ? [curveBlock] : [])];

  list.push(['model', JSON.stringify([model.runId, !!training]), () => modelOverview(model, !!training, runCommand)]);
  list.push(...overAutotune);
  if (datasetBlock) list.push(datasetBlock);
  if (!training) {
    list.push([
      'curves',
      model.runId,
      () => section('curves', l10n.t('Training curves'), ...curveCharts({ epochs: model.history, bestEpoch: model.bestEpoch })),
    ]);
  }
  const all = sources(state);
  const source = all.find((s) => s.id === page.source) ?? all[0];
  if (source) {
    const key = JSON.stringify([model.runId, source.id, source.id === 'evaluation' ? state.evaluation : null, all.length]);
    list.push(['scores', key, () => scoresSection(all, source)]);
    const drillKey = source.id === 'validation' ? JSON.stringify([page.cell, page.cellExamples]) : '';
    list.push(['confusion', key + drillKey, () => confusionSection(model.runId, source)]);
    list.push([
      'per-class',
      key,
      () => section('per-class', l10n.t('Per-class scores'), perClassTable(source.metrics, source.setName, source.colors)),
    ]);
    list.push([
      'calibration',
      key,
      () =>
        section('calibration', l10n.t('Calibration (ECE {0})', fixed(source.metrics.ece)), ...calibration(source.metrics, source.setName)),
    ]);
  }
  list.push([
    'runs',
    JSON.stringify([model.runId, model.runs?.length, page.selectedRun]),
    () => runsSection(model, page.selectedRun, (id) => update({ selectedRun: id })),
  ]);
  if (curveBlock) list.push(curveBlock);
  return list;
}

const slots = new Map<string, { key: string; element: HTMLElement }>();

function render(force = false): void {
  const state = page.state;
  if (!state) return;
  // Rebuilt sections lose focus; put it back on the control with the same data-focus.
  const focused = (document.activeElement as HTMLElement | null)?.closest<HTMLElement>('[data-focus]')?.dataset.focus;
  const next = new Map<string, { key: string; element: HTMLElement }>();
  const elements = blocks(state).map(([id, key, build]) => {
    const old = slots.get(id);
    if (old && old.key === key && !force) {
      next.set(id, old);
      return old.element;
    }
    const element = build();
    next.set(id, { key, element });
    return element;
  });
  for (const [id, old] of slots) if (next.get(id)?.element !== old.element) destroyCharts(old.element);
  slots.clear();
  for (const [id, slot] of next) slots.set(id, slot);
  // Move only what changed, so an unchanged section keeps its focus and scroll state.
  elements.forEach((element, i) => {
    const at = app.children[i];
    if (at !== element) app.insertBefore(element, at ?? null);
  });
  while (app.children.length > elements.length) app.lastElementChild!.remove();
  app.removeAttribute('aria-busy');
  if (focused && !app.contains(document.activeElement)) {
    app.querySelector<HTMLElement>(`[data-focus="${CSS.escape(focused)}"]`)?.focus();
  }
}

function onMessage(message: HostToWebview): void {
  switch (message.type) {
    case 'state': {
      // A search the user just started is what they wait on: its section is first on the page, so show the top.
      const searchStarted = message.state.autotune?.phase === 'running' && page.state?.autotune?.phase !== 'running';
      const previous = page.state?.evaluation;
      const evaluation = message.state.evaluation;
      // A new evaluation is what the user just asked for: show its scores.
      const source = evaluation && JSON.stringify(evaluation) !== JSON.stringify(previous) ? 'evaluation' : page.source;
      const runs = message.state.model?.runs ?? [];
      const selectedRun = runs.some((r) => r.id === page.selectedRun) ? page.selectedRun : undefined;
      // A list of examples belongs to the model it came from.
      const same = page.cell?.runId === message.state.model?.runId;
      update({ state: message.state, source, selectedRun, ...(same ? {} : { cell: undefined, cellExamples: undefined }) });
      if (searchStarted) window.scrollTo({ top: 0 });
      document.body.dataset.ready = 'true';
      break;
    }
    case 'confusionExamples': {
      const { type: _type, ...reply } = message;
      const cell = page.cell;
      if (cell && cell.runId === reply.runId && cell.truth === reply.truth && cell.predicted === reply.predicted)
        update({ cellExamples: reply });
      break;
    }
    default: {
      const unexpected: never = message;
      console.warn(`unknown message ${JSON.stringify(unexpected)}`);
    }
  }
}

window.addEventListener('message', (event: MessageEvent<HostToWebview>) => {
  if (event.data && typeof event.data === 'object' && 'type' in event.data) onMessage(event.data);
});

// Charts are as wide as the sections' content box.
setChartWidth(() => Math.max(160, (app.querySelector('.card')?.clientWidth ?? app.clientWidth) - 22));
let resizeFrame = 0;
new ResizeObserver(() => {
  cancelAnimationFrame(resizeFrame);
  resizeFrame = requestAnimationFrame(resizeCharts);
}).observe(app);
// A theme change updates the body's class and the CSS variables; canvases must be redrawn with the new colors.
let themeFrame = 0;
const redraw = () => {
  cancelAnimationFrame(themeFrame);
  themeFrame = requestAnimationFrame(() => render(true));
};
new MutationObserver(redraw).observe(document.body, { attributes: true, attributeFilter: ['class'] });
new MutationObserver(redraw).observe(document.documentElement, { attributes: true, attributeFilter: ['style'] });

render();
api.postMessage({ type: 'ready' });
// A list open before the page was hidden: ask again, the dataset or model may have changed meanwhile.
if (page.cell) api.postMessage({ type: 'showConfusionCell', truth: page.cell.truth, predicted: page.cell.predicted });
