// The cluster half of the probe: picks the leader (first control plane whose apiserver
// answers /healthz), then reads Nodes, control-plane mirror pods, kubeadm-config and addon
// objects, and the cloud resources reset removes first, through an SSH tunnel to it. etcd
// membership and health come from the host script (each control plane asks its local etcd),
// so they cost no extra round trip.
import type { V1Node } from '@kubernetes/client-node';
import { parse as parseYaml } from 'yaml';

import type { ResolvedHost } from '../api/types.js';
import type { KubeClient } from '../kube/leader.js';
import { ENCRYPTION_RECORD_NAME, parseRewriteRecord } from '../encryption/record.js';
import { NODE_SELECTOR_ANNOTATION } from '../kubeadm/control-plane-files.js';
import type { AddonObjectFacts, ClusterFacts, EncryptionRewriteRecord, EtcdMemberFacts, HelmReleaseFacts, NodeFacts } from '../snapshot/types.js';
import { OWNERSHIP_CONFIGMAP, OWNERSHIP_KEY, OWNERSHIP_NAMESPACE, OWNERSHIP_REF, parseRecord } from '../ownership/record.js';
import type { Logger } from '../ssh/logger.js';
import type { SshPool } from '../ssh/pool.js';
import { readCloudResources } from './cloud-resources.js';
import { imageTag } from './host-facts.js';
import type { HostProbeResult } from './host-probe.js';

const sorted = (record: Record<string, string> | undefined): Record<string, string> =>
  Object.fromEntries(Object.entries(record ?? {}).sort(([a], [b]) => compareStrings(a, b)));

/** Names a host's Node or etcd member may carry: its node name, then the manifest's and the kernel's hostnames. */
function namesOf(h: HostProbeResult): string[] {
  return [h.facts.nodeName, h.host.config.hostname, h.facts.hostname].filter((n): n is string => Boolean(n)).map((n) => n.toLowerCase());
}

/** Manifest host a Node is: by name first, then by address. */
export function matchNode(node: { name: string; internalIP: string }, hosts: HostProbeResult[]): string | null {
  const name = node.name.toLowerCase();
  const byName = hosts.find((h) => namesOf(h)[0] === name) ?? hosts.find((h) => namesOf(h).includes(name));
  if (byName) return byName.host.name;
  const byAddress = hosts.find((h) => node.internalIP !== '' && (h.host.config.privateAddress === node.internalIP || h.host.config.publicAddress === node.internalIP));
  return byAddress?.host.name ?? null;
}

export function nodeFacts(node: V1Node, hosts: HostProbeResult[]): NodeFacts {
  const name = node.metadata?.name ?? '';
  const internalIP = node.status?.addresses?.find((a) => a.type === 'InternalIP')?.address ?? '';
  return {
    name,
    kubeletVersion: (node.status?.nodeInfo?.kubeletVersion ?? '').replace(/^v/, ''),
    containerRuntimeVersion: node.status?.nodeInfo?.containerRuntimeVersion ?? '',
    ready: node.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false,
    unschedulable: node.spec?.unschedulable === true,
    labels: sorted(node.metadata?.labels),
    taints: (node.spec?.taints ?? [])
      .map((t) => ({ key: t.key, ...(t.value ? { value: t.value } : {}), effect: t.effect }))
      .sort((a, b) => compareStrings(`${a.key}=${a.value ?? ''}:${a.effect}`, `${b.key}=${b.value ?? ''}:${b.effect}`)),
    annotations: sorted(node.metadata?.annotations),
    internalIP,
    host: matchNode({ name, internalIP }, hosts),
  };
}

export function etcdMembers(controlPlanes: HostProbeResult[]): EtcdMemberFacts[] {
  // Any healthy member's view will do (they agree); fall back to an unhealthy one's.
  const byId = [...controlPlanes].sort((a, b) => a.host.id - b.host.id);
  const view = (byId.find((h) => h.extras?.etcdMembers && h.extras.etcdHealthy) ?? byId.find((h) => h.extras?.etcdMembers))?.extras?.etcdMembers ?? [];
  return view.map((m) => {
    const host = controlPlanes.find((h) => {
      const address = h.host.config.privateAddress || h.host.config.publicAddress || '';
      return namesOf(h).includes(m.name.toLowerCase()) || (address !== '' && m.peerURLs.some((u) => u.includes(`//${address}:`) || u.includes(`//[${address}]:`)));
    });
    return { ...m, healthy: host?.extras?.etcdHealthy ?? null, host: host?.host.name ?? null };
  });
}

/** Components whose start time the planner compares with their input files (restarts). */
const STARTED_COMPONENTS = ['kube-apiserver', 'kube-controller-manager'];

