// Shared set-up of the executor e2e tests: a sandbox fleet per suite, the manifest loaded the
// simple way, an SSH pool, the probe, host actions run by the real executor (optionally under
// the cluster lock), the CLI's own collaborators, and child runners a test can SIGKILL.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parse } from 'yaml';
import { loadCluster as loadManifest } from '../../pkg/api/load.js';
import type { HostConfig, KubeOneCluster, LoadedCluster, ResolvedHost } from '../../pkg/api/types.js';
import { computeDesired } from '../../pkg/desired/index.js';
import { type FlowUi, lockHost } from '../../pkg/executor/apply-flow.js';
import { execute } from '../../pkg/executor/engine.js';
import { acquireLock, newLockInfo } from '../../pkg/executor/lock.js';
import { buildRunContext, transportFor } from '../../pkg/executor/run-context.js';
import type { ExecuteSummary, Listener, RetryPolicy } from '../../pkg/executor/types.js';
import type { Collaborators, TransportPool } from '../../pkg/pipeline/collaborators.js';
import type { Action, Plan } from '../../pkg/plan/types.js';
import { probe } from '../../pkg/probe/index.js';
import type { Snapshot } from '../../pkg/snapshot/types.js';
import { silentLogger } from '../../pkg/ssh/logger.js';
import { createSshPool } from '../../pkg/ssh/pool.js';
import { realCollaborators } from '../../cmd/commands/executor-wiring.js';
import { type Fleet, KUBESIM_BUNDLE_TEMPLATE, startFleet } from '../fleet/index.js';

/**
 * A fresh sandbox fleet for the enclosing `describe`: started before its tests, destroyed
 * after them. With `bundles`, the suite is skipped when the simulator's node bundles of those
 * versions are not built (`npm run build:kubesim`).
 */
export function useFleet(opts: { controlPlanes: number; workers: number; bundles?: string[] }): FleetHandle {
  let fleet: Fleet | undefined;
  const teardown: (() => unknown)[] = [];
  before(async function () {
    const missing = (opts.bundles ?? []).filter((v) => !existsSync(KUBESIM_BUNDLE_TEMPLATE.replace('{arch}', 'amd64').replace('{version}', v)));
    if (missing.length > 0) this.skip();
    fleet = await startFleet({ controlPlanes: opts.controlPlanes, workers: opts.workers });
  });
  after(async () => {
    for (const fn of teardown) await fn();
    await fleet?.destroy();
  });
  const handle = (): Fleet => {
    if (!fleet) throw new Error('the fleet is not started');
    return fleet;
  };
  return Object.assign(handle, { onTeardown: (fn: () => unknown) => void teardown.push(fn) });
}

export interface FleetHandle {
  (): Fleet;
  /** Runs before the fleet is destroyed (close pools first). */
  onTeardown(fn: () => unknown): void;
}

/** The fleet manifest as-is, `overrides` merged, without the CLI's loader (these tests drive the executor directly). */
export function loadFleetManifest(path: string, overrides: Partial<KubeOneCluster> = {}): LoadedCluster {
  const cluster = { ...(parse(readFileSync(path, 'utf8')) as KubeOneCluster), ...overrides };
  const hosts: ResolvedHost[] = [];
  const add = (role: ResolvedHost['role'], list: HostConfig[] | undefined) => {
    for (const config of list ?? []) hosts.push({ id: hosts.length, role, name: config.hostname ?? config.publicAddress ?? '', config });
  };
  add('controlPlane', cluster.controlPlane?.hosts);
  add('staticWorker', cluster.staticWorkers?.hosts);
  return { manifestPath: path, baseDir: dirname(path), cluster, hosts, credentials: {}, warnings: [] };
}

export function sshPool(loaded: LoadedCluster, extra: Record<string, unknown> = {}): TransportPool {
  return createSshPool({ baseDir: loaded.baseDir, knownHostsPath: join(loaded.baseDir, 'known_hosts'), acceptNewHostKeys: true, ...extra });
}

