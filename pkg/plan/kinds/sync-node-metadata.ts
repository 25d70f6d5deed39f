// sync-node-metadata: labels, annotations and taints of a host's Node follow the manifest.
// kubeone manages only what the manifest lists: a key set there is set, a `key-` entry (as
// kubectl and KubeOne write it) removes that key, and a key or taint kubeone applied before
// (the in-cluster ownership record names it) that the manifest no longer lists is removed.
// As KubeOne, every Node also gets v1.kubeone.io/operating-system (never recorded as owned:
// KubeOne's clusters carry it too, and nothing removes it). Everything else on the Node (set by KubeOne, kubeadm, a user or a controller) is left alone.
import type { HostView } from '../host-state.js';
import type { PlanContext } from '../context.js';
import type { ActionKindModule } from '../kind.js';
import type { Step, StepParamsByOp } from '../types.js';
import { UPGRADE_IN_PROGRESS_LABEL } from '../../ops/params.js';
import { taintId } from '../../ownership/record.js';
import { kubeoneOsName } from '../../scripts/os-family.js';
import { joinOf } from './join-of.js';
import { nodeNameOf, step } from './steps.js';
import { interruptedUpgradeOf } from './upgrade.js';

/**
 * Bookkeeping annotations of earlier kubeone versions (the keys they set), replaced by the
 * ownership record: read as owned keys, then removed from the Node.
 */
export const LEGACY_MANAGED_LABELS = 'kubeone.k8c.io/managed-labels';
export const LEGACY_MANAGED_ANNOTATIONS = 'kubeone.k8c.io/managed-annotations';

/**
 * A Node that an interrupted kubeone upgrade cordoned or labelled upgrade-in-progress (its
 * in-flight marker names an upgrade of this host). Nodes cordoned by anyone else are left alone.
 */
export function cordonedByInterruptedUpgrade(host: HostView): boolean {
  return (host.node?.unschedulable === true || upgradeMarked(host)) && interruptedUpgradeOf(host);
}

const upgradeMarked = (host: HostView): boolean => host.node !== undefined && Object.hasOwn(host.node.labels, UPGRADE_IN_PROGRESS_LABEL);

type NodeTaint = NonNullable<StepParamsByOp['node.metadata']['taints']>[number];

export interface MetadataChange {
  uncordon?: boolean;
  /** key -> value to set; `key-` -> '' to remove. */
  labels: Record<string, string>;
  annotations: Record<string, string>;
  /** Taints to have (replacing a live one of the same key and effect). */
  taints: NodeTaint[];
  /** Taints to remove (key and effect). */
  removeTaints: { key: string; effect: string }[];
  reasons: string[];
}

/** What the manifest says about one map (labels or annotations): keys to set, keys to remove (`key-`). */
export function splitManifestMap(map: Record<string, string> | undefined): { set: Record<string, string>; remove: string[] } {
  const set: Record<string, string> = {};
  const remove: string[] = [];
  for (const [key, value] of Object.entries(map ?? {})) {
    if (key.endsWith('-')) remove.push(key.slice(0, -1));
    else set[key] = value;
  }
  return { set, remove };
}

const taintsOf = (host: HostView): NodeTaint[] =>
  (Array.isArray(host.config.taints) ? host.config.taints : []).map((t) => ({ key: t.key, ...(t.value ? { value: t.value } : {}), effect: t.effect }));

/** The record's entry for a host's Node once its metadata follows the manifest. */
export function nodeOwnership(host: HostView): { labels: string[]; annotations: string[]; taints: string[] } {
  return {
    labels: Object.keys(splitManifestMap(host.config.labels).set).sort(),
    annotations: Object.keys(splitManifestMap(host.config.annotations).set).sort(),
    taints: taintsOf(host).map(taintId).sort(),
  };
}

const keysOf = (value: string | undefined): string[] => (value ? value.split(',').filter(Boolean) : []);

