// What every op implementation needs, injected: the manifest, the snapshot the plan came
// from, transports, a lazily built Kubernetes client, the addon applier, and a registry of
// secrets created during the run (so events and errors can redact them). Also the helpers
// ops share to act on a host (scripts under flock, files compared by hash).
import { hostNamed } from '../api/former-host.js';
import { sha256Hex } from '../api/sha256.js';
import type { LoadedCluster, ResolvedHost } from '../api/types.js';
import type { DesiredState, ObjectRef, RenderedAddon } from '../plan/types.js';
import type { RenderedFile } from '../scripts/containerd-config.js';
import { type OsFamily, osFamily } from '../scripts/os-family.js';
import { shq } from '../scripts/shell.js';
import type { HostFacts, Snapshot } from '../snapshot/types.js';
import { type HostTransport, SshError } from '../ssh/types.js';
import { PreconditionError } from './errors.js';
import type { ClusterAccess, HelmClient } from '../helm/client.js';
import type { KubeApi } from './kube-api.js';

/** Applies/prunes addon objects; implemented by pkg/addons/apply.ts (applyAddonObjects / pruneAddonObjects). */
export interface AddonApplier {
  /** `leader` reads the leader's files (an addon whose certificates waited for the cluster CA reads it there). */
  apply(kubeConfig: unknown, addon: RenderedAddon, leader?: { readFile(path: string): Promise<Buffer> }): Promise<void>;
  prune(kubeConfig: unknown, objects: (ObjectRef & { addon: string })[]): Promise<void>;
}

export interface Clock {
  now(): Date;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export interface OpDeps {
  loaded: LoadedCluster;
  snapshot: Snapshot;
  desired: DesiredState;
  transport(host: string): Promise<HostTransport>;
  /** Kubernetes client through the leader (built on first use). */
  kube(): Promise<KubeApi>;
  /** The client-node KubeConfig the addon applier takes. */
  kubeConfig(): Promise<unknown>;
  addons: AddonApplier;
  /** The helm client and a temporary kubeconfig through the leader's tunnel; absent when no helm is wired. */
  helm?: { client: HelmClient; cluster: () => Promise<ClusterAccess> };
  clock: Clock;
  /** Secrets created during the run (join tokens), for redaction. */
  secrets: Set<string>;
  /** The control plane cluster-level steps run against (pkg/plan leaderOf: the one the plan was made for). */
  leader: string | null;
  /** Drain: how long to wait for evicted pods to go. */
  drainTimeoutMs?: number;
  waitReadyTimeoutMs?: number;
}

export function hostByName(deps: OpDeps, name: string | undefined): ResolvedHost {
  const host = name === undefined ? undefined : hostNamed(deps.loaded.hosts, deps.snapshot.state.hosts, name);
  if (!host) throw new PreconditionError(`step names unknown host "${name ?? ''}"`);
  return host;
}

export function factsOf(deps: OpDeps, name: string): HostFacts | undefined {
  return deps.snapshot.state.hosts.find((h) => h.name === name);
}

export function familyOf(deps: OpDeps, host: ResolvedHost): OsFamily {
  return osFamily(host.name, host.config.operatingSystem || factsOf(deps, host.name)?.os?.id);
}

export function archOf(deps: OpDeps, host: ResolvedHost): string {
  const arch = factsOf(deps, host.name)?.arch ?? 'amd64';
  return arch === 'x86_64' ? 'amd64' : arch === 'aarch64' ? 'arm64' : arch;
}

export function leaderName(deps: OpDeps): string {
  if (!deps.leader) throw new PreconditionError('no control plane to act as leader (none is initialized and answering)');
  return deps.leader;
}

function tail(text: string, lines = 8): string {
  return text.trim().split('\n').slice(-lines).join('\n');
}

/**
 * Scripts on one host run one at a time under flock: a script of a run that was killed
 * locally keeps running on the host (no PTY, no SIGHUP), and the next run's script waits
 * for it instead of colliding with it (e.g. both holding apt's lock). The lock file lives in
 * /run/kubeone (root's, 0700): a lock in world-writable /tmp could be taken by any local user
 * to stall every step. root takes the lock and runs the script as the login user again
 * (runuser), who gets the same HOME and uses sudo inside as before; the user name and the
 * script path travel as arguments, not inside the quoted program.
 */
export const STEP_LOCK_DIR = '/run/kubeone';
export const RUN_SCRIPT_COMMAND = [
  'f=$(mktemp) && cat >"$f" && {',
  ' if sudo -n sh -c \'command -v flock && command -v runuser\' >/dev/null 2>&1; then',
  `  sudo -n sh -c 'mkdir -p -m 0700 ${STEP_LOCK_DIR} && exec flock -w 1200 ${STEP_LOCK_DIR}/step.lock runuser -u "$1" -- bash "$2"' kubeone-step "$(id -un)" "$f";`,
  ' else bash "$f"; fi; rc=$?; rm -f "$f"; exit $rc; }',
].join('\n');

/**
 * Runs a rendered script on the host. The script travels on stdin into a temp file, so
 * commands inside it cannot swallow the rest of the script, and it never appears in a
 * command line (nor in logs).
 */
export async function runScript(t: HostTransport, script: string, what: string, timeoutMs = 30 * 60_000): Promise<string> {
  const res = await t.exec(RUN_SCRIPT_COMMAND, { stdin: script, timeoutMs });
  if (res.code !== 0) {
    throw new SshError(t.host, 'commandFailed', `${what} failed (exit ${res.code}): ${tail(res.stderr || res.stdout)}`);
  }
  return res.stdout;
}

/** Writes the file only when its bytes differ; returns whether it changed. */
export async function ensureRemoteFile(t: HostTransport, file: RenderedFile): Promise<boolean> {
  const res = await t.exec(`sudo sha256sum ${shq(file.path)} 2>/dev/null | cut -d' ' -f1`);
  if (res.stdout.trim() === sha256Hex(file.content)) return false;
  await t.writeFile(file.path, file.content, { mode: parseInt(file.mode, 8), owner: 'root:root' });
  return true;
}

const homes = new WeakMap<HostTransport, string>();
/** The login user's home (kubeadm configs go to ~/kubeone/cfg). */
export async function homeOf(t: HostTransport): Promise<string> {
  const known = homes.get(t);
  if (known) return known;
  const res = await t.exec('printf %s "$HOME"');
  const home = res.stdout.trim();
  if (res.code !== 0 || !home.startsWith('/')) throw new SshError(t.host, 'commandFailed', 'cannot determine the login home directory');
  homes.set(t, home);
  return home;
}

/** The host a step runs on and its connection. */
export async function stepHost(deps: OpDeps, name: string | undefined): Promise<{ host: ResolvedHost; t: HostTransport }> {
  const host = hostByName(deps, name);
  return { host, t: await deps.transport(host.name) };
}

/** Writes the files whose bytes differ; returns whether any changed. */
export async function ensureRemoteFiles(t: HostTransport, files: RenderedFile[]): Promise<boolean> {
  let changed = false;
  for (const file of files) changed = (await ensureRemoteFile(t, file)) || changed;
  return changed;
}