async function components(client: KubeClient, nodes: NodeFacts[]): Promise<{ versions: Record<string, Record<string, string>>; started: Record<string, Record<string, string>> }> {
  const pods = await client.core.listNamespacedPod({ namespace: 'kube-system', labelSelector: 'tier=control-plane' });
  const result: Record<string, Record<string, string>> = {};
  const started: Record<string, Record<string, string>> = {};
  for (const pod of pods.items) {
    const component = pod.metadata?.labels?.component;
    const nodeName = pod.spec?.nodeName ?? '';
    const image = pod.spec?.containers?.[0]?.image ?? '';
    if (!component || !nodeName) continue;
    const host = nodes.find((n) => n.name === nodeName)?.host ?? nodeName;
    (result[component] ??= {})[host] = imageTag(image);
    const running = pod.status?.containerStatuses?.[0]?.state?.running?.startedAt;
    if (STARTED_COMPONENTS.includes(component) && running) (started[component] ??= {})[host] = new Date(running).toISOString();
  }
  const tidy = (r: Record<string, Record<string, string>>) => Object.fromEntries(Object.entries(r).sort(([a], [b]) => compareStrings(a, b)).map(([k, v]) => [k, sorted(v)]));
  return { versions: tidy(result), started: tidy(started) };
}

/** kube-system/kubeone-encryption (written by the encryption.secrets.rewrite op). */
async function encryptionRewrite(client: KubeClient): Promise<EncryptionRewriteRecord | null> {
  try {
    const cm = await client.core.readNamespacedConfigMap({ name: ENCRYPTION_RECORD_NAME, namespace: 'kube-system' });
    return parseRewriteRecord(cm.data);
  } catch (error) {
    if (/404|not found/i.test(String((error as Error).message))) return null;
    throw error;
  }
}

async function kubeSystemNodeSelector(client: KubeClient): Promise<string | null> {
  try {
    const ns = await client.core.readNamespace({ name: 'kube-system' });
    return ns.metadata?.annotations?.[NODE_SELECTOR_ANNOTATION] ?? null;
  } catch (error) {
    if (/404|not found/i.test(String((error as Error).message))) return null;
    throw error;
  }
}

async function clusterConfiguration(client: KubeClient): Promise<Record<string, unknown> | null> {
  try {
    const cm = await client.core.readNamespacedConfigMap({ name: 'kubeadm-config', namespace: 'kube-system' });
    const text = cm.data?.ClusterConfiguration;
    return text ? (parseYaml(text) as Record<string, unknown>) : null;
  } catch (error) {
    if (/404|not found/i.test(String((error as Error).message))) return null;
    throw error;
  }
}

/** The ownership record (null: none); unreadable or invalid: null with the reason. */
export async function readOwnershipRecord(client: KubeClient): Promise<Pick<ClusterFacts, 'ownership' | 'ownershipError'>> {
  let text: string | undefined;
  try {
    const cm = await client.core.readNamespacedConfigMap({ name: OWNERSHIP_CONFIGMAP, namespace: OWNERSHIP_NAMESPACE });
    text = cm.data?.[OWNERSHIP_KEY];
  } catch (error) {
    if (/404|not found/i.test(String((error as Error).message))) return { ownership: null };
    throw error;
  }
  if (text === undefined) return { ownership: null, ownershipError: `${OWNERSHIP_REF} has no ${OWNERSHIP_KEY}` };
  const parsed = parseRecord(text);
  return parsed.record ? { ownership: parsed.record } : { ownership: null, ownershipError: parsed.error };
}

/** Code-unit order: locale-independent, so snapshots sort the same everywhere. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Lists the live addon objects through the tunnelled KubeConfig (pkg/addons' listAddonObjects fits).
 * `leader` reads files on the control plane the client goes through (addons whose certificates
 * are signed by the cluster CA read it there).
 */
export type AddonObjectLister = (kubeConfig: KubeClient['kubeConfig'], leader: { readFile(path: string): Promise<Buffer> }) => Promise<AddonObjectFacts[]>;

/** Reads the Helm releases of every namespace (pkg/helm listHelmReleases fits). */
export type HelmReleaseLister = (core: KubeClient['core']) => Promise<HelmReleaseFacts[]>;

export interface ClusterProbeOptions {
  hosts: HostProbeResult[];
  /** Lists and hashes the live addon objects (probe() passes one built from the rendered addons). */
  listAddonObjects: AddonObjectLister;
  /** Reads the Helm releases; without it ClusterFacts.helmReleases stays absent (not read). */
  listHelmReleases?: HelmReleaseLister;
  pool: Pick<SshPool, 'get'>;
  apiserverPort?: number;
  logger: Logger;
  /** The first candidate's attempt, started while the other hosts were probed (probe() does); used when that host is a candidate. */
  early?: { host: ResolvedHost; attempt: Promise<LeaderAttempt> };
}

