// sync-node-metadata: labels, annotations and taints of a host's Node follow the manifest.
// Only keys the tool set before are removed: their names are kept in an annotation.
import type { Taint } from '../../api/types.js';
import type { PlanContext } from '../context.js';
import type { HostView } from '../host-state.js';
import type { ActionKindModule } from '../kind.js';
import type { Step, StepParamsByOp } from '../types.js';
import { joinOf } from './join-of.js';
import { nodeNameOf, step } from './steps.js';
import { interruptedUpgradeOf } from './upgrade.js';

export const MANAGED_LABELS = 'kubeone.k8c.io/managed-labels';
export const MANAGED_ANNOTATIONS = 'kubeone.k8c.io/managed-annotations';

/**
 * A Node that an interrupted kubeone upgrade cordoned (its in-flight marker names an upgrade
 * of this host). Nodes cordoned by anyone else are left alone.
 */
export function cordonedByInterruptedUpgrade(host: HostView): boolean {
  return host.node?.unschedulable === true && interruptedUpgradeOf(host);
}

export interface MetadataChange {
  uncordon?: boolean;
  /** key -> value to set; `key-` -> '' to remove. */
  labels: Record<string, string>;
  annotations: Record<string, string>;
  taints?: Taint[];
  reasons: string[];
}

const keysOf = (value: string | undefined): string[] => (value ? value.split(',').filter(Boolean) : []);

function diffMap(
  kind: string,
  node: string,
  live: Record<string, string>,
  want: Record<string, string>,
  managed: string[],
  out: Record<string, string>,
  reasons: string[],
): void {
  for (const key of Object.keys(want).sort()) {
    if (live[key] === want[key]) continue;
    out[key] = want[key];
    reasons.push(key in live ? `${kind} ${key}=${live[key]} on ${node}, the manifest sets ${want[key]}` : `${kind} ${key} missing on ${node}`);
  }
  for (const key of managed.filter((k) => !(k in want)).sort()) {
    if (!(key in live)) continue;
    out[`${key}-`] = '';
    reasons.push(`${kind} ${key} on ${node} was set by kubeone and is no longer in the manifest`);
  }
}

const taintKey = (t: { key: string; value?: string; effect: string }): string => `${t.key}=${t.value ?? ''}:${t.effect}`;

/**
 * Taints that controllers put on and take off, never the manifest: the cloud-controller-manager
 * removes `node.cloudprovider.kubernetes.io/uninitialized` (which the kubelet sets with
 * --cloud-provider=external) once it has initialized the Node, and the node lifecycle
 * controller owns `node.kubernetes.io/*` (not-ready, unreachable, ...). They are neither
 * compared nor removed.
 */
export function isControllerTaint(key: string): boolean {
  return key === 'node.cloudprovider.kubernetes.io/uninitialized' || key.startsWith('node.kubernetes.io/');
}

/** KubeOne's annotateNodes: on KubeVirt, the infra namespace its CSI node driver reads. */
const KUBEVIRT_NAMESPACE_ANNOTATION = 'cluster.x-k8s.io/cluster-namespace';

