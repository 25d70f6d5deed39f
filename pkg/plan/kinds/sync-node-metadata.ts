// sync-node-metadata: labels, annotations and taints of a host's Node follow the manifest.
// kubeone manages only what the manifest lists: a key set there is set, a `key-` entry (as
// kubectl and KubeOne write it) removes that key, and a key or taint kubeone applied before
// (the in-cluster ownership record names it) that the manifest no longer lists is removed.
// As KubeOne, every Node also gets v1.kubeone.io/operating-system (never recorded as owned:
// KubeOne's clusters carry it too, and nothing removes it). Everything else on the Node (set by KubeOne, kubeadm, a user or a controller) is left alone.
import type { HostView } from '../host-state.js';
import type { PlanContext } from '../context.js';
import type { ActionDraft, ActionKindModule } from '../kind.js';
import type { Step, StepParamsByOp } from '../types.js';
import { UPGRADE_IN_PROGRESS_LABEL, upgradeMarked } from '../../ops/params.js';
import { isSortedUnique, taintId } from '../../ownership/record.js';
import { kubeoneOsName } from '../../scripts/os-family.js';
import { joinOf } from './join-of.js';
import { nodeNameOf, step, uncordonStep } from './steps.js';
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
  return (host.node?.unschedulable === true || nodeUpgradeMarked(host)) && interruptedUpgradeOf(host);
}

const nodeUpgradeMarked = (host: HostView): boolean => host.node !== undefined && upgradeMarked(host.node.labels);

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

/** A manifest taint as the Node gets it: no value member when the value is empty. */
const nodeTaint = (t: { key: string; value?: string; effect: string }): NodeTaint => ({ key: t.key, ...(t.value ? { value: t.value } : {}), effect: t.effect });

const taintsOf = (host: HostView): NodeTaint[] => (Array.isArray(host.config.taints) ? host.config.taints : []).map(nodeTaint);

type NodeOwnership = { labels: string[]; annotations: string[]; taints: string[] };

/**
 * The record's entry for a host's Node once its metadata follows the manifest: `recorded`
 * itself when it says that already (the record of a converged cluster names every Node the
 * same way at every plan; compared without copying), else a new entry.
 */
export function nodeOwnership(host: HostView, recorded?: NodeOwnership): NodeOwnership {
  if (recorded !== undefined && ownsAsRecorded(host, recorded)) return recorded;
  return {
    labels: Object.keys(splitManifestMap(host.config.labels).set).sort(),
    annotations: Object.keys(splitManifestMap(host.config.annotations).set).sort(),
    taints: taintsOf(host).map(taintId).sort(),
  };
}

/** Whether a (sorted, de-duplicated) record entry names exactly the keys and taints the manifest sets on the host. */
function ownsAsRecorded(host: HostView, recorded: NodeOwnership): boolean {
  const taints = Array.isArray(host.config.taints) ? host.config.taints : [];
  return (
    sameKeys(recorded.labels, host.config.labels) &&
    sameKeys(recorded.annotations, host.config.annotations) &&
    isSortedUnique(recorded.taints) &&
    sameTaintIds(recorded.taints, taints)
  );
}

/** The taints name exactly the ids (each taint some id, each id some taint). */
function sameTaintIds(ids: readonly string[], taints: readonly { key: string; effect: string }[]): boolean {
  for (const t of taints) if (!namedIn(ids, t)) return false;
  for (const id of ids) {
    let found = false;
    for (const t of taints) if ((found = namesTaint(id, t))) break;
    if (!found) return false;
  }
  return true;
}

const namedIn = (ids: readonly string[], t: { key: string; effect: string }): boolean => {
  for (const id of ids) if (namesTaint(id, t)) return true;
  return false;
};

/** The keys a manifest map sets (not its `key-` removals) are exactly `keys` (sorted, de-duplicated). */
function sameKeys(keys: readonly string[], manifest: Record<string, string> | undefined): boolean {
  if (!isSortedUnique(keys)) return false;
  let count = 0;
  for (const key in manifest) {
    if (!Object.hasOwn(manifest, key) || key.endsWith('-')) continue;
    if (!keys.includes(key)) return false;
    count++;
  }
  return count === keys.length;
}

const NONE: readonly string[] = [];

const keysOf = (value: string | undefined): readonly string[] => (value ? value.split(',').filter(Boolean) : NONE);

/** Whether the manifest map sets `key` (a `key-` entry removes it instead). */
const setsKey = (manifest: Record<string, string> | undefined, key: string): boolean => manifest !== undefined && !key.endsWith('-') && Object.hasOwn(manifest, key);

