// host.images.prune: after a host's upgrade, the container images no container uses are
// removed (apply --prune-images; KubeOne's `crictl rmi --prune`).
import { renderPruneImages } from '../scripts/kubeadm-scripts.js';
import { hostScriptOp } from './host-script-op.js';

export const hostImagesPrune = hostScriptOp({
  summary: 'remove the container images no container uses (crictl rmi --prune)',
  what: 'prune unused images',
  render: () => renderPruneImages(),
  // Nothing the probe reads changes: pruning again is harmless.
  stillDone: () => true,
  model: () => undefined,
});
