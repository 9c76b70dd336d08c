// The plain data that travels between the extension host, the worker and the webview, as core defines it.
// Types only: importing them pulls no code (no tfjs) into the extension or the page. Core never imports
// anything under src/protocol; the messages between core's own threads live in core/model/threadMessages.ts.
export type { TrainOptions } from '../core/options';
export type { TrainProgress } from '../core/training/train';
export type { ColumnChoice, Metrics } from '../core/types';
export type { DatasetSpec, Prediction } from '../core/jobs';
export type { DatasetInfo } from '../core/store/modelStore';
/** textcat.json as the host and the sidebar see it: checked by core (modelSummary.ts), without the tokenizer. */
export type { ModelSummary } from '../core/store/modelSummary';
export type { Explanation, TokenWeight } from '../core/analysis/explain';
export type { OnnxExport } from '../core/export/exportTypes';
export type { CheckedDataset, LabelIssueRow } from '../core/analysis/labelErrors';
export type { LearningCurve, CurvePoint as LearningCurvePoint } from '../core/analysis/learningCurve';
export type { AutotuneRecord, AutotuneTrial } from '../core/autotune/autotuneRecord';
