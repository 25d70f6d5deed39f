// cluster.loadBalancers.remove: `kubeone reset --remove-lb-services` (default true, as KubeOne)
// deletes every Service of type LoadBalancer before the hosts are reset, and waits until the
// cloud controller manager has released their load balancers (pkg/kube/cloud-cleanup.ts). The
// params name the Services the probe saw; the run deletes every one it finds (a webhook refuses
// new ones first), as KubeOne.
import type { JSONSchemaType } from 'ajv';
import type * as k8s from '@kubernetes/client-node';
import { defineOp } from './types.js';

export interface LoadBalancersRemoveParams {
  /** `namespace/name` of the Services of type LoadBalancer the plan saw. */
  services: string[];
}

/** `namespace/name` of Kubernetes objects (DNS-1123 names). */
export const NAMESPACED_NAMES: JSONSchemaType<string[]> = { type: 'array', items: { type: 'string', pattern: '^[a-z0-9]([a-z0-9.-]*[a-z0-9])?/[a-z0-9]([a-z0-9.-]*[a-z0-9])?$', maxLength: 317 } };

export const clusterLoadBalancersRemove = defineOp<LoadBalancersRemoveParams>({
  summary: 'delete every Service of type LoadBalancer and wait for the cloud to release their load balancers',
  params: { type: 'object', additionalProperties: false, required: ['services'], properties: { services: NAMESPACED_NAMES } },
  changes: 'cluster',
  marksInflight: false,
  async run({ deps, signal }) {
    // The Kubernetes client loads when a reset runs this, not with the op registry.
    const { removeLoadBalancerServices } = await import('../kube/cloud-cleanup.js');
    await removeLoadBalancerServices((await deps.kubeConfig()) as k8s.KubeConfig, { clock: deps.clock, signal });
  },
  stillDone: ({ snapshot }) => (snapshot.state.kube?.cloudResources?.loadBalancerServices ?? []).length === 0,
  model(world) {
    if (world.kube?.cloudResources) world.kube.cloudResources.loadBalancerServices = [];
  },
});
