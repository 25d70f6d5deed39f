// cluster.machineDeployments.upgrade: `apply --upgrade-machine-deployments` sets
// spec.template.spec.versions.kubelet of the MachineDeployments in kube-system to
// versions.kubernetes after the control planes are upgraded (KubeOne: every one there);
// machine-controller then replaces their Machines.
import type * as k8s from '@kubernetes/client-node';
import { OBJECT_NAMES, VERSION } from './params.js';
import { defineOp } from './types.js';

export interface MachineDeploymentsUpgradeParams {
  names: string[];
  kubelet: string;
}

export const machineDeploymentsUpgrade = defineOp<MachineDeploymentsUpgradeParams>({
  summary: 'set the kubelet version of MachineDeployments (spec.template.spec.versions.kubelet)',
  params: { type: 'object', additionalProperties: false, required: ['names', 'kubelet'], properties: { names: OBJECT_NAMES, kubelet: VERSION } },
  changes: 'cluster',
  marksInflight: false,
  async run({ deps, signal }, { names, kubelet }) {
    const { setMachineDeploymentsKubelet } = await import('../kube/machine-workers.js');
    await setMachineDeploymentsKubelet((await deps.kubeConfig()) as k8s.KubeConfig, names, kubelet, { clock: deps.clock, signal });
  },
  stillDone: ({ snapshot }, { names, kubelet }) =>
    (snapshot.state.kube?.machines?.deployments ?? []).filter((d) => names.includes(d.name)).every((d) => d.kubelet === kubelet),
  model(world, { names, kubelet }) {
    for (const d of world.kube?.machines?.deployments ?? []) {
      if (!names.includes(d.name)) continue;
      d.kubelet = kubelet;
      const template = (d.object.spec.template ??= {}) as { spec?: { versions?: { kubelet?: string } } };
      ((template.spec ??= {}).versions ??= {}).kubelet = kubelet;
    }
  },
});
