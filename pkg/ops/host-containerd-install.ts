// host.containerd.install: containerd from the OS repository.
import { renderContainerdInstall } from '../scripts/containerd-install.js';
import { familyOf, hostByName, runScript } from './context.js';
import { defineOp } from './types.js';

export const hostContainerdInstall = defineOp({
  summary: 'install containerd from the OS package repository',
  params: null,
  changes: 'host',
  marksInflight: true,
  async run({ deps, step }) {
    const host = hostByName(deps, step.host);
    await runScript(await deps.transport(host.name), renderContainerdInstall(familyOf(deps, host)), 'install containerd');
  },
  stillDone: ({ host }) => host?.containerd?.unit.installed === true,
  model(world, _params, host) {
    const h = world.host(host);
    h.containerd = { unit: { installed: true, active: 'active', sub: 'running', enabled: true }, version: '1.7.24', config: { exists: true, sha256: '' } };
  },
});
