// textcat.labels.show (src/extension/labels/labelDensity.ts): which lines draw a label, and which the overview
// ruler marks, for each value of the setting.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
// labelDensity.ts imports only types from the vscode side: it loads here without a host.
import { drawsLabel, rulerShows } from '../../src/extension/labels/labelDensity';
import type { LabelDensity } from '../../src/extension/model/settings';

const options = (show: LabelDensity, classes: string[] = []) => ({
  enabled: true,
  include: [],
  exclude: [],
  position: 'start' as const,
  overviewRuler: true,
  minConfidence: 0.5,
  showConfidence: true,
  lowConfidence: 'dim' as const,
  explain: true,
  show,
  classes,
});

describe('textcat.labels.show', () => {
  it('"all" draws every line; "activeLine" only the cursor\'s', () => {
    assert.equal(drawsLabel(options('all'), ['error'], 0.9, false), true);
    assert.equal(drawsLabel(options('activeLine'), ['error'], 0.9, false), false);
    assert.equal(drawsLabel(options('activeLine'), ['error'], 0.9, true), true);
  });

  it('"uncertain" draws the lines under minConfidence only', () => {
    assert.equal(drawsLabel(options('uncertain'), ['error'], 0.3, false), true);
    assert.equal(drawsLabel(options('uncertain'), ['error'], 0.7, false), false);
  });

  it('"classes" draws the lines with one of the listed classes (any of a multi-label line\'s)', () => {
    const only = options('classes', ['warn']);
    assert.equal(drawsLabel(only, ['error'], 0.9, false), false);
    assert.equal(drawsLabel(only, ['error', 'warn'], 0.9, false), true);
    assert.equal(drawsLabel(only, [], 0.9, false), false);
  });

  it('the ruler follows "uncertain" and "classes", not "activeLine"', () => {
    const labels = ['error', 'warn'];
    assert.equal(rulerShows(options('activeLine'), labels)(0, 0.9), true);
    assert.equal(rulerShows(options('uncertain'), labels)(0, 0.9), false);
    assert.equal(rulerShows(options('uncertain'), labels)(0, 0.2), true);
    assert.equal(rulerShows(options('classes', ['warn']), labels)(0, 0.9), false);
    assert.equal(rulerShows(options('classes', ['warn']), labels)(1, 0.9), true);
  });
});
