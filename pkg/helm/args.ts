// The helm command lines, as data. Every value travels as its own argument (no shell), flags
// in `--flag=value` form and names after `--`, so no value can be read as another flag.
// Passwords never appear here: they go to `helm repo add`/`helm registry login` on stdin.
// The options are KubeOne's (pkg/localhelm): upgrade --install with --create-namespace,
// --dependency-update, at most 5 revisions kept, waiting only with `wait: true` (helm 4's
// status watcher) within `timeout`, `insecure` as --insecure-skip-tls-verify and --plain-http,
// and the released-by-kubeone label on the release. Values are the manifest's alone
// (--reset-values), where KubeOne reuses the previous revision's values: see
// docs/kubeone-compatibility.md.
import { RELEASED_BY_KUBEONE, type DesiredHelmRelease } from './types.js';

/** KubeOne keeps this many revisions of a release it upgrades. */
export const HISTORY_MAX = 5;

/**
 * The helm client's major version: helm 4 takes a wait strategy (`--wait=watcher`, the
 * default `hookOnly`), helm 3 (3.13 and later: --labels, --plain-http) a plain `--wait` and
 * always waits for hooks.
 */
export type HelmMajor = 3 | 4;

function waitFlags(wait: boolean, major: HelmMajor): string[] {
  if (major === 3) return wait ? ['--wait'] : [];
  return [`--wait=${wait ? 'watcher' : 'hookOnly'}`];
}

/** The name a release's repository gets in the private repository config of one helm session. */
export const repoAlias = (r: Pick<DesiredHelmRelease, 'index'>): string => `kubeone-release-${r.index}`;

/** Repository credentials go through a private repository config (repo add), not the command line. */
export const usesRepoAlias = (r: DesiredHelmRelease): boolean => r.source.kind === 'repository' && r.auth !== undefined;

/** An oci:// chart whose registry needs a login first. */
export const usesRegistryLogin = (r: DesiredHelmRelease): boolean => r.source.kind === 'url' && r.source.url.startsWith('oci://') && r.auth !== undefined;

/** The chart argument and the flags that say where it is. */
export function chartArgs(r: DesiredHelmRelease): { ref: string; flags: string[] } {
  const s = r.source;
  if (s.kind === 'repository') return usesRepoAlias(r) ? { ref: `${repoAlias(r)}/${s.chart}`, flags: [] } : { ref: s.chart, flags: [`--repo=${s.repoURL}`] };
  if (s.kind === 'url') return { ref: s.url, flags: [] };
  return { ref: s.path, flags: [] };
}

function fetchFlags(r: DesiredHelmRelease): string[] {
  return [...(r.version ? [`--version=${r.version}`] : []), ...(r.insecure ? ['--insecure-skip-tls-verify', '--plain-http'] : [])];
}

/** `helm show chart`: what the release would install (name and version), without a cluster. */
export function showChartArgs(r: DesiredHelmRelease): string[] {
  const chart = chartArgs(r);
  return ['show', 'chart', ...chart.flags, ...fetchFlags(r), '--', chart.ref];
}

export function upgradeArgs(r: DesiredHelmRelease, files: { kubeconfig: string; values: string }, major: HelmMajor = 4): string[] {
  const chart = chartArgs(r);
  return [
    'upgrade',
    '--install',
    `--namespace=${r.namespace}`,
    '--create-namespace',
    `--kubeconfig=${files.kubeconfig}`,
    ...chart.flags,
    ...fetchFlags(r),
    `--values=${files.values}`,
    '--reset-values',
    '--dependency-update',
    `--history-max=${HISTORY_MAX}`,
    `--labels=${RELEASED_BY_KUBEONE}=`,
    ...waitFlags(r.wait, major),
    `--timeout=${r.timeout}`,
    '--',
    r.name,
    chart.ref,
  ];
}

export function uninstallArgs(name: string, namespace: string, kubeconfig: string, major: HelmMajor = 4): string[] {
  return ['uninstall', `--namespace=${namespace}`, `--kubeconfig=${kubeconfig}`, ...waitFlags(false, major), '--', name];
}

/** Back to the previous revision: ends a pending upgrade or rollback an interrupted run left. */
export function rollbackArgs(name: string, namespace: string, kubeconfig: string, major: HelmMajor = 4): string[] {
  return ['rollback', `--namespace=${namespace}`, `--kubeconfig=${kubeconfig}`, ...waitFlags(false, major), '--', name];
}

/** Adds the release's repository, with its credentials read from stdin, to the session's private repository config. */
export function repoAddArgs(r: DesiredHelmRelease): string[] {
  if (r.source.kind !== 'repository' || !r.auth) throw new Error('repo add is for a repository with credentials');
  return ['repo', 'add', `--username=${r.auth.username}`, '--password-stdin', ...(r.insecure ? ['--insecure-skip-tls-verify'] : []), '--', repoAlias(r), r.source.repoURL];
}

/** The host[:port] of an oci:// reference. */
export function registryOf(url: string): string {
  return url.replace(/^oci:\/\//, '').split('/')[0]!;
}

/** Logs in to an oci:// chart's registry (credentials on stdin) in the session's private registry config. */
export function registryLoginArgs(r: DesiredHelmRelease): string[] {
  if (r.source.kind !== 'url' || !r.auth) throw new Error('registry login is for an oci:// chart with credentials');
  return ['registry', 'login', `--username=${r.auth.username}`, '--password-stdin', ...(r.insecure ? ['--insecure', '--plain-http'] : []), '--', registryOf(r.source.url)];
}

/** One helm invocation: its arguments and what it reads on stdin (a password, never on the command line). */
export interface HelmCommand {
  args: string[];
  stdin?: string;
}

/** What makes the chart reachable first: adding a repository with credentials, or a registry login. */
export function sourceCommands(r: DesiredHelmRelease): HelmCommand[] {
  if (usesRepoAlias(r)) return [{ args: repoAddArgs(r), stdin: r.auth!.password }];
  if (usesRegistryLogin(r)) return [{ args: registryLoginArgs(r), stdin: r.auth!.password }];
  return [];
}

/** The commands of an install or upgrade, in order. */
export function upgradeCommands(r: DesiredHelmRelease, files: { kubeconfig: string; values: string }, major: HelmMajor = 4): HelmCommand[] {
  return [...sourceCommands(r), { args: upgradeArgs(r, files, major) }];
}

/** `v4.1.4+g05fa379` (helm version --short) -> 4; null for a helm older than 3.13, which lacks --labels and --plain-http. */
export function helmMajorOf(version: string): HelmMajor | null {
  const m = /^v?(\d+)\.(\d+)/.exec(version.trim());
  if (!m) return null;
  const [major, minor] = [Number(m[1]), Number(m[2])];
  if (major >= 4) return 4;
  return major === 3 && minor >= 13 ? 3 : null;
}

/** The commands that resolve the chart (plan time), in order. */
export function showChartCommands(r: DesiredHelmRelease): HelmCommand[] {
  return [...sourceCommands(r), { args: showChartArgs(r) }];
}
