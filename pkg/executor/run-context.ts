// Builds everything one execution needs around a plan: op dependencies (lazy tunnelled
// Kubernetes client), the journal listener, resume decisions and in-flight markers.
import { randomUUID } from 'node:crypto';
import type { LoadedCluster } from '../api/types.js';
import { hostNamed } from '../api/former-host.js';
import { APISERVER_BIND_PORT } from '../kubeadm/network.js';
import type { Action, DesiredState, Plan } from '../plan/types.js';
import type { Snapshot } from '../snapshot/types.js';
import type { HostTransport } from '../ssh/types.js';
import type { Collaborators, TransportPool } from './collaborators.js';
import { effectStillVisible, journalSkipDecider } from './effects.js';
import { transportMarkers } from './inflight.js';
import { JournalWriter, journalListener, journalPath, readJournal } from './journal.js';
import type { OpDeps } from './ops/context.js';
import { createOps } from './ops/index.js';
import { type KubeApi, clientNodeKubeApi } from './ops/kube-api.js';
import { interruptedActions, nodeOfStep, uncordonRepairs } from './resume.js';
import { systemClock } from './retry.js';
import type { ExecuteOptions, Listener, RetryPolicy } from './types.js';

/** Connections by host name: manifest hosts, and the former hosts the snapshot's probe reached. */
export function transportFor(loaded: LoadedCluster, pool: TransportPool, snapshot?: Snapshot): (host: string) => Promise<HostTransport> {
  return async (name) => {
    const host = hostNamed(loaded.hosts, snapshot?.state.hosts ?? [], name);
    if (!host) throw new Error(`unknown host "${name}"`);
    return pool.get(host);
  };
}

/** The plan's actions plus uncordon repairs for nodes an interrupted run left cordoned. */
export function actionsWithRepairs(plan: Plan, loaded: LoadedCluster, snapshot: Snapshot): { actions: Action[]; repairs: Action[] } {
  const records = readJournal(journalPath(loaded.baseDir, loaded.cluster.name ?? 'default'));
  const nodes = snapshot.state.kube?.nodes ?? [];
  const repairs = uncordonRepairs(
    records,
    plan.actions,
    (node) => nodes.some((n) => (n.name === node || n.host === node) && n.unschedulable),
    (node) => loaded.hosts.find((h) => h.name === node || h.config.hostname === node)?.name,
  );
  return { actions: [...repairs, ...plan.actions], repairs };
}

export interface RunContext {
  options: ExecuteOptions;
  deps: OpDeps;
  close(): void;
}

export function buildRunContext(args: {
  loaded: LoadedCluster;
  snapshot: Snapshot;
  desired: DesiredState;
  plan: Plan;
  actions: Action[];
  pool: TransportPool;
  collaborators: Collaborators;
  parallelism: number;
  listeners: Listener[];
  signal: AbortSignal;
  retry?: RetryPolicy;
}): RunContext {
  const { loaded, snapshot, desired, plan, actions, pool, collaborators } = args;
  const transport = transportFor(loaded, pool, snapshot);
  const secrets = new Set<string>();
  const leader = { name: null as string | null };
  let cached: { leader: string; kubeConfig: unknown; api: KubeApi } | null = null;
  const deps: OpDeps = {
    loaded,
    snapshot,
    desired,
    transport,
    leader,
    secrets,
    clock: systemClock,
    addons: collaborators.addons,
    kubeConfig: async () => (await client()).kubeConfig,
    kube: async () => (await client()).api,
  };
  async function client() {
    const name = leader.name ?? snapshot.state.kube?.leader ?? loaded.hosts.find((h) => h.role === 'controlPlane')!.name;
    if (cached?.leader === name) return cached;
    const t = await transport(name);
    const adminConf = (await t.readFile('/etc/kubernetes/admin.conf')).toString('utf8');
    const host = loaded.hosts.find((h) => h.name === name)!;
    // The leader's own apiserver, at the port it binds (not the load balancer's apiEndpoint.port).
    const kubeConfig = await collaborators.createTunnelledKubeConfig(t, adminConf, host.config.privateAddress || host.config.publicAddress || '127.0.0.1', APISERVER_BIND_PORT);
    cached = { leader: name, kubeConfig, api: clientNodeKubeApi(kubeConfig as import('@kubernetes/client-node').KubeConfig) };
    return cached;
  }

  const path = journalPath(loaded.baseDir, loaded.cluster.name ?? 'default');
  const interrupted = interruptedActions(readJournal(path));
  const writer = new JournalWriter(path);
  const steps = new Map(actions.flatMap((a) => a.steps.map((s) => [`${a.id}\u0000${s.id}`, s] as const)));
  const journal = journalListener(writer, plan.snapshotHash, (a, s) => {
    const step = steps.get(`${a}\u0000${s}`);
    return step ? nodeOfStep(step) : undefined;
  });
  const options: ExecuteOptions = {
    runId: randomUUID(),
    parallelism: args.parallelism,
    ops: createOps(deps),
    listeners: [journal, ...args.listeners],
    markers: transportMarkers(transport),
    skip: journalSkipDecider(interrupted, (step) => effectStillVisible(step, snapshot, desired)),
    signal: args.signal,
    redact: () => [...secrets],
    ...(args.retry ? { retry: args.retry } : {}),
  };
  return { options, deps, close: () => writer.close() };
}
