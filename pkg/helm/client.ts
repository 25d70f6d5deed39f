// Runs the real helm client (the user's: `helm` on PATH, or --helm-binary). Each command runs
// in a private session directory (0700, removed afterwards) that holds the temporary
// kubeconfig and values file (0600) and helm's repository config and cache, so nothing of a
// run stays on disk and the user's own helm settings cannot redirect it to another cluster.
// Errors name the release and carry helm's own message, with every known secret masked.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { parseGoDuration } from '../api/duration.js';
import { writePrivateFile } from '../fs/private-file.js';
import { redactText, SecretSet } from '../log/redact.js';
import { type HelmCommand, type HelmMajor, helmMajorOf, rollbackArgs, showChartCommands, uninstallArgs, upgradeCommands, usesRegistryLogin } from './args.js';
import { describeSource, type DesiredHelmRelease, type ResolvedChart } from './types.js';
import { secretsOfValues } from './values.js';

/** A kubeconfig that reaches the cluster while it is open (pkg/kube/local-tunnel.ts). */
export interface ClusterAccess {
  kubeconfig: string;
  close(): Promise<void>;
}

export interface HelmClient {
  /** `helm show chart`: the chart the release would install. No cluster needed. */
  showChart(release: DesiredHelmRelease): Promise<ResolvedChart>;
  /** `helm upgrade --install` of the release, through the cluster access. */
  upgradeInstall(release: DesiredHelmRelease, cluster: () => Promise<ClusterAccess>): Promise<void>;
  /** `helm uninstall`. */
  uninstall(name: string, namespace: string, cluster: () => Promise<ClusterAccess>): Promise<void>;
  /** `helm rollback` to the previous revision. */
  rollback(name: string, namespace: string, cluster: () => Promise<ClusterAccess>): Promise<void>;
}

/** A helm failure: names the release, carries helm's message; never retried by the executor. */
export class HelmError extends Error {
  readonly transient = false;
  constructor(message: string) {
    super(message);
    this.name = 'HelmError';
  }
}

/** How long a helm command may run: its own timeout (waiting, hooks) and time to fetch the chart. */
const SHOW_TIMEOUT_MS = 120_000;
const FETCH_SLACK_MS = 180_000;

export interface HelmClientOptions {
  /** The helm executable: a path or a name looked up on PATH. Default `helm`. */
  binary?: string;
}

/** The environment of a helm command: the user's, without what could point helm at another cluster or storage. */
function helmEnv(session: string, registryLogin: boolean): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (key === 'KUBECONFIG' || key.startsWith('HELM_KUBE') || key === 'HELM_NAMESPACE' || key === 'HELM_DRIVER') continue;
    env[key] = value;
  }
  env.HELM_DRIVER = 'secret';
  env.HELM_REPOSITORY_CONFIG = join(session, 'repositories.yaml');
  env.HELM_REPOSITORY_CACHE = join(session, 'repository-cache');
  if (registryLogin) env.HELM_REGISTRY_CONFIG = join(session, 'registry.json');
  return env;
}

/** helm's own message: its `Error:` lines, else the end of its output. */
function helmMessage(stderr: string, stdout: string): string {
  const lines = stderr.split('\n').map((l) => l.trim()).filter(Boolean);
  const errors = lines.filter((l) => l.startsWith('Error:')).map((l) => l.slice('Error:'.length).trim());
  const text = errors.length > 0 ? errors.join('; ') : (lines.length > 0 ? lines : stdout.trim().split('\n')).slice(-5).join(' ');
  return text.length > 2000 ? `${text.slice(0, 2000)}...` : text;
}

