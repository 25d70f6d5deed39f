// The ownership record: what this tool applied to a cluster (addon objects, control-plane
// flags, volumes and files, Node labels, annotations and taints, Helm releases), kept in the cluster itself
// (ConfigMap kube-system/kubeone-ownership) so that it survives a lost local .kubeone/
// directory and reads the same from any machine. Whatever is not in it belongs to someone
// else (KubeOne, a user, another controller) and is never deleted or stripped without an
// explicit word in the manifest. Pure: parsing, the canonical form, comparison.
import { validateDefinition } from '../snapshot/snapshot.js';
import { type ControlPlaneComponent, OWNERSHIP_FORMAT, type OwnershipRecord } from '../snapshot/types.js';

export { OWNERSHIP_FORMAT, type OwnershipRecord, type ControlPlaneComponent };

export const OWNERSHIP_NAMESPACE = 'kube-system';
export const OWNERSHIP_CONFIGMAP = 'kubeone-ownership';
/** The ConfigMap data key holding the record (JSON). */
export const OWNERSHIP_KEY = 'record.json';
export const OWNERSHIP_REF = `ConfigMap ${OWNERSHIP_NAMESPACE}/${OWNERSHIP_CONFIGMAP}`;

export const CONTROL_PLANE_COMPONENTS: readonly ControlPlaneComponent[] = ['apiServer', 'controllerManager', 'scheduler', 'etcd'];

export function emptyRecord(): OwnershipRecord {
  return { formatVersion: OWNERSHIP_FORMAT, addons: {}, controlPlane: { flags: {}, volumes: {}, files: [] }, nodes: {} };
}

const sortedUnique = (names: Iterable<string>): string[] => [...new Set(names)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));

function sortedMap<T>(map: Record<string, T>, value: (v: T) => T, keep: (v: T) => boolean): Record<string, T> {
  const out: Record<string, T> = {};
  for (const key of Object.keys(map).sort()) {
    const v = value(map[key]!);
    if (keep(v)) out[key] = v;
  }
  return out;
}

/** The one form a record is compared and stored in: sorted, de-duplicated, empty entries dropped. */
export function canonicalRecord(record: OwnershipRecord): OwnershipRecord {
  const components = (m: Partial<Record<ControlPlaneComponent, string[]>>) =>
    sortedMap(m as Record<string, string[]>, sortedUnique, (v) => v.length > 0) as Partial<Record<ControlPlaneComponent, string[]>>;
  return {
    formatVersion: OWNERSHIP_FORMAT,
    addons: sortedMap(record.addons, sortedUnique, (v) => v.length > 0),
    controlPlane: {
      flags: components(record.controlPlane.flags),
      volumes: components(record.controlPlane.volumes),
      files: sortedUnique(record.controlPlane.files),
    },
    nodes: sortedMap(
      record.nodes,
      (n) => ({ labels: sortedUnique(n.labels), annotations: sortedUnique(n.annotations), taints: sortedUnique(n.taints) }),
      (n) => n.labels.length + n.annotations.length + n.taints.length > 0,
    ),
    // Only when there are some: records written before releases were recorded stay byte-identical.
    ...(record.helmReleases?.length ? { helmReleases: sortedUnique(record.helmReleases) } : {}),
  };
}

const sameList = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((x, i) => x === b[i]);

function sameMap<T>(a: Record<string, T>, b: Record<string, T>, same: (x: T, y: T) => boolean): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => Object.hasOwn(b, k) && same(a[k]!, b[k]!));
}

/** Sorted, without duplicates (what sortedUnique makes of a list). */
export const isSortedUnique = (list: readonly string[]): boolean => {
  for (let i = 1; i < list.length; i++) if (!(list[i - 1]! < list[i]!)) return false;
  return true;
};

function isCanonicalMap<T>(map: Record<string, T>, canonical: (v: T) => boolean): boolean {
  let previous: string | undefined;
  for (const key in map) {
    if (!Object.hasOwn(map, key)) continue;
    if ((previous !== undefined && !(previous < key)) || !canonical(map[key]!)) return false;
    previous = key;
  }
  return true;
}

const canonicalList = (list: readonly string[]): boolean => Array.isArray(list) && list.length > 0 && isSortedUnique(list);