export function probeHosts(loaded: LoadedCluster, pool: TransportPool): Promise<Snapshot> {
  return probe({ loaded, pool });
}

/**
 * A node-binaries bundle in the official layout whose "binaries" are tiny scripts: enough
 * to exercise upload, extraction, install, units and version probing on real hosts.
 */
export function fakeBundle(version: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'fake-bundle-'));
  const bin = join(dir, 'kubernetes', 'node', 'bin');
  mkdirSync(bin, { recursive: true });
  const scripts: Record<string, string> = {
    kubeadm: `#!/bin/sh\n[ "$1" = version ] && { echo "kubeadm version: &version.Info{GitVersion:\\"v${version}\\"}"; exit 0; }\necho fake kubeadm; exit 0\n`,
    kubelet: `#!/bin/sh\n[ "$1" = --version ] && { echo "Kubernetes v${version}"; exit 0; }\nexec sleep infinity\n`,
    kubectl: `#!/bin/sh\necho "Client Version: v${version}"\n`,
  };
  for (const [name, body] of Object.entries(scripts)) {
    writeFileSync(join(bin, name), body);
    chmodSync(join(bin, name), 0o755);
  }
  const tarball = join(dir, `kubernetes-node-linux-amd64-v${version}.tar.gz`);
  execFileSync('tar', ['-czf', tarball, '-C', dir, 'kubernetes']);
  return join(dir, 'kubernetes-node-linux-{arch}-v{version}.tar.gz');
}

/** Prepare every host: prerequisites, containerd, binaries, kubelet files (control planes serial). */
export function hostActions(loaded: LoadedCluster): Action[] {
  const version = loaded.cluster.versions!.kubernetes!;
  return loaded.hosts.map((h) => ({
    id: `prepare-host:${h.name}`,
    kind: 'install-prerequisites',
    change: '+',
    hosts: [h.name],
    title: `prepare ${h.name}`,
    reason: 'e2e',
    dependsOn: [],
    disruptive: false,
    serial: h.role === 'controlPlane',
    steps: [
      { id: 'host.prerequisites', op: 'host.prerequisites', host: h.name, description: 'prerequisites' },
      { id: 'host.containerd.install', op: 'host.containerd.install', host: h.name, description: 'install containerd' },
      { id: 'host.containerd.configure', op: 'host.containerd.configure', host: h.name, description: 'configure containerd' },
      { id: 'host.binaries.install', op: 'host.binaries.install', host: h.name, description: 'install binaries', params: { version, components: ['kubeadm', 'kubelet', 'kubectl'] } },
      { id: 'host.kubelet.configure', op: 'host.kubelet.configure', host: h.name, description: 'configure kubelet' },
    ],
  }));
}

/** Stand-in for the planner in these tests: only hosts not yet prepared get an action. */
export function pendingHostActions(loaded: LoadedCluster, snapshot: Snapshot, desired: { managedFiles: Record<string, Record<string, string>> }): Action[] {
  const version = loaded.cluster.versions!.kubernetes!;
  const prepared = (name: string) => {
    const f = snapshot.state.hosts.find((h) => h.name === name);
    if (!f?.reachable || f.containerd?.unit.active !== 'active' || f.kubelet?.version !== version) return false;
    return Object.entries(desired.managedFiles[name] ?? {}).every(([p, sha]) => f.managedFiles?.[p]?.sha256 === sha);
  };
  return hostActions(loaded).filter((a) => !prepared(a.hosts[0]!));
}

export interface HostRun {
  /** The actions to run, given the fresh snapshot (default: pendingHostActions). */
  actions?: (snapshot: Snapshot) => Action[];
  parallelism?: number;
  listeners?: Listener[];
  retry?: RetryPolicy;
  /** Run under the cluster lock, as apply does (the lock's command). */
  lock?: string;
}

