// The sidebar's strings and figures in VS Code's display language. The page (src/webview) writes every string
// through @vscode/l10n's l10n.t with a literal English message; the host hands it the extension's bundle for
// the display language (src/extension/metricsView.ts). These tests hold the bundle to the page's messages and
// the formats to the language; test/e2e/ui/46-sidebar-themes.steps.mjs renders the page in Chinese and finds
// no English left in it.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as l10n from '@vscode/l10n';
import { classColors, labelColor, PALETTE_SIZE } from '../../src/webview/classColors';
import { fill } from '../../src/webview/dom';
import { count, date, fixed, joinNames, pct, seconds, sentences, setLocale } from '../../src/webview/format';

const ROOT = path.resolve(__dirname, '../..');
const bundle = JSON.parse(fs.readFileSync(path.join(ROOT, 'l10n/bundle.l10n.zh-cn.json'), 'utf8')) as Record<string, string>;

function sourcesUnder(dir: string): string[] {
  return fs
    .readdirSync(path.join(ROOT, dir), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .map((f) => path.join(dir, f));
}

const placeholders = (text: string) => [...new Set(text.match(/\{\d+\}/g) ?? [])].sort();

describe('webview strings: English and Simplified Chinese', () => {
  const files = sourcesUnder('src/webview');

  it('every l10n.t of the page takes a literal message, and the Chinese bundle has it', () => {
    let total = 0;
    for (const file of files) {
      const source = fs.readFileSync(path.join(ROOT, file), 'utf8');
      // Only a literal can be looked up in the bundle; a message built at run time would stay English.
      assert.doesNotMatch(source, /l10n\.t\(\s*[^'\s]/, `${file}: l10n.t takes a literal message`);
      const messages = [...source.matchAll(/l10n\.t\(\s*'((?:[^'\\]|\\.)*)'/g)].map((m) => m[1].replace(/\\'/g, "'"));
      total += messages.length;
      for (const m of messages) assert.ok(bundle[m], `${file}: "${m}" is not in l10n/bundle.l10n.zh-cn.json`);
    }
    for (const file of ['main.ts', 'render/status.ts', 'render/summary.ts', 'render/tables.ts', 'render/confusion.ts'])
      assert.ok(files.includes(path.join('src/webview', file)), file);
    assert.ok(total > 150, `found only ${total} messages in the page`);
  });

  it('every translation keeps its message’s placeholders (a lost {1} would drop a figure)', () => {
    for (const [message, translation] of Object.entries(bundle)) {
      assert.deepEqual(placeholders(translation), placeholders(message), `"${message}" → "${translation}"`);
    }
  });

  it('the page reads its strings from the bundle: a message comes out Chinese, with its arguments in place', () => {
    l10n.config({ contents: bundle });
    try {
      assert.equal(l10n.t('Runs ({0})', 5), '训练记录（5）');
      assert.equal(seconds(65), '1 分 5 秒');
      assert.equal(sentences('第一句。', '第二句。'), '第一句。第二句。');
      assert.equal(joinNames(['a', 'b']), 'a、b');
    } finally {
      l10n.config({ contents: {} });
    }
    assert.equal(sentences('One.', 'Two.', undefined, false), 'One. Two.');
    assert.equal(joinNames(['a', 'b']), 'a, b');
  });

  it('a message with elements in it keeps their places in any word order', () => {
    const code = (text: string) => ({ code: text });
    const parts = fill('标签列 {1}，文本列 {0}。', code('text') as never, code('label') as never);
    assert.deepEqual(parts, ['标签列 ', { code: 'label' }, '，文本列 ', { code: 'text' }, '。']);
  });
});

describe('webview figures in the display language', () => {
  it('English and Chinese write 66.7% and 0.841; German writes 66,7 % and 0,841', () => {
    try {
      for (const language of ['en', 'zh-cn']) {
        setLocale(language);
        assert.equal(pct(2 / 3), '66.7%', language);
        assert.equal(fixed(0.8413), '0.841', language);
        assert.equal(count(12345), '12,345', language);
      }
      setLocale('de');
      assert.equal(pct(2 / 3), '66,7\u00a0%');
      assert.equal(fixed(0.8413), '0,841');
      assert.equal(count(12345), '12.345');
    } finally {
      setLocale(undefined);
    }
  });

  it('rounds as toFixed does (as the host and the CLI write figures), and writes a dash for no figure', () => {
    setLocale('en');
    for (const x of [0.5555, 0.1235, 0.9995, 0.00049, 1 / 3, 2 / 3, 0.0625, 0]) {
      assert.equal(fixed(x), x.toFixed(3), String(x));
      assert.equal(pct(x), `${(x * 100).toFixed(1)}%`, String(x));
    }
    assert.equal(fixed(undefined), '–');
    assert.equal(pct(Number.NaN), '–');
    setLocale(undefined);
  });

  it('durations: seconds, minutes, hours, never "60 s"', () => {
    setLocale('en');
    assert.equal(seconds(0.42), '0.4 s');
    assert.equal(seconds(42.4), '42 s');
    assert.equal(seconds(119.6), '2 min 0 s');
    assert.equal(seconds(3 * 3600 + 125), '3 h 2 min');
    assert.equal(seconds(Number.POSITIVE_INFINITY), '–');
    setLocale(undefined);
  });

  it('dates in the display language; an unknown language tag falls back to the default', () => {
    setLocale('zh-cn');
    assert.match(date('2026-05-03T14:05:00'), /^2026年5月3日 14:05$/);
    setLocale('not a language!');
    assert.ok(date('2026-05-03T14:05:00').length > 5);
    assert.equal(date('yesterday'), 'yesterday');
    setLocale(undefined);
  });
});

describe('webview class colors: those of the inline labels', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { contributes: { colors: { id: string }[] } };
  const contributed = pkg.contributes.colors.map((c) => c.id).filter((id) => /^textcat\.label\d+$/.test(id));

  it('one per contributed textcat.labelN color, through the CSS variable VS Code gives webviews', () => {
    assert.equal(PALETTE_SIZE, contributed.length);
    for (let i = 0; i < PALETTE_SIZE; i++) assert.equal(labelColor(i), `var(--vscode-${contributed[i].replace('.', '-')})`);
  });

  it('class i of the model takes color i, a ninth class starts over, a label the model lacks has none', () => {
    const labels = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i'];
    const colors = classColors(labels);
    assert.equal(colors('b'), 'var(--vscode-textcat-label2)');
    assert.equal(colors('i'), colors('a'));
    assert.equal(colors('not in the model'), undefined);
  });
});
