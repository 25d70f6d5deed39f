// install-prerequisites: kernel modules, sysctls and swap off, before any runtime or kubelet.
import type { PlanContext } from '../context.js';
import type { HostView } from '../host-state.js';
import type { Step } from '../types.js';
import { step } from './steps.js';

export function needed(host: HostView): string | null {
  if (!host.reachable || host.prerequisitesOk) return null;
  const facts = host.facts!;
  const missing: string[] = [];
  if (facts.swapOn) missing.push('swap is on');
  const pre = facts.prerequisites;
  if (!pre?.swapDisabledPersistently) missing.push('swap is not disabled persistently');
  if (!pre?.modules) missing.push('kernel modules (overlay, br_netfilter) are not loaded');
  if (!pre?.sysctls) missing.push('sysctls (net.ipv4.ip_forward, bridge-nf-call-iptables) are not set');
  return `${missing.join(', ')} on ${host.name}; kubelet and containerd need them`;
}

export function steps(host: HostView): Step[] {
  return [step('host.prerequisites', host.name, `install OS packages, disable swap, load kernel modules and set sysctls on ${host.name}`)];
}

export const idOf = (host: string): string => `install-prerequisites:${host}`;

export function plan(ctx: PlanContext, host: HostView): void {
  const reason = needed(host);
  if (reason === null) return;
  ctx.b.add({
    id: idOf(host.name),
    kind: 'install-prerequisites',
    change: host.joined ? '~' : '+',
    hosts: [host.name],
    title: `install prerequisites on ${host.name}`,
    reason,
    disruptive: false,
    serial: false,
    steps: steps(host),
  });
}