export function helmClient(options: HelmClientOptions = {}): HelmClient {
  const binary = options.binary ?? 'helm';

  function run(args: string[], opts: { env: NodeJS.ProcessEnv; stdin?: string; timeoutMs: number; what: string; secrets: SecretSet }): Promise<string> {
    return new Promise((resolve, reject) => {
      // Its own process group: a Ctrl-C at the terminal reaches kubeone only, which lets running
      // steps finish (docs/commands.md), helm included. The timeout still ends it.
      const child = spawn(binary, args, { env: opts.env, stdio: ['pipe', 'pipe', 'pipe'], detached: true });
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      let size = 0;
      const collect = (into: Buffer[]) => (chunk: Buffer) => {
        size += chunk.length;
        if (size <= 16 * 1024 * 1024) into.push(chunk);
      };
      child.stdout.on('data', collect(out));
      child.stderr.on('data', collect(err));
      const timer = setTimeout(() => child.kill('SIGTERM'), opts.timeoutMs);
      const fail = (message: string) => reject(new HelmError(redactText(`${opts.what}: ${message}`, opts.secrets)));
      child.on('error', (e: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        if (e.code === 'ENOENT') fail(`the helm client was not found (${binary}); install helm or give its path with --helm-binary`);
        else fail(e.message);
      });
      child.on('close', (code, signal) => {
        clearTimeout(timer);
        const stdout = Buffer.concat(out).toString('utf8');
        const stderr = Buffer.concat(err).toString('utf8');
        if (code === 0) return resolve(stdout);
        if (signal) return fail(`helm was stopped (${signal}) after ${Math.round(opts.timeoutMs / 1000)} s`);
        fail(helmMessage(stderr, stdout) || `helm exited with code ${code}`);
      });
      child.stdin.on('error', () => undefined);
      child.stdin.end(opts.stdin ?? '');
    });
  }

  let major: Promise<HelmMajor> | undefined;
  /** The client's major version, asked once (`helm version --short`). */
  function helmMajor(env: NodeJS.ProcessEnv): Promise<HelmMajor> {
    major ??= run(['version', '--short'], { env, timeoutMs: SHOW_TIMEOUT_MS, what: 'helm version', secrets: new SecretSet() }).then((text) => {
      const found = helmMajorOf(text);
      if (found === null) throw new HelmError(`helm ${text.trim()} (${binary}) is too old: helmReleases need helm 3.13 or newer`);
      return found;
    });
    major.catch(() => (major = undefined));
    return major;
  }

  /** A private directory for one helm command sequence, removed whatever happens. */
  async function session<T>(r: Pick<DesiredHelmRelease, 'auth' | 'values'> | null, body: (dir: string, secrets: SecretSet) => Promise<T>): Promise<T> {
    const dir = mkdtempSync(join(tmpdir(), 'kubeone-helm-'));
    const secrets = new SecretSet([...(r?.auth ? [r.auth.password] : []), ...(r ? secretsOfValues(r.values) : [])]);
    try {
      return await body(dir, secrets);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  /** Runs commands in order; the last one's output is the result. */
  async function runAll(commands: HelmCommand[], opts: { env: NodeJS.ProcessEnv; timeoutMs: number; what: string; secrets: SecretSet }): Promise<string> {
    let output = '';
    for (const [i, command] of commands.entries()) {
      const last = i === commands.length - 1;
      output = await run(command.args, { ...opts, timeoutMs: last ? opts.timeoutMs : SHOW_TIMEOUT_MS, ...(command.stdin !== undefined ? { stdin: command.stdin } : {}) });
    }
    return output;
  }

  return {
    showChart: (r) =>
      session(r, async (dir, secrets) => {
        const what = `helm release ${r.namespace}/${r.name}: ${describeSource(r.source)}${r.version ? ` version ${r.version}` : ''}`;
        const text = await runAll(showChartCommands(r), { env: helmEnv(dir, usesRegistryLogin(r)), timeoutMs: SHOW_TIMEOUT_MS, what, secrets });
        const meta = parseYaml(text) as { name?: unknown; version?: unknown } | null;
        if (typeof meta?.name !== 'string' || typeof meta.version !== 'string') throw new HelmError(`${what}: helm show chart printed no chart name and version`);
        return { name: meta.name, version: meta.version };
      }),

    upgradeInstall: (r, cluster) =>
      session(r, async (dir, secrets) => {
        const env = helmEnv(dir, usesRegistryLogin(r));
        const version = await helmMajor(env);
        const values = join(dir, 'values.json');
        writePrivateFile(values, JSON.stringify(r.values));
        const access = await cluster();
        try {
          const kubeconfig = join(dir, 'kubeconfig');
          writePrivateFile(kubeconfig, access.kubeconfig);
          const timeoutMs = Number((parseGoDuration(r.timeout) ?? 300_000_000_000n) / 1_000_000n) + FETCH_SLACK_MS;
          await runAll(upgradeCommands(r, { kubeconfig, values }, version), { env, timeoutMs, what: `helm release ${r.namespace}/${r.name}`, secrets });
        } finally {
          await access.close();
        }
      }),

    uninstall: (name, namespace, cluster) => onRelease(uninstallArgs, name, namespace, cluster),
    rollback: (name, namespace, cluster) => onRelease(rollbackArgs, name, namespace, cluster),
  };

  /** A command on an existing release (uninstall, rollback) through the cluster access. */
  function onRelease(
    args: (name: string, namespace: string, kubeconfig: string, major: HelmMajor) => string[],
    name: string,
    namespace: string,
    cluster: () => Promise<ClusterAccess>,
  ): Promise<void> {
    return session(null, async (dir, secrets) => {
      const env = helmEnv(dir, false);
      const version = await helmMajor(env);
      const access = await cluster();
      try {
        const kubeconfig = join(dir, 'kubeconfig');
        writePrivateFile(kubeconfig, access.kubeconfig);
        await run(args(name, namespace, kubeconfig, version), { env, timeoutMs: 300_000 + FETCH_SLACK_MS, what: `helm release ${namespace}/${name}`, secrets });
      } finally {
        await access.close();
      }
    });
  }
}
