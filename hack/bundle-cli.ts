// Build step (`npm run build`, after tsc): replaces dist/cmd/kubeone.js with the CLI bundled
// by esbuild. Node then loads one file and a few chunks instead of ~100 modules, which is
// most of the start-up of a light command. Each command's lazy import() becomes a chunk
// (dist/cmd/bundle/), so a command still loads only what it needs. The heavy dependencies
// stay in node_modules and load only where they are used.
//   tsx hack/bundle-cli.ts [OUT_DIR]   (default dist/cmd)
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';

import { WINSTON_BUNDLE } from '../pkg/log/logger.js';

/**
 * Loaded from node_modules where they are used, never at start; ssh2 has a native addon.
 * node-ssh is bundled: its lazy chunk (and make-dir, which it pulls in) loads in less CPU
 * than its modules one by one, and a probe pays for it before its first handshake.
 * @kubernetes/client-node is bundled too, into a chunk of its own that only commands talking
 * to the API load: its 800 modules took 530 ms and 125 MB of RSS to import (a no-op apply, a
 * status, a plan of a running cluster all paid it); the chunk takes 120 ms and 68 MB (import
 * alone, median of 5). It keeps only what pkg/ imports by name (pkg/kube/core-api.ts).
 */
const EXTERNAL = ['ssh2', 'winston', 'ajv', 'ajv-formats', 'fast-json-patch'];

/**
 * winston as one CommonJS file (dist/vendor/winston.cjs): pkg/log/logger.ts requires it
 * synchronously on the first message logged, which esbuild cannot split into a chunk; one file
 * loads in about half the CPU of its 84 modules (the end of a probe waits for it).
 */
async function bundleWinston(outfile: string): Promise<void> {
  await build({ stdin: { contents: "module.exports = require('winston');", resolveDir: fileURLToPath(new URL('..', import.meta.url)), loader: 'js' }, outfile, bundle: true, format: 'cjs', platform: 'node', target: 'node20', logLevel: 'warning' });
}

/**
 * Packages whose default export (a function) is only called on rare paths but that do work when
 * they load: string-width (three copies: yargs', cliui's, wrap-ansi's) builds Intl segmenters and
 * Unicode-property regexes, about 25 ms of every start, though only help and usage text measure
 * strings; make-dir (node-ssh's, for getDirectory, which kubeone never calls) loads semver and
 * compiles its regexes before the first SSH handshake. Each import of them gets a stand-in that
 * loads the real module on the first call: esbuild evaluates a require()d module lazily.
 */
const LAZY_DEFAULT_EXPORTS = /^(string-width|make-dir)$/;

const lazyDefaultExports: Plugin = {
  name: 'lazy-default-exports',
  setup(b) {
    b.onResolve({ filter: LAZY_DEFAULT_EXPORTS }, async (args) => {
      if (args.pluginData === 'real') return undefined;
      const real = await b.resolve(args.path, { resolveDir: args.resolveDir, kind: args.kind, importer: args.importer, pluginData: 'real' });
      if (real.errors.length > 0) return { errors: real.errors };
      return { path: real.path, namespace: 'lazy-default-export' };
    });
    b.onLoad({ filter: /.*/, namespace: 'lazy-default-export' }, (args) => ({
      // An ES module's namespace has the function as `default`; a CommonJS module is the function.
      contents: `export default function lazy(...args) { const m = require(${JSON.stringify(args.path)}); return (typeof m === 'function' ? m : m.default)(...args); }`,
      resolveDir: dirname(args.path),
      loader: 'js',
    }));
  },
};

export async function bundleCli(outdir: string): Promise<string> {
  const root = fileURLToPath(new URL('..', import.meta.url));
  await build({
    entryPoints: { kubeone: `${root}cmd/kubeone.ts` },
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    chunkNames: 'bundle/[name]-[hash]',
    external: EXTERNAL,
    sourcemap: true,
    // Bundled CommonJS (yargs' helpers) calls require(): give the ESM output a real one.
    banner: { js: "import { createRequire as __kubeoneRequire } from 'node:module';\nconst require = __kubeoneRequire(import.meta.url);" },
    logLevel: 'warning',
    plugins: [lazyDefaultExports],
  });
  await bundleWinston(join(outdir, '..', WINSTON_BUNDLE));
  return `${outdir}/kubeone.js`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const out = await bundleCli(process.argv[2] ?? fileURLToPath(new URL('../dist/cmd', import.meta.url)));
  console.log(`bundled the CLI into ${out}`);
}
