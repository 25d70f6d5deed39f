// host.controlplane.files: the control-plane file group (audit policy, admission configuration
// and its plugins' files, CA bundle), written where their bytes differ. The components read
// them at start: restarting them is the planner's separate step (controlplane.restart), or
// kubeadm's when it writes the static pods next (init, join, upgrade, reconfigure).
import { groupFilesFor } from '../desired/host-files.js';
import { ensureRemoteFiles, stepHost } from './context.js';
import { groupFilesMatch } from './files-match.js';
import { defineOp } from './types.js';

export const hostControlPlaneFiles = defineOp({
  summary: 'write the audit policy, admission configuration and CA bundle of a control plane',
  params: null,
  changes: 'host',
  marksInflight: true,
  async run({ deps, step }) {
    const { host, t } = await stepHost(deps, step.host);
    await ensureRemoteFiles(t, groupFilesFor(deps.loaded, host, {}, 'control-plane'));
  },
  stillDone: (view) => groupFilesMatch(view, 'control-plane'),
  model: (world, _params, host) => world.writeFiles(world.host(host), 'control-plane'),
});
