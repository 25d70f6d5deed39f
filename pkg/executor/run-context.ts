// Builds everything one execution needs around a plan: op dependencies (lazy tunnelled
// Kubernetes client), a handler per op from the op registry, the journal listener, resume
// decisions and in-flight markers.
import { randomUUID } from 'node:crypto';
import type { LoadedCluster } from '../api/types.js';
import { hostNamed } from '../api/former-host.js';
import { journalPath, JournalWriter, readJournal } from '../journal/journal.js';
import { interruptedActions } from '../journal/resume.js';
import { openLocalApiTunnel } from '../kube/local-tunnel.js';
import { APISERVER_BIND_PORT } from '../kubeadm/network.js';
import type { OpDeps } from '../ops/context.js';
import { PreconditionError } from '../ops/errors.js';
import { clientNodeKubeApi, type KubeApi } from '../ops/kube-api.js';
import { nodeOfStep, OPS, STEP_OPS } from '../ops/registry.js';
import type { OpDefinition } from '../ops/types.js';
import { leaderOf } from '../plan/context.js';
import type { Action, DesiredState, Plan } from '../plan/types.js';
import type { Snapshot } from '../snapshot/types.js';
import type { HostTransport } from '../ssh/types.js';
import type { Collaborators, TransportPool } from '../pipeline/collaborators.js';
import { effectStillVisible, journalSkipDecider } from './effects.js';
import { transportMarkers } from './inflight.js';
import { journalListener } from './journal-listener.js';
import { systemClock } from './retry.js';
import type { ExecuteOptions, Listener, RetryPolicy, StepContext, StepHandlers } from './types.js';

/** Connections by host name: manifest hosts, and the former hosts the snapshot's probe reached. */
export function transportFor(loaded: LoadedCluster, pool: TransportPool, snapshot?: Snapshot): (host: string) => Promise<HostTransport> {
  return async (name) => {
    const host = hostNamed(loaded.hosts, snapshot?.state.hosts ?? [], name);
    if (!host) throw new Error(`unknown host "${name}"`);
    return pool.get(host);
  };
}

/** A handler per op: the op's definition run with the run's dependencies and the step's params. */
export function opHandlers(deps: OpDeps): StepHandlers {
  const handlers = Object.fromEntries(
    STEP_OPS.map((op) => {
      const definition = OPS[op] as OpDefinition<unknown>;
      return [op, (ctx: StepContext) => definition.run({ deps, step: ctx.step, action: ctx.action, runId: ctx.runId, signal: ctx.signal }, ctx.step.params)];
    }),
  );
  return handlers as StepHandlers;
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
  collaborators: Pick<Collaborators, 'createTunnelledKubeConfig' | 'addons' | 'helm'>;
  parallelism: number;
  listeners: Listener[];
  signal: AbortSignal;
  retry?: RetryPolicy;
}): RunContext {
  const { loaded, snapshot, desired, plan, actions, pool, collaborators } = args;
  const transport = transportFor(loaded, pool, snapshot);
  const secrets = new Set<string>();
  const leader = leaderOf(desired, snapshot);
  let cached: { kubeConfig: unknown; api: KubeApi } | null = null;
  /** The leader's connection and admin.conf (read when first needed; it stays in memory). */
  async function apiAccess() {
    if (!leader) throw new PreconditionError('no control plane to reach the Kubernetes API through');
    const t = await transport(leader);
    const adminConf = (await t.readFile('/etc/kubernetes/admin.conf')).toString('utf8');
    const host = loaded.hosts.find((h) => h.name === leader)!;
    // The leader's own apiserver, at the port it binds (not the load balancer's apiEndpoint.port).
    return { t, adminConf, apiHost: host.config.privateAddress || host.config.publicAddress || '127.0.0.1', apiPort: APISERVER_BIND_PORT };
  }
  async function client() {
    if (cached) return cached;
    const { t, adminConf, apiHost, apiPort } = await apiAccess();
    const kubeConfig = await collaborators.createTunnelledKubeConfig(t, adminConf, apiHost, apiPort);
    cached = { kubeConfig, api: clientNodeKubeApi(kubeConfig as import('@kubernetes/client-node').KubeConfig) };
    return cached;
  }
  /** For a local helm process: a kubeconfig through the leader's tunnel, open while it runs. */
  async function localApi() {
    const { t, adminConf, apiHost, apiPort } = await apiAccess();
    return openLocalApiTunnel(t, adminConf, apiHost, apiPort);
  }
  const deps: OpDeps = {
    loaded,
    snapshot,
    desired,
    transport,
    leader,
    secrets,
    clock: systemClock,
    addons: collaborators.addons,
    ...(collaborators.helm ? { helm: { client: collaborators.helm, cluster: localApi } } : {}),
    kubeConfig: async () => (await client()).kubeConfig,
    kube: async () => (await client()).api,
  };

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
    ops: opHandlers(deps),
    listeners: [journal, ...args.listeners],
    markers: transportMarkers(transport),
    skip: journalSkipDecider(interrupted, (step) => effectStillVisible(step, snapshot, desired)),
    signal: args.signal,
    redact: () => [...secrets],
    ...(args.retry ? { retry: args.retry } : {}),
  };
  return { options, deps, close: () => writer.close() };
}
