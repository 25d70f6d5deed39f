// configure-container-runtime: containerd config drift (registry mirrors, sandbox image...)
// on a host where containerd is already installed. Restarting containerd keeps running containers.
import { describeFileDrift, driftedFiles, isContainerdPath, type PlanContext } from '../context.js';
import type { HostView } from '../host-state.js';
import type { Step } from '../types.js';
import { step } from './steps.js';

export function needed(ctx: PlanContext, host: HostView): string | null {
  if (!host.reachable || !host.containerdInstalled) return null;
  const drifted = driftedFiles(ctx, host, isContainerdPath);
  if (drifted.length === 0) return null;
  return `${drifted.map((p) => describeFileDrift(ctx, host, p)).join('; ')} (containerRuntime.containerd)`;
}

export function steps(host: HostView): Step[] {
  return [step('host.containerd.configure', host.name, `rewrite the containerd configuration on ${host.name} and restart containerd`)];
}

export const idOf = (host: string): string => `configure-container-runtime:${host}`;

export function plan(ctx: PlanContext, host: HostView): void {
  const reason = needed(ctx, host);
  if (reason === null) return;
  ctx.b.add({
    id: idOf(host.name),
    kind: 'configure-container-runtime',
    change: '~',
    hosts: [host.name],
    title: `reconfigure containerd on ${host.name}`,
    reason,
    disruptive: false,
    serial: false,
    steps: steps(host),
  });
}
