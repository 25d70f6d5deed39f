// cluster.workers.destroy: `kubeone reset --destroy-workers` (default true, as KubeOne) deletes
// every MachineDeployment, MachineSet and Machine in kube-system before the hosts are reset, and
// waits (5 minutes, as KubeOne) until machine-controller has removed the Machines and their
// Nodes (pkg/kube/machine-workers.ts); the error names what is left.
import type * as k8s from '@kubernetes/client-node';
import { OBJECT_NAMES } from './params.js';
import { defineOp } from './types.js';

export interface WorkersDestroyParams {
  /** What the plan saw (kube-system): the run deletes every one it finds. */
  machineDeployments: string[];
  machines: string[];
}

export const clusterWorkersDestroy = defineOp<WorkersDestroyParams>({
  summary: 'delete every MachineDeployment, MachineSet and Machine (kube-system) and wait for the Machines and their Nodes to go',
  params: { type: 'object', additionalProperties: false, required: ['machineDeployments', 'machines'], properties: { machineDeployments: OBJECT_NAMES, machines: OBJECT_NAMES } },
  changes: 'cluster',
  marksInflight: false,
  async run({ deps, signal }) {
    const { destroyWorkers } = await import('../kube/machine-workers.js');
    await destroyWorkers((await deps.kubeConfig()) as k8s.KubeConfig, { clock: deps.clock, signal });
  },
  stillDone: ({ snapshot }) => {
    const m = snapshot.state.kube?.machines;
    return !m || (m.deployments.length === 0 && m.machineSets.length === 0 && m.machines.length === 0);
  },
  model(world) {
    const m = world.kube?.machines;
    if (!m || !world.kube) return;
    const nodes = new Set(m.machines.flatMap((x) => (x.node ? [x.node] : [])));
    world.kube.nodes = world.kube.nodes.filter((n) => !nodes.has(n.name));
    Object.assign(m, { deployments: [], machineSets: [], machines: [] });
  },
});
