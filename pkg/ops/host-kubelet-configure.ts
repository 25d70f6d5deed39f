// host.kubelet.configure: the kubelet file group (flags, KubeletConfiguration, and the unit
// files for binaries installed outside a package manager). A joined kubelet is restarted
// when a file changed; before the join kubelet crash-loops on purpose and is left alone.
import { groupFilesFor } from '../desired/host-files.js';
import { kubeletRestartLines } from '../scripts/kubelet-unit.js';
import { ensureRemoteFiles, factsOf, familyOf, runScript, stepHost } from './context.js';
import { groupFilesMatch } from './files-match.js';
import { defineOp } from './types.js';

export const hostKubeletConfigure = defineOp({
  summary: 'write the kubelet flags, configuration and unit files; restart a joined kubelet when one changed',
  params: null,
  changes: 'host',
  marksInflight: true,
  async run({ deps, step }) {
    const { host, t } = await stepHost(deps, step.host);
    if (await ensureRemoteFiles(t, groupFilesFor(deps.loaded, host, { family: familyOf(deps, host), systemdResolved: factsOf(deps, host.name)?.systemdResolved === true }, 'kubelet'))) {
      const script = ['set -euo pipefail', 'sudo systemctl daemon-reload', 'if sudo test -f /etc/kubernetes/kubelet.conf; then', ...kubeletRestartLines().map((l) => `  ${l}`), 'fi'];
      await runScript(t, script.join('\n'), 'restart kubelet');
    }
  },
  stillDone: (view) => groupFilesMatch(view, 'kubelet'),
  model: (world, _params, host) => world.writeFiles(world.host(host), 'kubelet'),
});