/** What differs in one map (labels or annotations) of a Node; each list in key order. */
interface MapDiff {
  /** Keys the manifest sets to a value the Node does not have. */
  changed: string[];
  /** Keys of `key-` entries that the Node has. */
  removed: string[];
  /** Keys kubeone set (`owned`) that the manifest no longer names and the Node still has. */
  stale: string[];
}

/**
 * The difference of one map, or null when the Node follows the manifest: then nothing is
 * allocated (a converged cluster's 5,000 Nodes are compared at every plan). `owned`: the
 * ownership record's keys and the legacy bookkeeping annotation's. Keys are own members only.
 */
function diffMap(live: Record<string, string>, manifest: Record<string, string> | undefined, owned: readonly string[], legacyOwned: readonly string[]): MapDiff | null {
  let diff: MapDiff | null = null;
  for (const key in manifest) {
    if (!Object.hasOwn(manifest, key)) continue;
    if (key.endsWith('-')) {
      const base = key.slice(0, -1);
      if (Object.hasOwn(live, base) && !setsKey(manifest, base)) (diff ??= { changed: [], removed: [], stale: [] }).removed.push(base);
    } else if (!Object.hasOwn(live, key) || live[key] !== manifest[key]) (diff ??= { changed: [], removed: [], stale: [] }).changed.push(key);
  }
  for (let i = 0; i < owned.length + legacyOwned.length; i++) {
    const key = i < owned.length ? owned[i]! : legacyOwned[i - owned.length]!;
    if (!Object.hasOwn(live, key) || setsKey(manifest, key) || (manifest !== undefined && Object.hasOwn(manifest, `${key}-`))) continue;
    diff ??= { changed: [], removed: [], stale: [] };
    if (!diff.stale.includes(key)) diff.stale.push(key);
  }
  if (diff === null) return null;
  diff.changed.sort();
  diff.removed.sort();
  diff.stale.sort();
  return diff;
}

/** A map's difference as the node.metadata step's entries (`key` -> value, `key-` -> '') and the reasons. */
function describeMapDiff(kind: string, node: string, live: Record<string, string>, manifest: Record<string, string> | undefined, diff: MapDiff, out: Record<string, string>, reasons: string[]): void {
  for (const key of diff.changed) {
    out[key] = manifest![key]!;
    reasons.push(Object.hasOwn(live, key) ? `${kind} ${key}=${live[key]} on ${node}, the manifest sets ${manifest![key]}` : `${kind} ${key} missing on ${node}`);
  }
  for (const key of diff.removed) {
    out[`${key}-`] = '';
    reasons.push(`${kind} ${key} on ${node}: the manifest removes it (${key}-)`);
  }
  for (const key of diff.stale) {
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
  const liveLabels = node?.labels ?? NO_MAP;
  const liveAnnotations = node?.annotations ?? NO_MAP;
  const record = ctx.kube?.ownership?.nodes[name];
  const labels = wantedLabels(host);
  const labelDiff = diffMap(liveLabels, labels, record?.labels ?? NONE, keysOf(liveAnnotations[LEGACY_MANAGED_LABELS]));
  const infraNamespace = ctx.desired.cluster.cluster.cloudProvider?.kubevirt?.infraNamespace;
  const annotations = infraNamespace ? { ...(host.config.annotations ?? {}), [KUBEVIRT_NAMESPACE_ANNOTATION]: infraNamespace } : host.config.annotations;
  const annotationDiff = diffMap(liveAnnotations, annotations, record?.annotations ?? NONE, keysOf(liveAnnotations[LEGACY_MANAGED_ANNOTATIONS]));
  // Controllers' taints (the CCM's uninitialized, node.kubernetes.io/*) are never touched:
  // only taints the manifest lists or kubeone applied are compared.
  const want = node && Array.isArray(host.config.taints) ? host.config.taints : [];
  const liveTaints = node?.taints ?? [];
  const ownedTaints = (node && record?.taints) || NONE;
  const taintsDiffer = want.some((t) => liveTaintUnlike(t, liveTaints) !== null) || ownedTaints.some((id) => strippedTaint(id, want, liveTaints));
  const legacyBookkeeping = Object.hasOwn(liveAnnotations, LEGACY_MANAGED_LABELS) || Object.hasOwn(liveAnnotations, LEGACY_MANAGED_ANNOTATIONS);
  const uncordon = cordonedByInterruptedUpgrade(host);
  if (!labelDiff && !annotationDiff && !taintsDiffer && !legacyBookkeeping && !uncordon) return null;

  const change: MetadataChange = { labels: {}, annotations: {}, taints: [], removeTaints: [], reasons: [] };
  if (labelDiff) describeMapDiff('label', name, liveLabels, labels, labelDiff, change.labels, change.reasons);
  if (annotationDiff) describeMapDiff('annotation', name, liveAnnotations, annotations, annotationDiff, change.annotations, change.reasons);
  for (const legacy of [LEGACY_MANAGED_LABELS, LEGACY_MANAGED_ANNOTATIONS]) {
    if (!Object.hasOwn(liveAnnotations, legacy) || legacy in change.annotations) continue;
    change.annotations[`${legacy}-`] = '';
    change.reasons.push(`annotation ${legacy} on ${name} is the bookkeeping of an earlier kubeone, now kept in the ownership record`);
  }
  for (const t of want) {
    const have = liveTaintUnlike(t, liveTaints);
    if (have === null) continue;
    change.taints.push(nodeTaint(t));
    change.reasons.push(have ? `taint ${taintId(t)} on ${name} has value ${have.value ?? '""'}, the manifest sets ${t.value || '""'}` : `taint ${t.key}${t.value ? `=${t.value}` : ''}:${t.effect} missing on ${name}`);
  }
  for (const id of ownedTaints) {
    if (!strippedTaint(id, want, liveTaints)) continue;
    const i = id.lastIndexOf(':');
    change.removeTaints.push({ key: id.slice(0, i), effect: id.slice(i + 1) });
    change.reasons.push(`taint ${id} on ${name} was set by kubeone and is no longer in the manifest`);
  }
  if (uncordon) {
    change.uncordon = true;
    const what = host.node?.unschedulable === true ? 'cordoned' : `labelled ${UPGRADE_IN_PROGRESS_LABEL}`;
    change.reasons.push(`Node ${name} is still ${what} by the interrupted ${host.facts!.inflight!.actionId}`);
  }
  return change;
}

/**
 * Whether a manifest taint differs on the Node: null when the Node has it with the same value,
 * else the Node's taint of that key and effect (with another value), or undefined.
 */
function liveTaintUnlike(t: { key: string; value?: string; effect: string }, live: readonly NodeTaint[]): NodeTaint | undefined | null {
  const have = live.find((l) => sameTaint(l, t));
  return have && (have.value ?? '') === (t.value || '') ? null : have;
}

/** A taint kubeone applied (record id `key:effect`) that the manifest no longer lists and the Node still has. */
function strippedTaint(id: string, want: readonly { key: string; effect: string }[], live: readonly { key: string; effect: string }[]): boolean {
  return !want.some((t) => namesTaint(id, t)) && live.some((l) => namesTaint(id, l));
}

const NO_MAP: Record<string, string> = Object.freeze({});

/** Whether a record's taint id (`key:effect`) names the taint, compared without splitting the id. */
function namesTaint(id: string, t: { key: string; effect: string }): boolean {
  const i = id.lastIndexOf(':');
  return i === t.key.length && id.length === i + 1 + t.effect.length && id.startsWith(t.key) && id.endsWith(t.effect);
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
    out.push(uncordonStep(host.name, nodeUpgradeMarked(host) ? { node, upgrade: true } : { node }));
  }
  return out;
}

