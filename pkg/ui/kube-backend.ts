// The dashboard's reads and actions over the Kubernetes API (@kubernetes/client-node). The
// machine-controller's objects are cluster.k8s.io/v1alpha1 MachineDeployments (kube-system,
// as KubeOne lists them), MachineSets and Machines. Changes are merge patches carrying the
// resourceVersion read just before, so a concurrent change fails (409) instead of being undone.
import * as k8s from '@kubernetes/client-node';
import { statusOf } from '../kube/api-status.js';
import { MACHINE_GROUP, MACHINE_NAMESPACE, MACHINE_VERSION } from '../machines/machine-deployments.js';
import { buildOverview, type ControlPlaneHealth, type MachineObject, podRows } from './model.js';
import type { UiBackend } from './server.js';

/** The template label a rollout restart sets, as KubeOne does (its value: the UTC time). */
export const FORCED_RESTART_LABEL = 'forced-restart';

/** KubeOne's value format for the label: 2006-01-02T15.04.05Z (dots: label values allow no colons). */
export function restartStamp(now: Date): string {
  return `${now.toISOString().slice(0, 19).replace(/:/g, '.')}Z`;
}

export interface KubeBackendOptions {
  kubeConfig: k8s.KubeConfig;
  /** apiserver and etcd health of each control-plane host (checked on every overview). */
  health: () => Promise<ControlPlaneHealth[]>;
  now?: () => Date;
}

export function kubeBackend(options: KubeBackendOptions): UiBackend {
  const core = options.kubeConfig.makeApiClient(k8s.CoreV1Api);
  const custom = options.kubeConfig.makeApiClient(k8s.CustomObjectsApi);
  const mergePatch = k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch);
  const now = options.now ?? (() => new Date());
  const machineApi = (plural: string) => ({ group: MACHINE_GROUP, version: MACHINE_VERSION, plural });
  const items = (list: unknown): MachineObject[] => ((list as { items?: MachineObject[] })?.items ?? []);

  async function machineObjects(): Promise<{ machineDeployments: MachineObject[]; machineSets: MachineObject[]; machines: MachineObject[] } | null> {
    try {
      const [machineDeployments, machineSets, machines] = await Promise.all([
        custom.listNamespacedCustomObject({ ...machineApi('machinedeployments'), namespace: MACHINE_NAMESPACE }),
        custom.listClusterCustomObject(machineApi('machinesets')),
        custom.listClusterCustomObject(machineApi('machines')),
      ]);
      return { machineDeployments: items(machineDeployments), machineSets: items(machineSets), machines: items(machines) };
    } catch (error) {
      // No machine-controller: the API group is not served.
      if (statusOf(error) === 404) return null;
      throw error;
    }
  }

  async function readMachineDeployment(namespace: string, name: string): Promise<MachineObject & { metadata: { resourceVersion?: string } }> {
    return (await custom.getNamespacedCustomObject({ ...machineApi('machinedeployments'), namespace, name })) as MachineObject & { metadata: { resourceVersion?: string } };
  }

  return {
    async overview() {
      const [nodes, machines, health] = await Promise.all([core.listNode(), machineObjects(), options.health()]);
      return buildOverview({ nodes: nodes.items, machines, health, now: now() });
    },
    async pods(node) {
      const list = await core.listPodForAllNamespaces({ fieldSelector: `spec.nodeName=${node}` });
      return podRows(list.items, now());
    },
    async scale(namespace, name, direction) {
      const md = await readMachineDeployment(namespace, name);
      const current = md.spec?.replicas ?? 0;
      const replicas = direction === 'up' ? current + 1 : Math.max(0, current - 1);
      if (replicas === current) return;
      const body = { metadata: { resourceVersion: md.metadata.resourceVersion }, spec: { replicas } };
      await custom.patchNamespacedCustomObject({ ...machineApi('machinedeployments'), namespace, name, body }, mergePatch);
    },
    async rollout(namespace, name) {
      const md = await readMachineDeployment(namespace, name);
      const body = { metadata: { resourceVersion: md.metadata.resourceVersion }, spec: { template: { metadata: { labels: { [FORCED_RESTART_LABEL]: restartStamp(now()) } } } } };
      await custom.patchNamespacedCustomObject({ ...machineApi('machinedeployments'), namespace, name, body }, mergePatch);
    },
    async deleteMachine(namespace, name) {
      await custom.deleteNamespacedCustomObject({ ...machineApi('machines'), namespace, name });
    },
    async deletePod(namespace, name) {
      await core.deleteNamespacedPod({ namespace, name });
    },
  };
}
