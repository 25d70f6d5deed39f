// Live objects the tool's addons own (label kubeone.io/addon), normalized and hashed.
// Normalization drops what the server sets or changes on its own, so the hash moves only
// when the content a user or addon controls changes. Secrets' data never leaves this module.
import { createHash } from 'node:crypto';

import type { KubernetesObject, KubernetesObjectApi } from '@kubernetes/client-node';

import type { AddonObjectFacts } from '../snapshot/types.js';
import { canonicalJson } from '../snapshot/canonical.js';

export const ADDON_LABEL = 'kubeone.io/addon';

/** Kinds addons ship; listed by label (a full discovery walk would cost dozens of requests). */
export const ADDON_KINDS: [apiVersion: string, kind: string][] = [
  ['v1', 'ConfigMap'],
  ['v1', 'Secret'],
  ['v1', 'Service'],
  ['v1', 'ServiceAccount'],
  ['v1', 'Namespace'],
  ['apps/v1', 'Deployment'],
  ['apps/v1', 'DaemonSet'],
  ['apps/v1', 'StatefulSet'],
  ['batch/v1', 'Job'],
  ['batch/v1', 'CronJob'],
  ['rbac.authorization.k8s.io/v1', 'ClusterRole'],
  ['rbac.authorization.k8s.io/v1', 'ClusterRoleBinding'],
  ['rbac.authorization.k8s.io/v1', 'Role'],
  ['rbac.authorization.k8s.io/v1', 'RoleBinding'],
  ['policy/v1', 'PodDisruptionBudget'],
  ['storage.k8s.io/v1', 'StorageClass'],
  ['apiextensions.k8s.io/v1', 'CustomResourceDefinition'],
  ['admissionregistration.k8s.io/v1', 'ValidatingWebhookConfiguration'],
  ['admissionregistration.k8s.io/v1', 'MutatingWebhookConfiguration'],
  ['networking.k8s.io/v1', 'NetworkPolicy'],
];

const SERVER_METADATA = ['uid', 'resourceVersion', 'generation', 'creationTimestamp', 'managedFields', 'selfLink', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'ownerReferences'];
const SERVER_ANNOTATIONS = ['kubectl.kubernetes.io/last-applied-configuration', 'deployment.kubernetes.io/revision', 'deprecated.daemonset.template.generation'];

/** The object without status and server-set metadata; Secrets without data. */
export function normalizeObject(object: KubernetesObject): Record<string, unknown> {
  const copy = JSON.parse(JSON.stringify(object)) as Record<string, unknown> & { metadata?: Record<string, unknown> };
  delete copy.status;
  const metadata = copy.metadata ?? {};
  for (const key of SERVER_METADATA) delete metadata[key];
  const annotations = metadata.annotations as Record<string, string> | undefined;
  if (annotations) {
    for (const key of SERVER_ANNOTATIONS) delete annotations[key];
    if (Object.keys(annotations).length === 0) delete metadata.annotations;
  }
  return copy;
}

export function hashObject(normalized: Record<string, unknown>): string {
  return createHash('sha256').update(canonicalJson(normalized)).digest('hex');
}

function redact(kind: string, normalized: Record<string, unknown>): Record<string, unknown> {
  if (kind !== 'Secret') return normalized;
  const { data: _data, stringData: _stringData, ...rest } = normalized;
  return rest;
}

export async function listAddonObjects(objects: KubernetesObjectApi, onError: (message: string) => void): Promise<AddonObjectFacts[]> {
  const lists = await Promise.all(
    ADDON_KINDS.map(async ([apiVersion, kind]) => {
      try {
        const list = await objects.list(apiVersion, kind, undefined, undefined, undefined, undefined, undefined, ADDON_LABEL);
        return list.items.map((item) => ({ item: { ...item, apiVersion, kind } as KubernetesObject, apiVersion, kind }));
      } catch (error) {
        const message = (error as Error).message ?? String(error);
        // A kind the server does not serve (e.g. no CRDs API) is simply absent.
        if (!/404|not found|Unrecognized API version/i.test(message)) onError(`listing ${kind}: ${message.slice(0, 200)}`);
        return [];
      }
    }),
  );
  return lists
    .flat()
    .map(({ item, apiVersion, kind }) => {
      const normalized = normalizeObject(item);
      return {
        addon: item.metadata?.labels?.[ADDON_LABEL] ?? '',
        apiVersion,
        kind,
        namespace: item.metadata?.namespace ?? '',
        name: item.metadata?.name ?? '',
        hash: hashObject(normalized),
        object: redact(kind, normalized),
      };
    })
    .sort((a, b) => compareStrings(canonicalJson([a.addon, a.apiVersion, a.kind, a.namespace, a.name]), canonicalJson([b.addon, b.apiVersion, b.kind, b.namespace, b.name])));
}

/** Code-unit order: locale-independent, so snapshots sort the same everywhere. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
