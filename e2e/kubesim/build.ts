// npm run build:kubesim: bundle the simulator's kubeadm, kubelet and kubectl
// (one CommonJS file each, Node 18, shebang) and pack a node-binaries tarball
// per Kubernetes version in the official layout kubernetes/node/bin/*.
// Skips all work when no input changed since the last build.
import { execFileSync } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { SIM_VERSIONS } from './common/versions.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const DIST = path.join(HERE, 'dist');
const ENTRIES = { kubeadm: 'kubeadm/main.ts', kubelet: 'kubelet/main.ts', kubectl: 'kubectl/main.ts' } as const;
const PLACEHOLDER = 'v0.0.0-kubesim-version-placeholder';

export function tarballPath(version: string, arch = 'amd64'): string {
  return path.join(DIST, `kubernetes-node-linux-${arch}-v${version}.tar.gz`);
}

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (e.name !== 'dist' && e.name !== 'node_modules') out.push(...sourceFiles(full));
    } else if (e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') && !e.name.endsWith('.e2e.ts')) {
      out.push(full);
    }
  }
  return out.sort();
}

/** Hash of every bundled source, the lock file (esbuild/yaml versions) and this script. */
function inputsHash(): string {
  const h = crypto.createHash('sha256');
  const lock = path.join(HERE, '..', '..', 'package-lock.json');
  for (const f of [...sourceFiles(HERE), lock]) {
    h.update(path.relative(HERE, f));
    if (fs.existsSync(f)) h.update(fs.readFileSync(f));
  }
  h.update(SIM_VERSIONS.join(','));
  return h.digest('hex');
}

async function bundle(entry: string): Promise<string> {
  const result = await build({
    entryPoints: [path.join(HERE, entry)],
    bundle: true,
    platform: 'node',
    target: 'node18',
    format: 'cjs',
    write: false,
    minify: false,
    legalComments: 'none',
    banner: { js: '#!/usr/bin/env node' },
    define: { __KUBESIM_VERSION__: JSON.stringify(PLACEHOLDER) },
    logLevel: 'warning',
  });
  return result.outputFiles[0]!.text;
}

function pack(version: string, bundles: Record<string, string>): void {
  const stage = fs.mkdtempSync(path.join(os.tmpdir(), 'kubesim-pack-'));
  try {
    const bin = path.join(stage, 'kubernetes', 'node', 'bin');
    fs.mkdirSync(bin, { recursive: true });
    for (const [name, text] of Object.entries(bundles)) {
      fs.writeFileSync(path.join(bin, name), text.split(PLACEHOLDER).join(`v${version}`), { mode: 0o755 });
    }
    const tmp = `${tarballPath(version)}.tmp`;
    execFileSync('tar', ['-czf', tmp, '--owner=0', '--group=0', '--numeric-owner', '--mtime=2026-01-01 00:00:00', '-C', stage, 'kubernetes']);
    fs.renameSync(tmp, tarballPath(version));
  } finally {
    fs.rmSync(stage, { recursive: true, force: true });
  }
}

export async function buildKubesim(opts: { force?: boolean; log?: (l: string) => void } = {}): Promise<string[]> {
  const log = opts.log ?? ((l: string) => process.stdout.write(l + '\n'));
  fs.mkdirSync(DIST, { recursive: true });
  const stampFile = path.join(DIST, '.inputs-sha256');
  const hash = inputsHash();
  const outputs = SIM_VERSIONS.map((v) => tarballPath(v));
  if (!opts.force && fs.existsSync(stampFile) && fs.readFileSync(stampFile, 'utf8') === hash && outputs.every((o) => fs.existsSync(o))) {
    log('kubesim: tarballs are up to date');
    return outputs;
  }
  const start = Date.now();
  const bundles: Record<string, string> = {};
  await Promise.all(Object.entries(ENTRIES).map(async ([name, entry]) => (bundles[name] = await bundle(entry))));
  for (const v of SIM_VERSIONS) pack(v, bundles);
  fs.writeFileSync(stampFile, hash);
  for (const o of outputs) log(`kubesim: wrote ${path.relative(process.cwd(), o)} (${Math.round(fs.statSync(o).size / 1024)} KiB)`);
  log(`kubesim: built in ${((Date.now() - start) / 1000).toFixed(1)}s`);
  return outputs;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  buildKubesim({ force: process.argv.includes('--force') }).catch((err: Error) => {
    process.stderr.write(`kubesim build failed: ${err.message}\n`);
    process.exit(1);
  });
}
