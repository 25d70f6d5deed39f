// Start-up stays cheap: light commands must not load what only cluster commands need. Each
// case runs the CLI in a child process and records every module it loads (ESM load hook and
// the CommonJS require cache), so a new command or import that drags the Kubernetes client,
// SSH or winston into `kubeone version` fails here, not as a slower benchmark months later.
import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CliContext } from './shared/context.js';
import { commands } from './commands/index.js';
import { configSubcommands } from './commands/config.js';
import type { LazyCommandFactory } from './shared/lazy-command.js';

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

describe('CLI start-up: what each command loads', function () {
  this.timeout(120_000);

  const light: [string, string[], string[]][] = [
    ['version', ['version'], [...HEAVY, 'ajv', 'yaml']],
    ['--help', ['--help'], [...HEAVY, 'ajv', 'yaml']],
    ['config validate', ['config', 'validate', '-m', EXAMPLE], HEAVY],
  ];
  for (const [name, args, forbidden] of light) {
    it(`kubeone ${name} loads none of ${forbidden.join(', ')}`, () => {
      const loaded = packagesLoadedBy(args);
      expect(loaded.has('yargs'), 'the trace records packages').to.equal(true);
      expect(forbidden.filter((p) => loaded.has(p))).to.deep.equal([]);
    });
  }

  it('the trace sees what a cluster command loads (the check above can fail)', () => {
    const loaded = packagesLoadedBy(['snapshot', '--help']);
    expect(loaded.has('node-ssh') || loaded.has('ssh2'), [...loaded].join(', ')).to.equal(true);
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
