// install-container-runtime: containerd package and its rendered config.
import type { HostView } from '../host-state.js';
import { type ActionKindModule, EVERY_CONVERGE_MODE } from '../kind.js';
import * as prerequisites from './install-prerequisites.js';
import { step } from './steps.js';

export const idOf = (host: string): string => `install-container-runtime:${host}`;

function needed(host: HostView): string | null {
  if (!host.reachable || host.containerdInstalled) return null;
  const unit = host.facts?.containerd?.unit;
  if (unit?.installed) return `containerd unit is present on ${host.name} but no containerd binary answers; every node needs a container runtime`;
  return `containerd is not installed on ${host.name}; every node needs a container runtime`;
}

export const installContainerRuntime: ActionKindModule<'install-container-runtime'> = {
  name: 'install containerd',
  when: EVERY_CONVERGE_MODE,
  kinds: { 'install-container-runtime': { change: '+', serial: false, disruptive: false } },
  plan: (ctx) =>
    ctx.hosts.flatMap((host) => {
      const reason = needed(host);
      if (reason === null) return [];
      return {
        kind: 'install-container-runtime' as const,
        id: idOf(host.name),
        hosts: [host.name],
        title: `install containerd on ${host.name}`,
        reason,
        dependsOn: [prerequisites.idOf(host.name)],
        steps: [
          step('host.containerd.install', host.name, `install containerd on ${host.name}`),
          step('host.containerd.configure', host.name, `write /etc/containerd/config.toml on ${host.name} and restart containerd`),
        ],
      };
    }),
};
