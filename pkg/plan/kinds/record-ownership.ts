// record-ownership: after everything that applies something kubeone owns (the init, control-plane
// reconfigurations, Node metadata, addons), the in-cluster ownership record is written with what
// the cluster then holds of kubeone's: the objects of the addons it renders, the control-plane
// flags and volumes it renders, the files it writes on control planes, the labels, annotations
// and taints it applies, the Helm releases of the manifest. The next plans prune and strip only what the record names. This stage
// also warns about the live flags and volumes kept because they are not kubeone's.
import { objectKey } from '../../addons/normalize.js';
import { PATCH_ADDONS } from '../../addons/patch-addons.js';
import { desiredEncryptionPath } from '../../encryption/desired.js';
import { describeKept, settingNames } from '../../ownership/control-plane.js';
import { OWNERSHIP_CONFIGMAP, OWNERSHIP_NAMESPACE, OWNERSHIP_REF, asCanonical, emptyRecord, sameRecordAsCanonical, type OwnershipRecord } from '../../ownership/record.js';
import type { PlanContext } from '../context.js';
import type { HostView } from '../host-state.js';
import type { ActionKindModule } from '../kind.js';
import type { ActionKind } from '../types.js';
import { recordedReleases } from './helm-release.js';
import { metadataCandidates, nodeOwnership } from './sync-node-metadata.js';
import { nodeNameOf, step } from './steps.js';

export const ID = `record-ownership:${OWNERSHIP_NAMESPACE}/${OWNERSHIP_CONFIGMAP}`;

/** The kinds whose effects the record describes: it is written after them. */
const RECORDED_KINDS: readonly ActionKind[] = [
  'init-control-plane',
  'reconfigure-control-plane',
  'enable-encryption',
  'update-encryption-config',
  'remove-encryption-config',
  'sync-node-metadata',
  'apply-addon',
  'prune-addon',
  'install-helm-release',
  'upgrade-helm-release',
  'uninstall-helm-release',
];

/** The record once this plan has run, in its canonical form. */
export function desiredRecord(ctx: PlanContext): OwnershipRecord {
  const old = ctx.kube?.ownership ?? emptyRecord();
  const record = emptyRecord();
  // Addons: the objects of every rendered addon (applied or already as rendered); patch addons'
  // targets are kubeadm's. Not rendered this time: the old entries stay.
  if (ctx.desired.addons === null) record.addons = structuredClone(old.addons);
  else for (const a of ctx.desired.addons) if (!PATCH_ADDONS.has(a.name)) record.addons[a.name] = a.objects.map(objectKey);
  // Control plane: what the manifest renders (the uploaded configuration minus the live settings it keeps).
  if (ctx.mode === 'create' || ctx.kube?.clusterConfiguration) {
    const names = settingNames(ctx.desired.clusterConfiguration);
    for (const k of ctx.desired.keptSettings ?? []) {
      const kind = k.kind === 'flag' ? names.flags : names.volumes;
      kind[k.component] = (kind[k.component] ?? []).filter((n) => n !== k.name);
    }
    record.controlPlane.flags = names.flags;
    record.controlPlane.volumes = names.volumes;
  } else {
    record.controlPlane.flags = structuredClone(old.controlPlane.flags);
    record.controlPlane.volumes = structuredClone(old.controlPlane.volumes);
  }
  const files = new Set<string>();
  for (const h of ctx.controlPlanes) for (const path of Object.keys(ctx.desired.managedFiles[h.name] ?? {})) files.add(path);
  // The encryption configuration the manifest asks for (written by the encryption phases, not a managed file).
  const encryption = desiredEncryptionPath(ctx.desired.encryption);
  if (encryption && ctx.controlPlanes.length > 0) files.add(encryption);
  record.controlPlane.files = [...files];
  // Nodes: the hosts whose metadata this plan makes follow the manifest; the others (unreachable) keep theirs.
  // Added in name order, and an entry that says the same is the old one: the record of a converged cluster is then canonical as built (not copied again).
  const synced = new Set<HostView>();
  for (const { host } of metadataCandidates(ctx)) synced.add(host);
  const names = ctx.hosts.map(nodeNameOf);
  const order = ctx.hosts.map((_, i) => i).sort((i, j) => (names[i]! < names[j]! ? -1 : names[i]! > names[j]! ? 1 : i - j));
  for (const i of order) {
    const name = names[i]!;
    const host = ctx.hosts[i]!;
    const recorded = Object.hasOwn(old.nodes, name) ? old.nodes[name] : undefined;
    if (synced.has(host)) {
      const entry = nodeOwnership(host, recorded);
      // Nodes kubeone sets nothing on have no entry (as in the canonical form).
      if (entry.labels.length + entry.annotations.length + entry.taints.length > 0) record.nodes[name] = entry;
    }
    else if (recorded) record.nodes[name] = structuredClone(recorded);
  }
  const releases = recordedReleases(ctx, old);
  // The canonical form has no empty list (records written before releases were recorded).
  if (releases.length > 0) record.helmReleases = releases;
  return asCanonical(record);
}

