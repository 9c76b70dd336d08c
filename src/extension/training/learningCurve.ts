// "Textcat: Would More Labels Help?": models trained in the worker on 25/50/75/100 % of a dataset's rows, each
// scored on the same held-out rows (core/analysis/learningCurve.ts), nothing written; the curve goes to the sidebar and its
// reading to a notification.
import * as vscode from 'vscode';
import type { LearningCurve } from '../../protocol/types';
import { showInfo, withNotificationProgress } from '../notify';
import type { Services } from '../services';
import { datasetRequest, datasetToRead } from './datasetArgument';

interface CurveArgument {
  dataset?: unknown;
  /** Shares of the rows, rising, from above 0 to 1 [0.25, 0.5, 0.75, 1]. */
  shares?: number[];
}

type Deps = Pick<Services, 'context' | 'settings' | 'worker' | 'log' | 'metricsView'>;

/** textcat.learningCurve: resolves with the curve (undefined when nothing was run). */
export async function learningCurveCommand(s: Deps, arg?: unknown): Promise<LearningCurve | undefined> {
  const given = (arg instanceof vscode.Uri || typeof arg === 'string' ? { dataset: arg } : (arg ?? {})) as CurveArgument;
  const uri = await datasetToRead(s, given.dataset, vscode.l10n.t('Textcat: Would More Labels Help?'));
  if (!uri) return undefined;
  const shares = Array.isArray(given.shares) && given.shares.every((x) => typeof x === 'number') ? given.shares : undefined;
  const name = vscode.workspace.asRelativePath(uri);
  s.log.info(`learning curve of ${uri.fsPath}`);
  // Cancel rejects with a CancelledError, which the commands' error path takes quietly: the user asked for it.
  const curve = await withNotificationProgress(
    { title: vscode.l10n.t('Textcat: learning curve of {0}', name), cancellable: true },
    (progress, token) =>
      s.worker.learningCurve(datasetRequest(uri, s.settings.current.dataset), s.settings.current.training, {
        shares,
        token,
        onPoint: (index, count, share) =>
          progress.report({
            message: vscode.l10n.t('training on {0} % of the rows ({1} of {2})…', Math.round(share * 100), index + 1, count),
            increment: index === 0 ? 0 : 100 / count,
          }),
      }),
  );
  for (const p of curve.points) s.log.info(`  ${Math.round(p.share * 100)} %: ${p.rows} rows, macro-F1 ${p.macroF1.toFixed(3)}`);
  s.log.info(curve.verdict);
  s.metricsView.showLearningCurve({ dataset: name, curve });
  await vscode.commands.executeCommand('textcat.showMetrics');
  void showInfo(vscode.l10n.t('Textcat on {0}: {1}', name, curve.verdict));
  return curve;
}
