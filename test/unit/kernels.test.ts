import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';

// The committed .wasm.ts modules must be what the .wat sources compile to today.
test('generated kernel modules match their .wat sources', async () => {
  const { compileKernel, kernelModuleSource } = await import(pathToFileURL(path.resolve(__dirname, '../../scripts/build-kernels.mjs')).href);
  const dir = path.resolve(__dirname, '../../src/core/model/kernels');
  const sources = fs.readdirSync(dir).filter((f) => f.endsWith('.wat'));
  assert.ok(sources.length > 0);
  for (const file of sources) {
    const name = file.replace(/\.wat$/, '');
    const expected = kernelModuleSource(name, await compileKernel(path.join(dir, file)));
    assert.equal(fs.readFileSync(path.join(dir, `${name}.wasm.ts`), 'utf8'), expected, `${name}.wasm.ts is stale: run node scripts/build-kernels.mjs`);
  }
});
