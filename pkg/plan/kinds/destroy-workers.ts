// destroy-workers: `kubeone reset --destroy-workers` (default true, as KubeOne) deletes
// machine-controller's MachineDeployments, MachineSets and Machines in kube-system and waits
// until the Machines and their Nodes are gone, after the LoadBalancer Services and volumes and
// before any host is reset (the API is needed, and the cloud instances would be left running).
// Without the flag, or when machineController.deploy is false (KubeOne then skips the step),
// whatever is left is named in a warning: a reset never leaves cloud machines silently.
import type { ActionKindModule } from '../kind.js';
import { LB_ID, listed, VOLUMES_ID } from './remove-cloud-resources.js';
import { step } from './steps.js';

export const DESTROY_WORKERS_ID = 'destroy-workers:cluster';

export const destroyWorkers: ActionKindModule<'destroy-workers'> = {
  name: 'reset: delete the MachineDeployments and wait for their Machines and Nodes, before the hosts',
  when: ['reset'],
  kinds: { 'destroy-workers': { change: '-', serial: true, disruptive: true } },
  plan(ctx) {
    if (!ctx.clusterExists) return [];
    const m = ctx.kube?.machines;
    const wanted = ctx.options.destroyWorkers !== false && ctx.desired.cluster.cluster.machineController?.deploy === true;
    if (!m || ctx.kube?.leader === null) {
      if (wanted) {
        ctx.b.refuse({
          rule: 'no-leader',
          hosts: [],
          message: `cannot list the MachineDeployments and Machines to delete before the reset: the API did not answer${ctx.kube?.error ? ` (${ctx.kube.error})` : ''}`,
          hint: 'fix the control plane and plan again, or reset with --destroy-workers=false and delete the worker machines in the cloud by hand',
        });
      }
      return [];
    }
    const what = [
      ...m.deployments.map((d) => `MachineDeployment ${d.name}`),
      ...m.machineSets.map((s) => `MachineSet ${s}`),
      ...m.machines.map((x) => `Machine ${x.name}`),
    ];
    if (what.length === 0) return [];
    if (!wanted) {
      ctx.b.warn(
        `${what.length} machine-controller object(s) stay in the cluster (${listed(what)}): their cloud machines keep running after the reset (${ctx.options.destroyWorkers === false ? '--destroy-workers=false' : 'machineController.deploy is false'}); delete them in the cloud by hand`,
      );
      return [];
    }
    return [
      {
        kind: 'destroy-workers',
        id: DESTROY_WORKERS_ID,
        hosts: [],
        title: `delete ${m.deployments.length} MachineDeployment(s) and wait for ${m.machines.length} Machine(s) and their Nodes to go`,
        reason: `reset removes the worker machines machine-controller made (${listed(what)}) first (--destroy-workers)`,
        // After the load balancers and volumes, as KubeOne.
        dependsOn: [LB_ID, VOLUMES_ID],
        steps: [
          step('cluster.workers.destroy', undefined, 'delete the MachineDeployments, MachineSets and Machines and wait for the Machines and their Nodes to go', {
            machineDeployments: m.deployments.map((d) => d.name),
            machines: m.machines.map((x) => x.name),
          }),
        ],
      },
    ];
  },
};