/** Entries of one part of a record, as `<group>/<name>` (or `<name>`). */
function entries(map: Record<string, readonly string[]>): Set<string> {
  return new Set(Object.entries(map).flatMap(([group, names]) => names.map((n) => (group ? `${group}/${n}` : n))));
}

/** What changes in the record, in a few words per part. */
function describeChange(before: OwnershipRecord | null, after: OwnershipRecord): string {
  const b = before ?? emptyRecord();
  const nodeMap = (r: OwnershipRecord) =>
    Object.fromEntries(Object.entries(r.nodes).map(([n, e]) => [n, [...e.labels.map((k) => `label ${k}`), ...e.annotations.map((k) => `annotation ${k}`), ...e.taints.map((k) => `taint ${k}`)]]));
  const parts: [string, Set<string>, Set<string>][] = [
    ['addon object(s)', entries(b.addons), entries(after.addons)],
    ['control-plane flag(s)', entries(b.controlPlane.flags), entries(after.controlPlane.flags)],
    ['control-plane volume(s)', entries(b.controlPlane.volumes), entries(after.controlPlane.volumes)],
    ['control-plane file(s)', entries({ '': b.controlPlane.files }), entries({ '': after.controlPlane.files })],
    ['Node label(s), annotation(s) and taint(s)', entries(nodeMap(b)), entries(nodeMap(after))],
    ['helm release(s)', entries({ '': b.helmReleases ?? [] }), entries({ '': after.helmReleases ?? [] })],
  ];
  const show = (list: string[]) => list.slice(0, 4).join(', ') + (list.length > 4 ? ` and ${list.length - 4} more` : '');
  const lines: string[] = [];
  for (const [label, was, is] of parts) {
    const added = [...is].filter((x) => !was.has(x));
    const removed = [...was].filter((x) => !is.has(x));
    if (!before) {
      if (is.size > 0) lines.push(`${is.size} ${label}`);
      continue;
    }
    if (added.length) lines.push(`${label} +${added.length} (${show(added)})`);
    if (removed.length) lines.push(`${label} -${removed.length} (${show(removed)})`);
  }
  if (before) return `what kubeone manages changes: ${lines.join('; ')}`;
  return `${OWNERSHIP_REF} does not exist yet: it records what kubeone manages from now on (${lines.join(', ') || 'nothing yet'}); anything else in the cluster is left alone`;
}

export const recordOwnership: ActionKindModule<'record-ownership'> = {
  name: 'record what kubeone applied in the cluster (kube-system/kubeone-ownership)',
  when: ['create', 'reconcile'],
  kinds: { 'record-ownership': { change: '~', serial: false, disruptive: false } },
  plan(ctx) {
    for (const k of ctx.desired.keptSettings ?? []) ctx.b.warn(describeKept(k));
    if (ctx.kube?.ownershipError) {
      ctx.b.warn(`${ctx.kube.ownershipError}: kubeone treats nothing as its own (it prunes and strips nothing) and leaves the record as it is; delete the ConfigMap to have it written again`);
      return [];
    }
    // Create: written once the init is (not refused). Reconcile: the record must have been read
    // (a probe that failed to read it, or a snapshot saved before it existed, leaves it alone).
    if (ctx.mode === 'create' && ctx.b.planned('init-control-plane').length === 0) return [];
    if (ctx.mode === 'reconcile' && ctx.kube?.ownership === undefined) return [];
    const before = ctx.kube?.ownership ?? null;
    const record = desiredRecord(ctx);
    if (sameRecordAsCanonical(before, record)) return [];
    return [
      {
        kind: 'record-ownership' as const,
        id: ID,
        ...(before ? {} : { change: '+' as const }),
        hosts: [],
        title: `record what kubeone manages in ${OWNERSHIP_REF}`,
        reason: describeChange(before, record),
        dependsOn: RECORDED_KINDS.flatMap((kind) => ctx.b.planned(kind).map((a) => a.id)),
        steps: [step('ownership.record', undefined, `write ${OWNERSHIP_REF}`, { record })],
      },
    ];
  },
};

