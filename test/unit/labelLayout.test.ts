// The start column of line labels: how wide a class name is in a monospace editor, how a long one is cut, and
// how wide the column is for a model's classes (src/extension/labels/labelLayout.ts, which imports no vscode).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  displayWidth,
  labelColumns,
  MAX_LABEL_COLUMNS,
  startColumnWidth,
  startLabelText,
  truncate,
} from '../../src/extension/labels/labelLayout';

describe('line labels: the start column', () => {
  it('counts CJK, kana, Hangul and fullwidth forms two columns, combining marks none', () => {
    assert.equal(displayWidth('billing'), 7);
    assert.equal(displayWidth('正面'), 4);
    assert.equal(displayWidth('カタカナ'), 8);
    assert.equal(displayWidth('한국어'), 6);
    assert.equal(displayWidth('ＡＢ'), 4);
    assert.equal(displayWidth('e\u0301'), 1, 'e and a combining acute: one column');
    assert.equal(displayWidth('a\u200db'), 2, 'a zero-width joiner takes none');
  });

  it('cuts a long name to the columns with "…", and leaves one that fits alone', () => {
    assert.equal(truncate('billing', 7), 'billing');
    assert.equal(truncate('authentication-failure', 10), 'authentic…');
    assert.equal(displayWidth(truncate('authentication-failure', 10)), 10);
    // A wide character that would cross the edge is left out whole.
    assert.equal(truncate('数据库连接错误', 6), '数据…');
    assert.ok(displayWidth(truncate('数据库连接错误', 7)) <= 7);
  });

  it("is as wide as the model's longest name, up to MAX_LABEL_COLUMNS, plus room for the confidence", () => {
    assert.equal(labelColumns(['spam', 'ham']), 4);
    assert.equal(labelColumns(['负面', '正面']), 4);
    assert.equal(labelColumns(['x'.repeat(40), 'y']), MAX_LABEL_COLUMNS);
    assert.equal(startColumnWidth(['spam', 'ham'], true), 4 + 5, '" 100%"');
    assert.equal(startColumnWidth(['spam', 'ham'], false), 4);
  });

  it('shows the name (cut to fit) and the confidence, never wider than the column', () => {
    assert.equal(startLabelText('spam', 0.973, 4), 'spam 97%');
    assert.equal(startLabelText('ham', undefined, 4), 'ham');
    const labels = ['a-very-long-class-name-indeed', 'ok'];
    const width = startColumnWidth(labels, true);
    for (const confidence of [0.05, 0.5, 1]) {
      const text = startLabelText(labels[0], confidence, labelColumns(labels));
      assert.ok(displayWidth(text) <= width, `${text} fits ${width}`);
      assert.ok(text.startsWith('a-very-long-class…'));
    }
  });
});
