// configure-kube-system-node-selector: with features.podNodeSelector, kube-system gets an empty
// node selector, so that the system pods (CNI, kube-proxy) may run on every node whatever the
// cluster default says, and its pending pods are created again (KubeOne's installPodNodeSelector).
import type { ActionKindModule } from '../kind.js';
import { initIds } from './init-control-plane.js';
import { step } from './steps.js';

export const ID = 'configure-kube-system-node-selector:kube-system';

export const configureKubeSystemNodeSelector: ActionKindModule<'configure-kube-system-node-selector'> = {
  name: 'give kube-system an empty node selector (PodNodeSelector)',
  when: ['create', 'reconcile'],
  kinds: { 'configure-kube-system-node-selector': { change: '~', serial: false, disruptive: false } },
  plan(ctx) {
    if (!ctx.desired.cluster.cluster.features?.podNodeSelector?.enable) return [];
    if (ctx.mode === 'reconcile' && ctx.kube?.kubeSystemNodeSelector === '') return [];
    return [
      {
        kind: 'configure-kube-system-node-selector',
        id: ID,
        hosts: [],
        title: 'give the kube-system namespace an empty node selector',
        reason: `features.podNodeSelector is enabled and kube-system's scheduler.alpha.kubernetes.io/node-selector is ${ctx.kube?.kubeSystemNodeSelector === undefined || ctx.kube?.kubeSystemNodeSelector === null ? 'unset' : JSON.stringify(ctx.kube.kubeSystemNodeSelector)}`,
        dependsOn: [...initIds(ctx), ...ctx.b.planned('reconfigure-control-plane').map((a) => a.id)],
        steps: [step('namespace.nodeSelector', undefined, 'annotate kube-system with an empty node selector and delete its pending pods')],
      },
    ];
  },
};