/**
 * Whether canonicalRecord would give the record back as it is, checked without copying it (the
 * planner's record and the probed one already are, and a 5,000-Node record costs to copy).
 */
function isCanonical(r: OwnershipRecord): boolean {
  const components = (m: Partial<Record<ControlPlaneComponent, string[]>>) => isCanonicalMap(m as Record<string, string[]>, canonicalList);
  return (
    r.formatVersion === OWNERSHIP_FORMAT &&
    isCanonicalMap(r.addons, canonicalList) &&
    components(r.controlPlane.flags) &&
    components(r.controlPlane.volumes) &&
    Array.isArray(r.controlPlane.files) &&
    isSortedUnique(r.controlPlane.files) &&
    isCanonicalMap(r.nodes, (n) => Array.isArray(n.labels) && Array.isArray(n.annotations) && Array.isArray(n.taints) && n.labels.length + n.annotations.length + n.taints.length > 0 && isSortedUnique(n.labels) && isSortedUnique(n.annotations) && isSortedUnique(n.taints)) &&
    (r.helmReleases === undefined ? true : r.helmReleases.length > 0 && isSortedUnique(r.helmReleases))
  );
}

/** canonicalRecord(record), or the record itself when it is canonical already (no copy). */
export function asCanonical(record: OwnershipRecord): OwnershipRecord {
  return isCanonical(record) ? record : canonicalRecord(record);
}

/** Whether two records say the same (compared in their canonical forms; plans over thousands of Nodes compare them every time). */
export function sameRecord(a: OwnershipRecord | null | undefined, b: OwnershipRecord | null | undefined): boolean {
  if (!a || !b) return !a && !b;
  return sameCanonical(asCanonical(a), asCanonical(b));
}

/** sameRecord when `b` is canonical already (asCanonical's or canonicalRecord's result): only `a` is checked (a 5,000-Node record is walked once less). */
export function sameRecordAsCanonical(a: OwnershipRecord | null | undefined, b: OwnershipRecord): boolean {
  return !!a && sameCanonical(asCanonical(a), b);
}

function sameCanonical(x: OwnershipRecord, y: OwnershipRecord): boolean {
  const components = (m: Partial<Record<ControlPlaneComponent, string[]>>) => m as Record<string, string[]>;
  return (
    sameMap(x.addons, y.addons, sameList) &&
    sameMap(components(x.controlPlane.flags), components(y.controlPlane.flags), sameList) &&
    sameMap(components(x.controlPlane.volumes), components(y.controlPlane.volumes), sameList) &&
    sameList(x.controlPlane.files, y.controlPlane.files) &&
    sameMap(x.nodes, y.nodes, (n, m) => n === m || (sameList(n.labels, m.labels) && sameList(n.annotations, m.annotations) && sameList(n.taints, m.taints))) &&
    sameList(x.helmReleases ?? [], y.helmReleases ?? [])
  );
}

/** The text stored in the ConfigMap. */
export function serializeRecord(record: OwnershipRecord): string {
  return `${JSON.stringify(canonicalRecord(record), null, 1)}\n`;
}

export type ParsedRecord = { record: OwnershipRecord; error?: undefined } | { record: null; error: string };

/**
 * The record read from the ConfigMap's text. Anything that is not a valid record (edited by
 * hand, written by a newer format) reads as no record, with the reason: owning nothing is the
 * safe side (nothing is deleted).
 */
export function parseRecord(text: string): ParsedRecord {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return { record: null, error: `${OWNERSHIP_REF}: ${OWNERSHIP_KEY} is not JSON (${(e as Error).message})` };
  }
  const format = (json as { formatVersion?: unknown } | null)?.formatVersion;
  if (format !== OWNERSHIP_FORMAT) {
    return { record: null, error: `${OWNERSHIP_REF}: formatVersion ${JSON.stringify(format)} is not ${OWNERSHIP_FORMAT} (written by another version of kubeone?)` };
  }
  const valid = validateDefinition('ownership', json);
  if (!valid.valid) return { record: null, error: `${OWNERSHIP_REF}: ${valid.errors.join('; ')}` };
  return { record: canonicalRecord(json as OwnershipRecord) };
}

/** `key:effect`, how a taint is named in the record (kubectl identifies taints by key and effect). */
export const taintId = (t: { key: string; effect: string }): string => `${t.key}:${t.effect}`;
