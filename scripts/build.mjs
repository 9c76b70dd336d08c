// Bundles each entry with esbuild. The worker and CLI carry tfjs; the extension must not (activation stays light).
import * as esbuild from 'esbuild';
import { cpSync, mkdirSync, existsSync, readdirSync, rmSync } from 'node:fs';

const watch = process.argv.includes('--watch');

/**
 * Our own modules do nothing when imported (only the entries do), so esbuild may drop one whose exports go unused.
 * Without this, core/model/index.ts (the network's one door) would drag tfjs, which only its layers conversion
 * needs, into the gradient helper's bundle: 2.4 MB instead of 26 kB, loaded by every helper thread.
 */
const ownModulesHaveNoSideEffects = {
  name: 'own-modules-have-no-side-effects',
  setup(build) {
    build.onResolve({ filter: /^\.\.?\// }, async (args) => {
      if (args.kind !== 'import-statement' || args.pluginData?.resolving) return undefined;
      const { resolveDir, importer, kind } = args;
      const result = await build.resolve(args.path, { resolveDir, importer, kind, pluginData: { resolving: true } });
      const own = !result.errors.length && result.path.startsWith(`${process.cwd()}/src/`) && result.path.endsWith('.ts');
      return own ? { ...result, sideEffects: false } : undefined;
    });
  },
};

const common = {
  bundle: true,
  sourcemap: true,
  logLevel: 'warning',
  // backend.ts falls back to require.resolve only when run from source (tests); bundles find the .wasm beside them.
  logOverride: { 'require-resolve-not-external': 'silent' },
  target: 'node20',
  platform: 'node',
  format: 'cjs',
  plugins: [ownModulesHaveNoSideEffects],
  // jsonc-parser's "main" is a UMD build whose require() calls esbuild cannot follow; its ES module build bundles.
  alias: { 'jsonc-parser': './node_modules/jsonc-parser/lib/esm/main.js' },
};
const entries = [
  { entryPoints: ['src/cli.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } },
  { entryPoints: ['src/worker/worker.ts'], outfile: 'dist/worker.js' },
  { entryPoints: ['src/worker/gradientWorker.ts'], outfile: 'dist/gradient-worker.js' },
  // The extension host's reader of textcat.json (core's checked reader, no tfjs), in a thread of its own.
  { entryPoints: ['src/worker/manifestReader.ts'], outfile: 'dist/manifest-reader.js' },
];
if (existsSync('src/extension/extension.ts')) {
  entries.push({ entryPoints: ['src/extension/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'] });
}
if (existsSync('src/webview/main.ts')) {
  entries.push({ entryPoints: ['src/webview/main.ts'], outfile: 'dist/webview.js', platform: 'browser', format: 'iife', target: 'es2022' });
}
if (existsSync('test/e2e/suite/index.ts')) {
  // The e2e suite: index.js is the extensionTestsPath for code-server (test/e2e/run.mjs) and hands mocha one
  // bundle per *.test.ts; @vscode/test-cli (.vscode-test.mjs) loads those same bundles itself.
  const tests = readdirSync('test/e2e/suite')
    .filter((f) => f.endsWith('.test.ts'))
    .map((f) => `test/e2e/suite/${f}`);
  rmSync('dist/test/suite', { recursive: true, force: true }); // no stale bundle of a deleted test
  entries.push({ entryPoints: ['test/e2e/suite/index.ts', ...tests], outdir: 'dist/test/suite', external: ['vscode', 'mocha'] });
}

mkdirSync('dist', { recursive: true });
// The wasm backend loads its binaries from next to the bundle (setWasmPaths points here).
for (const f of ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm-threaded-simd.wasm']) {
  cpSync(`node_modules/@tensorflow/tfjs-backend-wasm/dist/${f}`, `dist/${f}`);
}
const contexts = await Promise.all(entries.map((e) => esbuild.context({ ...common, ...e })));
if (watch) {
  await Promise.all(contexts.map((c) => c.watch()));
} else {
  await Promise.all(contexts.map((c) => c.rebuild()));
  await Promise.all(contexts.map((c) => c.dispose()));
}
