// cluster.machineDeployments.create: the MachineDeployments of dynamicWorkers, created on the
// first install as KubeOne does (--create-machine-deployments, default true). The params name
// them; the objects are rendered from the manifest when the step runs (cloudProviderSpec may
// hold values a plan file must not carry). One that exists already is left as it is.
import type * as k8s from '@kubernetes/client-node';
import { comparableView, renderMachineDeployments } from '../machines/machine-deployments.js';
import { PreconditionError } from './errors.js';
import { OBJECT_NAMES } from './params.js';
import { defineOp } from './types.js';

export interface MachineDeploymentsParams {
  /** Names of the MachineDeployments (kube-system). */
  names: string[];
}

export const machineDeploymentsCreate = defineOp<MachineDeploymentsParams>({
  summary: 'create the MachineDeployments of dynamicWorkers that do not exist (kube-system)',
  params: { type: 'object', additionalProperties: false, required: ['names'], properties: { names: OBJECT_NAMES } },
  changes: 'cluster',
  marksInflight: false,
  async run({ deps, signal }, { names }) {
    const objects = renderMachineDeployments(deps.loaded.cluster).filter((md) => names.includes(md.metadata.name));
    const missing = names.filter((n) => !objects.some((md) => md.metadata.name === n));
    if (missing.length > 0) throw new PreconditionError(`the manifest has no dynamicWorkers named ${missing.join(', ')}`);
    // The Kubernetes client loads when an apply runs this, not with the op registry.
    const { createMachineDeployments } = await import('../kube/machine-workers.js');
    await createMachineDeployments((await deps.kubeConfig()) as k8s.KubeConfig, objects, { clock: deps.clock, signal });
  },
  stillDone: ({ snapshot }, { names }) => names.every((n) => (snapshot.state.kube?.machines?.deployments ?? []).some((d) => d.name === n)),
  model(world, { names }) {
    if (!world.kube) return;
    const m = (world.kube.machines ??= { crds: true, deployments: [], machineSets: [], machines: [] });
    for (const md of renderMachineDeployments(world.desired.cluster.cluster).filter((x) => names.includes(x.metadata.name))) {
      if (m.deployments.some((d) => d.name === md.metadata.name)) continue;
      m.deployments.push({ name: md.metadata.name, kubelet: md.spec.template.spec.versions.kubelet, deleting: false, object: comparableView(md) });
    }
  },
});