function needed(host: HostView, infraNamespace: string | undefined): MetadataChange | null {
  const node = host.node;
  const live = { labels: node?.labels ?? {}, annotations: node?.annotations ?? {}, taints: node?.taints ?? [] };
  const want = { labels: host.config.labels ?? {}, annotations: { ...(host.config.annotations ?? {}) } };
  if (infraNamespace) want.annotations[KUBEVIRT_NAMESPACE_ANNOTATION] = infraNamespace;
  const name = nodeNameOf(host);
  const change: MetadataChange = { labels: {}, annotations: {}, reasons: [] };
  const managedLabels = keysOf(live.annotations[MANAGED_LABELS]);
  const managedAnnotations = keysOf(live.annotations[MANAGED_ANNOTATIONS]);
  diffMap('label', name, live.labels, want.labels, managedLabels, change.labels, change.reasons);
  diffMap('annotation', name, live.annotations, want.annotations, managedAnnotations, change.annotations, change.reasons);
  // Bookkeeping: which keys are ours, so that removing one from the manifest removes it from the Node.
  const bookkeeping: [string, string[]][] = [
    [MANAGED_LABELS, Object.keys(want.labels).sort()],
    [MANAGED_ANNOTATIONS, Object.keys(want.annotations).sort()],
  ];
  for (const [key, keys] of bookkeeping) {
    const value = keys.join(',');
    if (value === '' && key in live.annotations) change.annotations[`${key}-`] = '';
    else if (value !== '' && live.annotations[key] !== value) change.annotations[key] = value;
  }
  const taints = host.config.taints;
  if (Array.isArray(taints) && node) {
    const have = live.taints.filter((t) => !isControllerTaint(t.key)).map(taintKey).sort().join(' ');
    const wantTaints = taints.map(taintKey).sort().join(' ');
    if (have !== wantTaints) {
      // The op replaces the list: the controllers' taints are sent back as they are.
      const kept = live.taints.filter((t) => isControllerTaint(t.key) && !taints.some((w) => w.key === t.key && w.effect === t.effect));
      change.taints = [...taints, ...kept].map((t) => ({ key: t.key, ...(t.value !== undefined ? { value: t.value } : {}), effect: t.effect }));
      change.reasons.push(`taints on ${name} are [${have}], the manifest sets [${wantTaints}]`);
    }
  }
  if (cordonedByInterruptedUpgrade(host)) {
    change.uncordon = true;
    change.reasons.push(`Node ${name} is still cordoned by the interrupted ${host.facts!.inflight!.actionId}`);
  }
  const empty = change.reasons.length === 0 && Object.keys(change.annotations).length === 0;
  return empty ? null : change;
}

function steps(host: HostView, change: MetadataChange): Step[] {
  const node = nodeNameOf(host);
  const params: StepParamsByOp['node.metadata'] = { node, labels: change.labels, annotations: change.annotations };
  if (change.taints) params.taints = change.taints;
  const out: Step[] = [];
  const metadataChanges = Object.keys(change.labels).length + Object.keys(change.annotations).length + (change.taints ? 1 : 0);
  if (metadataChanges > 0) out.push(step('node.metadata', host.name, `update labels, annotations and taints of node ${node}`, params));
  if (change.uncordon) out.push(step('node.uncordon', host.name, `uncordon node ${node}`, { node }));
  return out;
}

export const idOf = (host: string): string => `sync-node-metadata:${host}`;

/** Hosts that join in this plan (after their join) and, in an existing cluster, the hosts that stay. */
function candidates(ctx: PlanContext): { host: HostView; after: string[] }[] {
  const stays = new Set(ctx.staying);
  return ctx.hosts.flatMap((host) => {
    const join = joinOf(ctx, host);
    if (join !== undefined) return ctx.mode === 'reconcile' && !host.reachable ? [] : [{ host, after: [join] }];
    return ctx.mode === 'reconcile' && host.reachable && stays.has(host) ? [{ host, after: [] }] : [];
  });
}

export const syncNodeMetadata: ActionKindModule<'sync-node-metadata'> = {
  name: 'sync Node labels, annotations and taints',
  when: ['create', 'reconcile'],
  kinds: { 'sync-node-metadata': { change: '~', serial: false, disruptive: false } },
  plan: (ctx) =>
    candidates(ctx).flatMap(({ host, after }) => {
      const change = needed(host, ctx.desired.cluster.cluster.cloudProvider?.kubevirt?.infraNamespace);
      if (change === null) return [];
      return {
        kind: 'sync-node-metadata' as const,
        id: idOf(host.name),
        hosts: [host.name],
        title: `update the metadata of node ${nodeNameOf(host)}`,
        reason: change.reasons.length > 0 ? change.reasons.join('; ') : `record which labels and annotations kubeone manages on ${nodeNameOf(host)}`,
        dependsOn: after,
        steps: steps(host, change),
      };
    }),
};
