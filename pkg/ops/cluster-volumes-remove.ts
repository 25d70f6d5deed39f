// cluster.volumes.remove: `kubeone reset --remove-volumes` (default true, as KubeOne) deletes the
// Pods that mount claims, then every PersistentVolumeClaim, before the hosts are reset, and waits
// until no claim and no dynamically provisioned volume with reclaim policy Delete is left (the
// CSI driver deleted the cloud disks) (pkg/kube/cloud-cleanup.ts). Volumes someone retained or
// made by hand are left alone, as KubeOne.
import type { JSONSchemaType } from 'ajv';
import type * as k8s from '@kubernetes/client-node';
import { NAMESPACED_NAMES } from './cluster-load-balancers-remove.js';
import { defineOp } from './types.js';

export interface VolumesRemoveParams {
  /** `namespace/name` of the claims the plan saw. */
  claims: string[];
  /** Names of the dynamically provisioned, unretained PersistentVolumes the plan saw. */
  volumes: string[];
}

const VOLUME_NAMES: JSONSchemaType<string[]> = { type: 'array', items: { type: 'string', pattern: '^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$', maxLength: 253 } };

export const clusterVolumesRemove = defineOp<VolumesRemoveParams>({
  summary: 'delete every PersistentVolumeClaim (and the Pods mounting one) and wait for the dynamically provisioned volumes to go',
  params: { type: 'object', additionalProperties: false, required: ['claims', 'volumes'], properties: { claims: NAMESPACED_NAMES, volumes: VOLUME_NAMES } },
  changes: 'cluster',
  marksInflight: false,
  async run({ deps, signal }) {
    // The Kubernetes client loads when a reset runs this, not with the op registry.
    const { removeVolumes } = await import('../kube/cloud-cleanup.js');
    await removeVolumes((await deps.kubeConfig()) as k8s.KubeConfig, { clock: deps.clock, signal });
  },
  stillDone: ({ snapshot }) => {
    const r = snapshot.state.kube?.cloudResources;
    return (r?.volumeClaims ?? []).length === 0 && (r?.dynamicVolumes ?? []).length === 0;
  },
  model(world) {
    if (world.kube?.cloudResources) Object.assign(world.kube.cloudResources, { volumeClaims: [], dynamicVolumes: [] });
  },
});