function diffMap(
  kind: string,
  node: string,
  live: Record<string, string>,
  manifest: Record<string, string> | undefined,
  owned: string[],
  out: Record<string, string>,
  reasons: string[],
): void {
  const { set, remove } = splitManifestMap(manifest);
  for (const key of Object.keys(set).sort()) {
    if (live[key] === set[key]) continue;
    out[key] = set[key]!;
    reasons.push(key in live ? `${kind} ${key}=${live[key]} on ${node}, the manifest sets ${set[key]}` : `${kind} ${key} missing on ${node}`);
  }
  for (const key of [...remove].sort()) {
    if (!(key in live) || key in set) continue;
    out[`${key}-`] = '';
    reasons.push(`${kind} ${key} on ${node}: the manifest removes it (${key}-)`);
  }
  for (const key of [...new Set(owned)].filter((k) => !(k in set) && !remove.includes(k)).sort()) {
    if (!(key in live)) continue;
    out[`${key}-`] = '';
    reasons.push(`${kind} ${key} on ${node} was set by kubeone and is no longer in the manifest`);
  }
}

const sameTaint = (a: { key: string; effect: string }, b: { key: string; effect: string }): boolean => a.key === b.key && a.effect === b.effect;

/** KubeOne labels every Node it manages with its host's operating system. */
export const OPERATING_SYSTEM_LABEL = 'v1.kubeone.io/operating-system';

/**
 * The labels kubeone wants on a host's Node: the operating-system label as KubeOne sets it,
 * then the manifest's labels, which win (a manifest that sets or removes the key decides).
 */
function wantedLabels(host: HostView): Record<string, string> | undefined {
  const os = kubeoneOsName(host.config.operatingSystem, host.facts?.os?.id);
  const manifest = host.config.labels ?? {};
  if (!os || OPERATING_SYSTEM_LABEL in manifest || `${OPERATING_SYSTEM_LABEL}-` in manifest) return host.config.labels;
  return { [OPERATING_SYSTEM_LABEL]: os, ...manifest };
}

/** KubeOne's annotateNodes: on KubeVirt, the infra namespace its CSI node driver reads. */
const KUBEVIRT_NAMESPACE_ANNOTATION = 'cluster.x-k8s.io/cluster-namespace';

/**
 * `joining`: the host joins in this plan. Its Node is new, or re-registered after the old one was
 * removed (a replaced machine): nothing the live Node carries now survives, so the metadata is
 * planned as for a Node without labels, annotations or taints of kubeone's.
 */
function needed(ctx: PlanContext, host: HostView, joining: boolean): MetadataChange | null {
  const node = joining ? undefined : host.node;
  const name = nodeNameOf(host);
  const live = { labels: node?.labels ?? {}, annotations: node?.annotations ?? {}, taints: node?.taints ?? [] };
  const record = ctx.kube?.ownership?.nodes[name];
  const change: MetadataChange = { labels: {}, annotations: {}, taints: [], removeTaints: [], reasons: [] };
  diffMap('label', name, live.labels, wantedLabels(host), [...(record?.labels ?? []), ...keysOf(live.annotations[LEGACY_MANAGED_LABELS])], change.labels, change.reasons);
  const infraNamespace = ctx.desired.cluster.cluster.cloudProvider?.kubevirt?.infraNamespace;
  const annotations = infraNamespace ? { ...(host.config.annotations ?? {}), [KUBEVIRT_NAMESPACE_ANNOTATION]: infraNamespace } : host.config.annotations;
  diffMap('annotation', name, live.annotations, annotations, [...(record?.annotations ?? []), ...keysOf(live.annotations[LEGACY_MANAGED_ANNOTATIONS])], change.annotations, change.reasons);
  for (const legacy of [LEGACY_MANAGED_LABELS, LEGACY_MANAGED_ANNOTATIONS]) {
    if (!(legacy in live.annotations) || legacy in change.annotations) continue;
    change.annotations[`${legacy}-`] = '';
    change.reasons.push(`annotation ${legacy} on ${name} is the bookkeeping of an earlier kubeone, now kept in the ownership record`);
  }
  // Controllers' taints (the CCM's uninitialized, node.kubernetes.io/*) are never touched:
  // only taints the manifest lists or kubeone applied are compared.
  if (node) {
    const want = taintsOf(host);
    for (const t of want) {
      const have = live.taints.find((l) => sameTaint(l, t));
      if (have && (have.value ?? '') === (t.value ?? '')) continue;
      change.taints.push(t);
      change.reasons.push(have ? `taint ${taintId(t)} on ${name} has value ${have.value ?? '""'}, the manifest sets ${t.value ?? '""'}` : `taint ${t.key}${t.value ? `=${t.value}` : ''}:${t.effect} missing on ${name}`);
    }
    for (const id of record?.taints ?? []) {
      const i = id.lastIndexOf(':');
      const owned = { key: id.slice(0, i), effect: id.slice(i + 1) };
      if (want.some((t) => sameTaint(t, owned)) || !live.taints.some((l) => sameTaint(l, owned))) continue;
      change.removeTaints.push(owned);
      change.reasons.push(`taint ${id} on ${name} was set by kubeone and is no longer in the manifest`);
    }
  }
  if (cordonedByInterruptedUpgrade(host)) {
    change.uncordon = true;
    const what = host.node?.unschedulable === true ? 'cordoned' : `labelled ${UPGRADE_IN_PROGRESS_LABEL}`;
    change.reasons.push(`Node ${name} is still ${what} by the interrupted ${host.facts!.inflight!.actionId}`);
  }
  return change.reasons.length === 0 ? null : change;
}

