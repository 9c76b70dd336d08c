// A model as a demanding user may have: thirteen classes (more than the eight label colors, so colors repeat),
// long class names, one in Chinese. Trained with the CLI on a dataset written here, outside the workspace;
// themes-lines.log (a fixture file) has a line of each class for the editor's inline labels.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));

export const LINES_FILE = 'themes-lines.log';

/** Class name → the words that decide it (themes-lines.log has one line of each). */
export const CLASSES = {
  'account-security-and-password-reset': ['password', 'reset', 'locked'],
  'billing-invoice-question': ['invoice', 'vat', 'march'],
  'billing-refund-request': ['refund', 'money', 'back'],
  'shipping-delay-complaint': ['parcel', 'late', 'waiting'],
  'product-defect-report': ['broken', 'cracked', 'lid'],
  'feature-request': ['add', 'feature', 'mode'],
  cancellation: ['cancel', 'subscription', 'today'],
  spam: ['winner', 'prize', 'claim'],
  praise: ['love', 'great', 'team'],
  'pricing-question': ['discount', 'price', 'yearly'],
  'technical-outage-report-for-the-public-status-page': ['outage', 'down', 'noon'],
  登录问题: ['登录', '验证码', '收不到'],
  'data-export-request': ['export', 'gdpr', 'data'],
};

const FILLER = ['the', 'my', 'is', 'again', 'now', 'this', 'it', 'for', 'with', 'hello', 'team', 'thanks'];

/** Sixteen rows per class: its words in varying order, among common words; a few borrow the next class's words. */
export function datasetCsv() {
  const all = Object.values(CLASSES);
  const rows = Object.entries(CLASSES).flatMap(([label, own], c) =>
    Array.from({ length: 16 }, (_, i) => {
      const words = i >= 13 ? [own[0], ...all[(c + 1) % all.length].slice(0, 2)] : own;
      const filler = [FILLER[(i + c) % FILLER.length], FILLER[(i * 5 + c) % FILLER.length]];
      const text = [words[i % 3], filler[0], words[(i + 1) % 3], filler[1], i % 2 ? words[(i + 2) % 3] : ''].filter(Boolean).join(' ');
      return `${text},${label}`;
    }),
  );
  return ['text,label', ...rows].join('\n') + '\n';
}

/** Trains the model into the workspace's model folder; returns its manifest. */
export function trainSidebarModel(workspace) {
  const csv = join(dirname(workspace), 'support-tickets.csv');
  writeFileSync(csv, datasetCsv());
  const out = join(workspace, '.textcat', 'model');
  const flags = ['--epochs', '25', '--hidden-units', '16', '--embedding-dim', '16', '--learning-rate', '0.02', '--seed', '7', '--quiet'];
  execFileSync(process.execPath, ['dist/cli.js', 'train', csv, '--out', out, ...flags], { cwd: ROOT, stdio: 'pipe' });
  return JSON.parse(readFileSync(join(out, 'textcat.json'), 'utf8'));
}
