// What `kubeone reset` does in the cluster before it tears the hosts down, as KubeOne's
// --remove-lb-services and --remove-volumes: first a ValidatingWebhookConfiguration that
// refuses every new object of those kinds (it points at a closed port with failurePolicy Fail,
// KubeOne's trick, so nothing recreates them meanwhile), then the deletions, then a wait until
// the cloud controllers have released what they made. When a deletion fails the webhook is
// removed again, so the cluster can create such objects once more.
import * as k8s from '@kubernetes/client-node';
import { statusOf } from './api-status.js';
import { isDynamicUnretained, isLoadBalancer, nsName } from '../probe/cloud-resources.js';
import type { Clock } from '../ops/context.js';

/** KubeOne's name for the webhook that stops the creation of `resources` while they are removed. */
export const cleanupWebhookName = (resources: readonly string[]): string => `kubernetes-cluster-cleanup-${resources.join('-')}`;

export const LB_RESOURCES = ['services'] as const;
export const VOLUME_RESOURCES = ['persistentvolumes', 'persistentvolumeclaims'] as const;
export const POD_RESOURCES = ['pods'] as const;

/** How long KubeOne waits for the cloud to release what the deleted objects held, and how often it looks. */
export const CLEANUP_TIMEOUT_MS = 5 * 60_000;
const POLL_MS = 5_000;

export interface CleanupOptions {
  clock: Clock;
  signal?: AbortSignal;
  timeoutMs?: number;
  /** Progress lines (what is deleted, what is awaited). */
  log?: (line: string) => void;
}

const ignoreNotFound = (error: unknown): void => {
  if (statusOf(error) !== 404) throw error;
};

/** The webhook configuration refusing CREATE of `resources` (core group), optionally outside some namespaces. */
export function creationPreventingWebhook(resources: readonly string[], namespaceSelector?: k8s.V1LabelSelector): k8s.V1ValidatingWebhookConfiguration {
  return {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'ValidatingWebhookConfiguration',
    metadata: {
      name: cleanupWebhookName(resources),
      annotations: { description: 'kubeone reset: refuses new objects of these kinds while the cluster is torn down' },
      labels: { 'app.kubernetes.io/managed-by': 'kubeone' },
    },
    webhooks: [
      {
        name: 'kubernetes.cluster.cleanup',
        // Nothing listens there: with failurePolicy Fail every CREATE is refused.
        clientConfig: { url: 'https://127.0.0.1:1' },
        rules: [{ operations: ['CREATE'], apiGroups: [''], apiVersions: ['*'], resources: [...resources] }],
        ...(namespaceSelector ? { namespaceSelector } : {}),
        failurePolicy: 'Fail',
        sideEffects: 'None',
        admissionReviewVersions: ['v1'],
      },
    ],
  };
}

async function putWebhook(admission: k8s.AdmissionregistrationV1Api, body: k8s.V1ValidatingWebhookConfiguration): Promise<void> {
  try {
    await admission.createValidatingWebhookConfiguration({ body });
  } catch (error) {
    if (statusOf(error) !== 409) throw error;
    await admission.replaceValidatingWebhookConfiguration({ name: body.metadata!.name!, body: { ...body, metadata: { ...body.metadata, resourceVersion: (await admission.readValidatingWebhookConfiguration({ name: body.metadata!.name! })).metadata?.resourceVersion } } });
  }
}

async function deleteWebhooks(admission: k8s.AdmissionregistrationV1Api, names: string[]): Promise<void> {
  for (const name of names) await admission.deleteValidatingWebhookConfiguration({ name }).catch(() => undefined);
}