export const idOf = (host: string): string => `sync-node-metadata:${host}`;

const candidatesByContext = new WeakMap<PlanContext, { host: HostView; after: readonly string[] }[]>();

/** Hosts that join in this plan (after their join) and, in an existing cluster, the reachable hosts that stay (once per plan). */
export function metadataCandidates(ctx: PlanContext): { host: HostView; after: readonly string[] }[] {
  const known = candidatesByContext.get(ctx);
  if (known) return known;
  const stays = new Set(ctx.staying);
  const candidates: { host: HostView; after: readonly string[] }[] = [];
  for (const host of ctx.hosts) {
    const join = joinOf(ctx, host);
    if (join !== undefined) {
      if (ctx.mode !== 'reconcile' || host.reachable) candidates.push({ host, after: [join] });
    } else if (ctx.mode === 'reconcile' && host.reachable && stays.has(host)) candidates.push({ host, after: NONE });
  }
  candidatesByContext.set(ctx, candidates);
  return candidates;
}

export const syncNodeMetadata: ActionKindModule<'sync-node-metadata'> = {
  name: 'sync Node labels, annotations and taints',
  when: ['create', 'reconcile'],
  kinds: { 'sync-node-metadata': { change: '~', serial: false, disruptive: false } },
  plan(ctx) {
    const drafts: ActionDraft<'sync-node-metadata'>[] = [];
    for (const { host, after } of metadataCandidates(ctx)) {
      const change = needed(ctx, host, after.length > 0);
      if (change === null) continue;
      drafts.push({
        kind: 'sync-node-metadata',
        id: idOf(host.name),
        hosts: [host.name],
        title: `update the metadata of node ${nodeNameOf(host)}`,
        reason: change.reasons.join('; '),
        dependsOn: after,
        steps: steps(host, change),
      });
    }
    return drafts;
  },
};