/** Probe, then run host-level actions with the real executor (journaled, markers, resume). Host ops only: no Kubernetes API. */
export async function runOnHosts(loaded: LoadedCluster, pool: TransportPool, run: HostRun = {}): Promise<{ actions: Action[]; summary: ExecuteSummary }> {
  const snapshot = await probeHosts(loaded, pool);
  // With the hosts' facts, as the apply flow does: the containerd config format follows the installed major.
  const desired = computeDesired(loaded, [], { facts: snapshot.state.hosts });
  const actions = run.actions ? run.actions(snapshot) : pendingHostActions(loaded, snapshot, desired);
  const plan: Plan = { formatVersion: 'kubeone.plan/v1', snapshotHash: snapshot.hash, manifestHash: desired.manifestHash, actions, refusals: [], warnings: [] };
  const lock = run.lock ? await acquireLock(await transportFor(loaded, pool)(lockHost(loaded, snapshot, desired)), newLockInfo(run.lock)) : null;
  const ctx = buildRunContext({
    loaded,
    snapshot,
    desired,
    plan,
    actions,
    pool,
    parallelism: run.parallelism ?? 2,
    listeners: run.listeners ?? [],
    signal: new AbortController().signal,
    ...(run.retry ? { retry: run.retry } : {}),
    collaborators: {
      createTunnelledKubeConfig: async () => {
        throw new Error('host actions do not use the Kubernetes API');
      },
      addons: { apply: async () => undefined, prune: async () => undefined },
    },
  });
  try {
    return { actions, summary: await execute(actions, ctx.options) };
  } finally {
    ctx.close();
    await lock?.release();
  }
}

/**
 * The CLI's own collaborators (cmd/commands/executor-wiring.ts) for flow-level e2e tests,
 * with the manifest path given per call, `overrides` merged into the loaded manifest, a
 * known_hosts file beside the manifest (new keys accepted), and a probe counter.
 */
export function e2eCollaborators(overrides: Partial<KubeOneCluster> = {}): Collaborators & { probes: number } {
  const state = { probes: 0 };
  let path = '';
  const real = realCollaborators({
    load: async () => {
      const loaded = await loadManifest({ manifestPath: path });
      Object.assign(loaded.cluster, overrides);
      return loaded;
    },
    probeContext: (loaded) => ({ loaded, logger: silentLogger, knownHostsPath: join(loaded.baseDir, 'known_hosts'), acceptNewHostKeys: true }),
  });
  return {
    ...real,
    get probes() {
      return state.probes;
    },
    loadCluster: async (manifestPath) => {
      path = manifestPath;
      return real.loadCluster(manifestPath);
    },
    probe: async (loaded, pool) => {
      state.probes++;
      return real.probe(loaded, pool);
    },
  };
}

/** A FlowUi that confirms everything and collects the plan, messages and step failures into `log`. */
export function quietUi(log: string[]): FlowUi {
  return {
    showPlan: (plan) => log.push(...plan.actions.map((a) => `${a.change} ${a.title}`)),
    confirm: async () => true,
    info: (m) => log.push(m),
    listeners: [(e) => (e.type === 'step-failed' ? log.push(`FAILED ${e.host}: ${e.stepId}: ${e.error}`) : undefined)],
  };
}

export interface Runner {
  child: ChildProcess;
  /** stdout and stderr so far. */
  output(): string;
  done: Promise<{ code: number | null; signal: string | null; out: string }>;
}

/**
 * Runs an e2e runner script (run-apply.ts, run-host-plan.ts) in its own process. With
 * `killWhen`, SIGKILLs it `killDelayMs` after its output first matches: long enough for the
 * remote command to get going, which outlives the killed process on the host.
 */
export function startRunner(script: string, args: string[], kill?: { when: (out: string) => boolean; delayMs: number }): Runner {
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  const timer = kill
    ? setInterval(() => {
        if (!kill.when(out)) return;
        clearInterval(timer);
        setTimeout(() => child.kill('SIGKILL'), kill.delayMs);
      }, 50)
    : undefined;
  const done = new Promise<{ code: number | null; signal: string | null; out: string }>((resolve) => {
    child.on('close', (code, signal) => {
      if (timer) clearInterval(timer);
      resolve({ code, signal, out });
    });
  });
  return { child, output: () => out, done };
}
