// namespace.nodeSelector: with the PodNodeSelector plugin, kube-system gets an empty node
// selector so that the system pods (CNI, kube-proxy) run on every node, and its pending pods,
// admitted before, are deleted to be created again (KubeOne's installPodNodeSelector).
import { coreApi, mergePatchOptions } from '../kube/core-api.js';
import { NODE_SELECTOR_ANNOTATION } from '../kubeadm/control-plane-files.js';
import { defineOp } from './types.js';

export const kubeSystemNodeSelector = defineOp({
  summary: 'give kube-system an empty node selector and delete its pending pods',
  params: null,
  changes: 'cluster',
  marksInflight: false,
  async run({ deps }) {
    const core = await coreApi(await deps.kubeConfig());
    await core.patchNamespace({ name: 'kube-system', body: { metadata: { annotations: { [NODE_SELECTOR_ANNOTATION]: '' } } } }, await mergePatchOptions());
    const pods = await core.listNamespacedPod({ namespace: 'kube-system', fieldSelector: 'status.phase=Pending' });
    for (const pod of pods.items) {
      await core.deleteNamespacedPod({ namespace: 'kube-system', name: pod.metadata?.name ?? '' }).catch((e: { code?: number }) => {
        if (e.code !== 404) throw e;
      });
    }
  },
  stillDone: ({ snapshot }) => snapshot.state.kube?.kubeSystemNodeSelector === '',
  model(world) {
    if (!world.kube) throw new Error('model: kube-system node selector without a cluster');
    world.kube.kubeSystemNodeSelector = '';
  },
});
