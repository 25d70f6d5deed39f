// host.containerd.install: containerd from the OS repository.
import { renderContainerdInstall } from '../scripts/containerd-install.js';
import { hostScriptOp } from './host-script-op.js';

export const hostContainerdInstall = hostScriptOp({
  summary: 'install containerd from the OS package repository',
  what: 'install containerd',
  render: (deps, _host, family) => renderContainerdInstall(family, { configureRepositories: deps.loaded.cluster.systemPackages?.configureRepositories ?? true }),
  stillDone: ({ host }) => host?.containerd?.unit.installed === true,
  model(world, host) {
    world.host(host).containerd = { unit: { installed: true, active: 'active', sub: 'running', enabled: true }, version: '1.7.24', config: { exists: true, sha256: '' } };
  },
});
