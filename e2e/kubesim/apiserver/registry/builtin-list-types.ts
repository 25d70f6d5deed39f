// List semantics of built-in kinds, by field name. The real apiserver reads them from
// Go struct tags (patchStrategy/patchMergeKey, +listType/+listMapKey); the simulator
// keeps the subset that matters for pods, workloads, services, nodes and metadata.
// Lists not named here are atomic (replaced as a whole), like `tolerations`, `args`.
import type { ListType, ListTypeResolver } from './resource-def.js';

const ATOMIC: ListType = { type: 'atomic' };
const SET: ListType = { type: 'set' };
const byKey = (...keys: string[]): ListType => ({ type: 'map', keys });

const COMMON: Record<string, ListType> = {
  containers: byKey('name'),
  initContainers: byKey('name'),
  ephemeralContainers: byKey('name'),
  env: byKey('name'),
  volumes: byKey('name'),
  volumeMounts: byKey('mountPath'),
  volumeDevices: byKey('devicePath'),
  imagePullSecrets: byKey('name'),
  conditions: byKey('type'),
  hostAliases: byKey('ip'),
  ownerReferences: byKey('uid'),
  resourceClaims: byKey('name'),
  webhooks: byKey('name'),
  addresses: byKey('type'),
  podCIDRs: SET,
};

function firstItem(sample: unknown): Record<string, unknown> | undefined {
  if (Array.isArray(sample) && sample.length > 0 && typeof sample[0] === 'object' && sample[0] !== null) {
    return sample[0] as Record<string, unknown>;
  }
  return undefined;
}

function isContainerPorts(fieldPath: readonly string[], sample: unknown): boolean {
  const parent = fieldPath[fieldPath.length - 2];
  if (parent === 'containers' || parent === 'initContainers' || parent === 'ephemeralContainers') return true;
  return firstItem(sample)?.containerPort !== undefined;
}

/** Strategic merge patch semantics (patchMergeKey) of built-in kinds. */
export const builtinStrategicListType: ListTypeResolver = (fieldPath, sample) => {
  const name = fieldPath[fieldPath.length - 1] ?? '';
  if (name === 'finalizers' && fieldPath[fieldPath.length - 2] === 'metadata') return SET;
  if (name === 'ports') return isContainerPorts(fieldPath, sample) ? byKey('containerPort') : byKey('port');
  if (name === 'topologySpreadConstraints') return byKey('topologyKey');
  return COMMON[name] ?? ATOMIC;
};

/** Server-side apply semantics (+listType/+listMapKey) of built-in kinds. */
export const builtinApplyListType: ListTypeResolver = (fieldPath, sample) => {
  const name = fieldPath[fieldPath.length - 1] ?? '';
  if (name === 'finalizers' && fieldPath[fieldPath.length - 2] === 'metadata') return SET;
  if (name === 'ports') return isContainerPorts(fieldPath, sample) ? byKey('containerPort', 'protocol') : byKey('port', 'protocol');
  if (name === 'topologySpreadConstraints') return byKey('topologyKey', 'whenUnsatisfiable');
  return COMMON[name] ?? ATOMIC;
};

/** Defaults of list-map keys that the real server fills before comparing keys. */
export const LIST_KEY_DEFAULTS: Record<string, unknown> = { protocol: 'TCP' };
