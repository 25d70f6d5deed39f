// Start-up stays cheap: light commands must not load what only cluster commands need. Each
// case runs the CLI in a child process and records every module it loads (ESM load hook and
// the CommonJS require cache), so a new command or import that drags the Kubernetes client,
// SSH or winston into `kubeone version` fails here, not as a slower benchmark months later.
import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CliContext } from './shared/context.js';
import { commands } from './commands/index.js';
import { configSubcommands } from './commands/config.js';
import type { LazyCommandFactory } from './shared/lazy-command.js';
import { SnapshotBuilder } from '../pkg/plan/testing/snapshot-builder.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const EXAMPLE = join(ROOT, 'docs/examples/bare-metal.yaml');

const HOOKS = `import { appendFileSync } from 'node:fs';
export async function load(url, context, next) { appendFileSync(process.env.KUBEONE_MODULE_TRACE, url + '\\n'); return next(url, context); }`;
const PRELOAD = `import { register, createRequire } from 'node:module';
import { appendFileSync } from 'node:fs';
register('data:text/javascript,' + encodeURIComponent(${JSON.stringify(HOOKS)}));
const cache = createRequire(process.cwd() + '/').cache;
process.on('exit', () => appendFileSync(process.env.KUBEONE_MODULE_TRACE, Object.keys(cache).join('\\n') + '\\n'));`;

/** The packages (node_modules/<name>) a CLI run loaded, ESM and CommonJS alike. */
function packagesLoadedBy(args: string[]): Set<string> {
  const dir = mkdtempSync(join(tmpdir(), 'kubeone-trace-'));
  const trace = join(dir, 'modules');
  try {
    execFileSync(process.execPath, ['--import', 'tsx', '--import', `data:text/javascript,${encodeURIComponent(PRELOAD)}`, join(ROOT, 'cmd/kubeone.ts'), ...args], {
      cwd: ROOT,
      env: { ...process.env, KUBEONE_MODULE_TRACE: trace },
      stdio: 'pipe',
    });
    const names = readFileSync(trace, 'utf8')
      .split('\n')
      .map((line) => /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(line)?.[1])
      .filter((name): name is string => name !== undefined);
    return new Set(names);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const HEAVY = ['@kubernetes/client-node', 'ssh2', 'node-ssh', 'winston'];

/** A manifest and a saved snapshot of its (fresh) hosts: `plan --snapshot` connects to nothing. */
function offlinePlanFiles(dir: string): string[] {
  const hosts = ['cp-1', 'w-1'].map((name, i) => `    - { publicAddress: 192.0.2.${i + 1}, privateAddress: 10.0.0.${i + 1}, hostname: ${name}, sshUsername: ops, sshPrivateKeyFile: /nonexistent }`);
  const manifest = join(dir, 'offline.yaml');
  writeFileSync(manifest, ['apiVersion: kubeone.k8c.io/v1beta2', 'kind: KubeOneCluster', 'name: offline', 'versions: { kubernetes: 1.35.1 }', 'cloudProvider: { none: {} }', 'controlPlane:', '  hosts:', hosts[0], 'staticWorkers:', '  hosts:', hosts[1], ''].join('\n'));
  const snapshot = join(dir, 'offline.snapshot.json');
  writeFileSync(snapshot, JSON.stringify(new SnapshotBuilder('offline').host('cp-1', 'controlPlane').host('w-1', 'staticWorker').build()));
  return ['-m', manifest, '--snapshot', snapshot];
}

describe('CLI start-up: what each command loads', function () {
  this.timeout(120_000);
  const fixtures = mkdtempSync(join(tmpdir(), 'kubeone-startup-'));
  after(() => rmSync(fixtures, { recursive: true, force: true }));

  const light: [string, string[], string[]][] = [
    ['version', ['version'], [...HEAVY, 'ajv', 'yaml']],
    ['--help', ['--help'], [...HEAVY, 'ajv', 'yaml']],
    ['config validate', ['config', 'validate', '-m', EXAMPLE], HEAVY],
    // Offline: the Kubernetes client and SSH load only when a host or the API is contacted.
    ['plan --snapshot', ['plan', ...offlinePlanFiles(fixtures), '-o', 'json'], HEAVY],
  ];
  for (const [name, args, forbidden] of light) {
    it(`kubeone ${name} loads none of ${forbidden.join(', ')}`, () => {
      const loaded = packagesLoadedBy(args);
      expect(loaded.has('yargs'), 'the trace records packages').to.equal(true);
      expect(forbidden.filter((p) => loaded.has(p))).to.deep.equal([]);
    });
  }

  it('the trace sees what a cluster command loads (the check above can fail)', () => {
    // apply's module graph reaches the op registry, whose API ops use the Kubernetes client.
    const loaded = packagesLoadedBy(['apply', '--help']);
    expect(HEAVY.filter((p) => loaded.has(p)), [...loaded].join(', ')).to.not.deep.equal([]);
  });

  it("every lazily registered command's summary is its module's command and describe", async () => {
    const ctx = new CliContext({ stdout: process.stdout, stderr: process.stderr, env: {} });
    const lazy = [...commands, ...configSubcommands].filter((f): f is LazyCommandFactory => 'load' in f);
    expect(lazy.length).to.be.greaterThan(10);
    for (const factory of lazy) {
      const real = (await factory.load())(ctx);
      expect({ command: real.command, describe: real.describe }).to.deep.equal(factory.summary);
    }
  });
});
