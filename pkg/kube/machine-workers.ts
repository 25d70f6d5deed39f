// What apply and reset do with machine-controller's objects (cluster.k8s.io/v1alpha1 in
// kube-system), as KubeOne 1.14: create the MachineDeployments of dynamicWorkers (first install),
// set their kubelet version (--upgrade-machine-deployments), and on reset delete every
// MachineDeployment, MachineSet and Machine and wait until the Machines and their Nodes are gone
// (machine-controller deletes the cloud instances meanwhile).
import * as k8s from '@kubernetes/client-node';
import { statusOf } from './api-status.js';
import { MACHINE_GROUP, MACHINE_NAMESPACE, MACHINE_VERSION, type MachineDeployment } from '../machines/machine-deployments.js';
import { listMachineObjects } from '../probe/machines.js';
import { TransientError } from '../ops/errors.js';
import { type CleanupOptions, waitUntil } from './cloud-cleanup.js';

/** The annotation machine-controller reads to delete a Node's instance without draining it (KubeOne sets it before deleting the workers). */
export const SKIP_EVICTION = 'kubermatic.io/skip-eviction';

const target = (plural: string) => ({ group: MACHINE_GROUP, version: MACHINE_VERSION, namespace: MACHINE_NAMESPACE, plural });

/**
 * How long a create or patch waits for machine-controller's webhook (KubeOne waits up to 3
 * minutes for machine-controller to be ready before creating MachineDeployments). Until its pod
 * serves, the apiserver fails every write of these objects with "failed calling webhook".
 */
export const WEBHOOK_WAIT_MS = 180_000;
const WEBHOOK_POLL_MS = 5_000;

/** The apiserver could not reach an admission webhook (not yet running, no endpoints, refused). */
export function isWebhookUnavailable(error: unknown): boolean {
  const status = statusOf(error);
  if (status !== undefined && status < 500) return false;
  const text = `${(error as { message?: unknown } | null)?.message ?? ''} ${(error as { body?: unknown } | null)?.body ?? ''}`;
  return /failed calling webhook/i.test(text);
}

/** Runs `write`, again every few seconds while machine-controller's webhook does not answer, up to `timeoutMs`. */
export async function whileWebhookStarts<T>(what: string, write: () => Promise<T>, o: CleanupOptions): Promise<T> {
  const timeoutMs = o.timeoutMs ?? WEBHOOK_WAIT_MS;
  const deadline = o.clock.now().getTime() + timeoutMs;
  for (;;) {
    try {
      return await write();
    } catch (error) {
      if (!isWebhookUnavailable(error) || o.clock.now().getTime() >= deadline) throw error;
      o.log?.(`${what}: machine-controller's webhook does not answer yet; trying again (up to ${Math.round(timeoutMs / 1000)}s)`);
      await o.clock.sleep(WEBHOOK_POLL_MS, o.signal);
    }
  }
}

/** Creates each MachineDeployment that does not exist; one that exists is left exactly as it is. */
export async function createMachineDeployments(kc: k8s.KubeConfig, objects: MachineDeployment[], o: CleanupOptions): Promise<void> {
  const api = kc.makeApiClient(k8s.CustomObjectsApi);
  for (const md of objects) {
    try {
      await whileWebhookStarts(`create MachineDeployment ${md.metadata.name}`, () => api.createNamespacedCustomObject({ ...target('machinedeployments'), body: md }), o);
      o.log?.(`created MachineDeployment ${MACHINE_NAMESPACE}/${md.metadata.name}`);
    } catch (error) {
      // The CRD just created and not served yet (the addons ran a moment ago): worth another attempt.
      if (statusOf(error) === 404) throw new TransientError(`MachineDeployments are not served yet (machine-controller's CRDs): ${(error as Error).message}`, { cause: error });
      if (statusOf(error) !== 409) throw error;
      o.log?.(`MachineDeployment ${MACHINE_NAMESPACE}/${md.metadata.name} exists: left as it is`);
    }
  }
}

/** Sets spec.template.spec.versions.kubelet of the named MachineDeployments (machine-controller then rolls their Machines). */
export async function setMachineDeploymentsKubelet(kc: k8s.KubeConfig, names: string[], kubelet: string, o: CleanupOptions): Promise<void> {
  const api = kc.makeApiClient(k8s.CustomObjectsApi);
  const mergePatch = k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch);
  for (const name of names) {
    try {
      // An upgrade re-applies machine-controller's addon first: its webhook may be restarting.
      await whileWebhookStarts(
        `set the kubelet of MachineDeployment ${name}`,
        () => api.patchNamespacedCustomObject({ ...target('machinedeployments'), name, body: { spec: { template: { spec: { versions: { kubelet } } } } } }, mergePatch),
        o,
      );
    } catch (error) {
      // Deleted meanwhile: nothing to upgrade.
      if (statusOf(error) !== 404) throw error;
    }
  }
}

/**
 * Deletes every MachineDeployment, MachineSet and Machine in kube-system (their Nodes annotated
 * to skip eviction first), then waits until no Machine and none of their Nodes is left.
 */
export async function destroyWorkers(kc: k8s.KubeConfig, o: CleanupOptions): Promise<void> {
  const api = kc.makeApiClient(k8s.CustomObjectsApi);
  const core = kc.makeApiClient(k8s.CoreV1Api);
  const machines = (await listMachineObjects(api, 'machines')) ?? [];
  const nodes = [...new Set(machines.map((m) => m.status?.nodeRef?.name).filter((n): n is string => typeof n === 'string' && n !== ''))];
  const mergePatch = k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch);
  for (const name of nodes) {
    await core.patchNode({ name, body: { metadata: { annotations: { [SKIP_EVICTION]: 'true' } } } }, mergePatch).catch((error) => {
      if (statusOf(error) !== 404) throw error;
    });
  }
  for (const plural of ['machinedeployments', 'machinesets', 'machines']) {
    for (const item of (await listMachineObjects(api, plural)) ?? []) {
      if (item.metadata?.deletionTimestamp) continue;
      o.log?.(`delete ${plural} ${MACHINE_NAMESPACE}/${item.metadata?.name}`);
      await api.deleteNamespacedCustomObject({ ...target(plural), name: item.metadata!.name! }).catch((error) => {
        if (statusOf(error) !== 404) throw error;
      });
    }
  }
  await waitUntil(
    'Machine(s) and their Node(s)',
    async () => {
      const left = ((await listMachineObjects(api, 'machines')) ?? []).map((m) => `Machine ${MACHINE_NAMESPACE}/${m.metadata?.name ?? ''}`);
      const liveNodes = new Set((await core.listNode()).items.map((n) => n.metadata?.name ?? ''));
      return [...left, ...nodes.filter((n) => liveNodes.has(n)).map((n) => `Node ${n}`)];
    },
    o,
  );
}
