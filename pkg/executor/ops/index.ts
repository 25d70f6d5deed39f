// All step ops, wired to their dependencies: the executor's OpRegistry for a real run.
import type { OpRegistry } from '../types.js';
import { addonOps } from './addon-ops.js';
import type { OpDeps } from './context.js';
import { etcdOps } from './etcd-ops.js';
import { hostOps } from './host-ops.js';
import { kubeadmOps } from './kubeadm-ops.js';
import { nodeOps } from './node-ops.js';

export function createOps(deps: OpDeps): OpRegistry {
  return { ...hostOps(deps), ...kubeadmOps(deps), ...nodeOps(deps), ...etcdOps(deps), ...addonOps(deps) };
}

export type { OpDeps, AddonApplier } from './context.js';
export type { KubeApi, NodeView, PodRef } from './kube-api.js';
export { clientNodeKubeApi } from './kube-api.js';
