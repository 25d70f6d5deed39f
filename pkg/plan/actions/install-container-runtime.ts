// install-container-runtime: containerd package and its rendered config.
import type { PlanContext } from '../context.js';
import type { HostView } from '../host-state.js';
import type { Step } from '../types.js';
import * as prerequisites from './install-prerequisites.js';
import { step } from './steps.js';

export function needed(host: HostView): string | null {
  if (!host.reachable || host.containerdInstalled) return null;
  const unit = host.facts?.containerd?.unit;
  if (unit?.installed) return `containerd unit is present on ${host.name} but no containerd binary answers; every node needs a container runtime`;
  return `containerd is not installed on ${host.name}; every node needs a container runtime`;
}

export function steps(host: HostView): Step[] {
  return [
    step('host.containerd.install', host.name, `install containerd on ${host.name}`),
    step('host.containerd.configure', host.name, `write /etc/containerd/config.toml on ${host.name} and restart containerd`),
  ];
}

export const idOf = (host: string): string => `install-container-runtime:${host}`;

export function plan(ctx: PlanContext, host: HostView): void {
  const reason = needed(host);
  if (reason === null) return;
  ctx.b.add({
    id: idOf(host.name),
    kind: 'install-container-runtime',
    change: '+',
    hosts: [host.name],
    title: `install containerd on ${host.name}`,
    reason,
    dependsOn: ctx.b.deps(prerequisites.idOf(host.name)),
    disruptive: false,
    serial: false,
    steps: steps(host),
  });
}
