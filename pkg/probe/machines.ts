// machine-controller's objects in kube-system (cluster.k8s.io/v1alpha1): the MachineDeployments
// (as the planner compares them with dynamicWorkers, secrets masked), the MachineSets and the
// Machines with their Nodes, which `kubeone reset --destroy-workers` deletes first. A 404 means
// the CRDs are not installed: no machine-controller, nothing to read.
import * as k8s from '@kubernetes/client-node';
import { statusOf } from '../kube/api-status.js';
import { comparableView, MACHINE_GROUP, MACHINE_NAMESPACE, MACHINE_VERSION } from '../machines/machine-deployments.js';
import type { MachineFacts } from '../snapshot/types.js';

interface Listed {
  items?: { metadata?: { name?: string; annotations?: Record<string, string>; deletionTimestamp?: unknown }; spec?: Record<string, any>; status?: Record<string, any> }[];
}

const byName = (a: { name: string }, b: { name: string }): number => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/** Lists one plural in kube-system; null when the API does not know it (the CRD is absent). */
export async function listMachineObjects(api: k8s.CustomObjectsApi, plural: string): Promise<NonNullable<Listed['items']> | null> {
  try {
    const listed = (await api.listNamespacedCustomObject({ group: MACHINE_GROUP, version: MACHINE_VERSION, namespace: MACHINE_NAMESPACE, plural })) as Listed;
    return listed.items ?? [];
  } catch (error) {
    if (statusOf(error) === 404) return null;
    throw error;
  }
}

export async function readMachines(kubeConfig: k8s.KubeConfig): Promise<MachineFacts> {
  const api = kubeConfig.makeApiClient(k8s.CustomObjectsApi);
  const [deployments, sets, machines] = await Promise.all(['machinedeployments', 'machinesets', 'machines'].map((p) => listMachineObjects(api, p)));
  if (deployments === null || sets === null || machines === null) return { crds: false, deployments: [], machineSets: [], machines: [] };
  return {
    crds: true,
    deployments: deployments
      .map((md) => ({
        name: md.metadata?.name ?? '',
        kubelet: String(md.spec?.template?.spec?.versions?.kubelet ?? ''),
        deleting: Boolean(md.metadata?.deletionTimestamp),
        object: comparableView(md),
      }))
      .sort(byName),
    machineSets: sets.map((s) => s.metadata?.name ?? '').sort(),
    machines: machines
      .map((m) => {
        const node = m.status?.nodeRef?.name;
        return { name: m.metadata?.name ?? '', ...(typeof node === 'string' && node ? { node } : {}) };
      })
      .sort(byName),
  };
}
