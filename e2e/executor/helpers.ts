// Shared e2e glue: the fleet, the SSH pool and the probe are other helpers' packages; they
// are imported by name at run time so this branch builds on its own (after the merge they
// are ordinary imports).
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parse } from 'yaml';
import type { HostConfig, KubeOneCluster, LoadedCluster, ResolvedHost } from '../../pkg/api/types.js';
import type { TransportPool } from '../../pkg/pipeline/collaborators.js';
import type { Action } from '../../pkg/plan/types.js';
import type { Snapshot } from '../../pkg/snapshot/types.js';

export async function importByName<T = Record<string, unknown>>(relative: string): Promise<T> {
  return (await import(new URL(relative, import.meta.url).href)) as T;
}

export interface FleetLike {
  manifestPath: string;
  disconnect(host: string): Promise<void>;
  reconnect(host: string): Promise<void>;
  exec(host: string, command: string): Promise<{ exitCode?: number; code?: number; stdout: string; stderr?: string }>;
  destroy(): Promise<void>;
}

export async function startTestFleet(controlPlanes: number, workers: number): Promise<FleetLike> {
  const { startFleet } = await importByName<{ startFleet: (o: Record<string, unknown>) => Promise<FleetLike> }>('../fleet/index.js');
  return startFleet({ controlPlanes, workers });
}

/** A minimal loadCluster for e2e until pkg/api's lands: reads the fleet manifest as-is. */
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

export async function sshPool(loaded: LoadedCluster, extra: Record<string, unknown> = {}): Promise<TransportPool> {
  const { createSshPool } = await importByName<{ createSshPool: (o: Record<string, unknown>) => TransportPool }>('../../pkg/ssh/pool.js');
  return createSshPool({ baseDir: loaded.baseDir, knownHostsPath: join(loaded.baseDir, 'known_hosts'), acceptNewHostKeys: true, ...extra });
}

export async function probeHosts(loaded: LoadedCluster, pool: TransportPool): Promise<Snapshot> {
  const { probe } = await importByName<{ probe: (o: Record<string, unknown>) => Promise<Snapshot> }>('../../pkg/probe/index.js');
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
export function pendingHostActions(
  loaded: LoadedCluster,
  snapshot: Snapshot,
  desired: { managedFiles: Record<string, Record<string, string>> },
): Action[] {
  const version = loaded.cluster.versions!.kubernetes!;
  const prepared = (name: string) => {
    const f = snapshot.state.hosts.find((h) => h.name === name);
    if (!f?.reachable || f.containerd?.unit.active !== 'active' || f.kubelet?.version !== version) return false;
    return Object.entries(desired.managedFiles[name] ?? {}).every(([p, sha]) => f.managedFiles?.[p]?.sha256 === sha);
  };
  return hostActions(loaded).filter((a) => !prepared(a.hosts[0]!));
}

/**
 * The CLI's own collaborators (cmd/commands/executor-wiring.ts) for flow-level e2e tests,
 * with the manifest path given per call, `overrides` merged into the loaded manifest, a
 * known_hosts file beside the manifest (new keys accepted), and a probe counter.
 */
export async function e2eCollaborators(overrides: Partial<KubeOneCluster> = {}): Promise<import('../../pkg/pipeline/collaborators.js').Collaborators & { probes: number }> {
  const { loadCluster: loadManifest } = await import('../../pkg/api/load.js');
  const { realCollaborators } = await import('../../cmd/commands/executor-wiring.js');
  const { silentLogger } = await import('../../pkg/ssh/logger.js');
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
