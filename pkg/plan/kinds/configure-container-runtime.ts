// configure-container-runtime: containerd config drift (registry mirrors, sandbox image...)
// on a host where containerd is already installed. Restarting containerd keeps running containers.
import { describeFileDrift, driftedFiles } from '../context.js';
import { type ActionKindModule, EVERY_CONVERGE_MODE } from '../kind.js';
import { step } from './steps.js';

export const idOf = (host: string): string => `configure-container-runtime:${host}`;

export const configureContainerRuntime: ActionKindModule<'configure-container-runtime'> = {
  name: 'reconfigure containerd',
  when: EVERY_CONVERGE_MODE,
  kinds: { 'configure-container-runtime': { change: '~', serial: false, disruptive: false } },
  plan: (ctx) =>
    ctx.hosts.flatMap((host) => {
      if (!host.reachable || !host.containerdInstalled) return [];
      const drifted = driftedFiles(ctx, host, 'containerd');
      if (drifted.length === 0) return [];
      return {
        kind: 'configure-container-runtime' as const,
        id: idOf(host.name),
        hosts: [host.name],
        title: `reconfigure containerd on ${host.name}`,
        reason: `${drifted.map((p) => describeFileDrift(ctx, host, p)).join('; ')} (containerRuntime.containerd)`,
        steps: [step('host.containerd.configure', host.name, `rewrite the containerd configuration on ${host.name} and restart containerd`)],
      };
    }),
};