function steps(host: HostView, change: MetadataChange): Step[] {
  const node = nodeNameOf(host);
  const params: StepParamsByOp['node.metadata'] = { node, labels: change.labels, annotations: change.annotations };
  if (change.taints.length > 0) params.taints = change.taints;
  if (change.removeTaints.length > 0) params.removeTaints = change.removeTaints;
  const out: Step[] = [];
  const metadataChanges = Object.keys(change.labels).length + Object.keys(change.annotations).length + change.taints.length + change.removeTaints.length;
  if (metadataChanges > 0) out.push(step('node.metadata', host.name, `update labels, annotations and taints of node ${node}`, params));
  if (change.uncordon) {
    out.push(
      upgradeMarked(host)
        ? step('node.uncordon', host.name, `uncordon node ${node} and remove its ${UPGRADE_IN_PROGRESS_LABEL} label`, { node, upgrade: true })
        : step('node.uncordon', host.name, `uncordon node ${node}`, { node }),
    );
  }
  return out;
}

export const idOf = (host: string): string => `sync-node-metadata:${host}`;

const candidatesByContext = new WeakMap<PlanContext, { host: HostView; after: string[] }[]>();

/** Hosts that join in this plan (after their join) and, in an existing cluster, the reachable hosts that stay (once per plan). */
export function metadataCandidates(ctx: PlanContext): { host: HostView; after: string[] }[] {
  const known = candidatesByContext.get(ctx);
  if (known) return known;
  const stays = new Set(ctx.staying);
  const candidates = ctx.hosts.flatMap((host) => {
    const join = joinOf(ctx, host);
    if (join !== undefined) return ctx.mode === 'reconcile' && !host.reachable ? [] : [{ host, after: [join] }];
    return ctx.mode === 'reconcile' && host.reachable && stays.has(host) ? [{ host, after: [] }] : [];
  });
  candidatesByContext.set(ctx, candidates);
  return candidates;
}

export const syncNodeMetadata: ActionKindModule<'sync-node-metadata'> = {
  name: 'sync Node labels, annotations and taints',
  when: ['create', 'reconcile'],
  kinds: { 'sync-node-metadata': { change: '~', serial: false, disruptive: false } },
  plan: (ctx) =>
    metadataCandidates(ctx).flatMap(({ host, after }) => {
      const change = needed(ctx, host, after.length > 0);
      if (change === null) return [];
      return {
        kind: 'sync-node-metadata' as const,
        id: idOf(host.name),
        hosts: [host.name],
        title: `update the metadata of node ${nodeNameOf(host)}`,
        reason: change.reasons.join('; '),
        dependsOn: after,
        steps: steps(host, change),
      };
    }),
};