export async function waitUntil(what: string, done: () => Promise<string[]>, o: CleanupOptions): Promise<void> {
  const deadline = o.clock.now().getTime() + (o.timeoutMs ?? CLEANUP_TIMEOUT_MS);
  for (;;) {
    const left = await done();
    if (left.length === 0) return;
    if (o.clock.now().getTime() >= deadline) throw new Error(`${what} still there after ${Math.round((o.timeoutMs ?? CLEANUP_TIMEOUT_MS) / 1000)}s: ${left.slice(0, 5).join(', ')}${left.length > 5 ? ` and ${left.length - 5} more` : ''}`);
    o.log?.(`waiting for ${left.length} ${what} to go`);
    await o.clock.sleep(POLL_MS, o.signal);
  }
}

/** Deletes every Service of type LoadBalancer and waits until none is left (their cloud load balancers released). */
export async function removeLoadBalancerServices(kc: k8s.KubeConfig, o: CleanupOptions): Promise<void> {
  const core = kc.makeApiClient(k8s.CoreV1Api);
  const admission = kc.makeApiClient(k8s.AdmissionregistrationV1Api);
  await putWebhook(admission, creationPreventingWebhook(LB_RESOURCES));
  try {
    for (const svc of (await core.listServiceForAllNamespaces()).items.filter(isLoadBalancer)) {
      if (svc.metadata?.deletionTimestamp) continue;
      o.log?.(`delete Service ${nsName(svc)}`);
      await core.deleteNamespacedService({ namespace: svc.metadata!.namespace!, name: svc.metadata!.name! }).catch(ignoreNotFound);
    }
  } catch (error) {
    await deleteWebhooks(admission, [cleanupWebhookName(LB_RESOURCES)]);
    throw error;
  }
  await waitUntil('LoadBalancer Service(s)', async () => (await core.listServiceForAllNamespaces()).items.filter(isLoadBalancer).map(nsName), o);
}

/**
 * Deletes the Pods that mount a claim (outright, as KubeOne's forced drain does), then every
 * PersistentVolumeClaim, and waits until no claim and no dynamically provisioned, unretained
 * volume is left (the CSI driver deleted the cloud disks).
 */
export async function removeVolumes(kc: k8s.KubeConfig, o: CleanupOptions): Promise<void> {
  const core = kc.makeApiClient(k8s.CoreV1Api);
  const admission = kc.makeApiClient(k8s.AdmissionregistrationV1Api);
  const webhooks = [
    creationPreventingWebhook(VOLUME_RESOURCES),
    // Pods outside kube-system: the CSI driver and the CCM keep running to release the disks.
    creationPreventingWebhook(POD_RESOURCES, { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: ['kube-system'] }] }),
  ];
  for (const w of webhooks) await putWebhook(admission, w);
  try {
    const pods = (await core.listPodForAllNamespaces()).items.filter((p) => (p.spec?.volumes ?? []).some((v) => v.persistentVolumeClaim));
    for (const pod of pods) {
      o.log?.(`delete Pod ${nsName(pod)} (it mounts a claim)`);
      await core.deleteNamespacedPod({ namespace: pod.metadata!.namespace!, name: pod.metadata!.name! }).catch(ignoreNotFound);
    }
    for (const pvc of (await core.listPersistentVolumeClaimForAllNamespaces()).items) {
      if (pvc.metadata?.deletionTimestamp) continue;
      o.log?.(`delete PersistentVolumeClaim ${nsName(pvc)}`);
      await core.deleteNamespacedPersistentVolumeClaim({ namespace: pvc.metadata!.namespace!, name: pvc.metadata!.name! }).catch(ignoreNotFound);
    }
  } catch (error) {
    await deleteWebhooks(admission, webhooks.map((w) => w.metadata!.name!));
    throw error;
  }
  await waitUntil(
    'PersistentVolumeClaim(s) and dynamically provisioned volume(s)',
    async () => [
      ...(await core.listPersistentVolumeClaimForAllNamespaces()).items.map((c) => `PersistentVolumeClaim ${nsName(c)}`),
      ...(await core.listPersistentVolume()).items.filter(isDynamicUnretained).map((v) => `PersistentVolume ${v.metadata?.name ?? ''}`),
    ],
    o,
  );
}