/** Whether any control plane is initialized (has admin.conf): only then is there a cluster to probe. */
export function clusterInitialized(hosts: HostProbeResult[]): boolean {
  return hosts.some((h) => h.host.role === 'controlPlane' && h.facts.adminConf === true);
}

/** A leader candidate's client and its answer to /healthz. */
export interface LeaderAttempt {
  client: KubeClient;
  health: { status: number; body: string };
}

/** Opens the tunnelled client through a control plane and asks /healthz (the client is closed if that fails). */
export async function attemptLeader(pool: Pick<SshPool, 'get'>, host: ResolvedHost, apiserverPort?: number): Promise<LeaderAttempt> {
  // Loaded only when there is a cluster: @kubernetes/client-node alone takes ~0.5 s to import.
  const { kubeClientFromLeader } = await import('../kube/leader.js');
  const client = await kubeClientFromLeader(pool, host, apiserverPort);
  try {
    return { client, health: await client.kubeConfig.getRaw('/healthz') };
  } catch (error) {
    client.close();
    throw error;
  }
}

export async function probeCluster(options: ClusterProbeOptions): Promise<ClusterFacts> {
  const controlPlanes = options.hosts.filter((h) => h.host.role === 'controlPlane');
  const apiserverHealthy = Object.fromEntries(controlPlanes.map((h) => [h.host.name, h.extras?.apiserverHealthy ?? false]));
  const facts: ClusterFacts = {
    leader: null,
    apiserverHealthy,
    nodes: [],
    etcdMembers: etcdMembers(controlPlanes),
    components: {},
    clusterConfiguration: null,
    addonObjects: [],
  };
  const errors: string[] = [];
  let client: KubeClient | undefined;
  let leaderHost: ResolvedHost | undefined;
  for (const candidate of controlPlanes.filter((h) => h.extras?.apiserverHealthy && h.facts.adminConf)) {
    try {
      const early = options.early?.host === candidate.host ? options.early.attempt : undefined;
      const { client: c, health } = await (early ?? attemptLeader(options.pool, candidate.host as ResolvedHost, options.apiserverPort));
      if (health.status === 200 && health.body.trim() === 'ok') {
        client = c;
        leaderHost = candidate.host as ResolvedHost;
        facts.leader = candidate.host.name;
        break;
      }
      c.close();
      errors.push(`${candidate.host.name}: /healthz through the tunnel answered ${health.status}`);
    } catch (error) {
      errors.push(`${candidate.host.name}: ${(error as Error).message}`);
    }
  }
  if (!client) {
    facts.error = errors.length > 0 ? `no control plane's apiserver answered /healthz: ${errors.join('; ')}` : 'no control plane\'s apiserver answered /healthz';
    return facts;
  }
  try {
    // Loaded with the client (it uses it), not with this module: plan --snapshot loads neither.
    const { readMachines } = await import('./machines.js');
    const nodes = await client.core.listNode();
    facts.nodes = nodes.items.map((n) => nodeFacts(n, options.hosts)).sort((a, b) => compareStrings(a.name, b.name));
    const [comps, config, owned, cloudResources, machines, addons, rewrite, nodeSelector] = await Promise.all([
      components(client, facts.nodes),
      clusterConfiguration(client),
      readOwnershipRecord(client),
      readCloudResources(client.core),
      // A failure here leaves the machines unread (reset then refuses to guess), not the rest.
      readMachines(client.kubeConfig).catch((error: Error) => {
        errors.push(`reading machine-controller's objects through ${client!.host}: ${error.message}`);
        return undefined;
      }),
      options.listAddonObjects(client.kubeConfig, { readFile: async (path) => (await options.pool.get(leaderHost!)).readFile(path) }),
      encryptionRewrite(client),
      kubeSystemNodeSelector(client),
    ]);
    facts.components = comps.versions;
    if (Object.keys(comps.started).length > 0) facts.started = comps.started;
    facts.clusterConfiguration = config;
    Object.assign(facts, owned);
    facts.cloudResources = cloudResources;
    if (machines) facts.machines = machines;
    facts.addonObjects = addons;
    if (rewrite) facts.encryptionRewrite = rewrite;
    if (nodeSelector !== null) facts.kubeSystemNodeSelector = nodeSelector;
    if (options.listHelmReleases) {
      // A failure here leaves the releases unread (the planner then plans none), not the rest.
      try {
        facts.helmReleases = await options.listHelmReleases(client.core);
      } catch (error) {
        errors.push(`reading helm releases through ${client.host}: ${(error as Error).message}`);
      }
    }
  } catch (error) {
    errors.push(`reading the cluster through ${client.host}: ${(error as Error).message}`);
  } finally {
    client.close();
  }
  if (errors.length > 0) facts.error = errors.join('; ');
  return facts;
}
