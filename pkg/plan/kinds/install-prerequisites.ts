// install-prerequisites: kernel modules, sysctls and swap off, before any runtime or kubelet.
import type { HostView } from '../host-state.js';
import { type ActionKindModule, EVERY_CONVERGE_MODE } from '../kind.js';
import { step } from './steps.js';

export const idOf = (host: string): string => `install-prerequisites:${host}`;

function needed(host: HostView): string | null {
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

export const installPrerequisites: ActionKindModule<'install-prerequisites'> = {
  name: 'install prerequisites',
  when: EVERY_CONVERGE_MODE,
  kinds: { 'install-prerequisites': { change: '+', serial: false, disruptive: false } },
  plan: (ctx) =>
    ctx.hosts.flatMap((host) => {
      const reason = needed(host);
      if (reason === null) return [];
      return {
        kind: 'install-prerequisites' as const,
        id: idOf(host.name),
        // A joined host drifted back: a change, not an addition.
        ...(host.joined ? { change: '~' as const } : {}),
        hosts: [host.name],
        title: `install prerequisites on ${host.name}`,
        reason,
        steps: [step('host.prerequisites', host.name, `install OS packages, disable swap, load kernel modules and set sysctls on ${host.name}`)],
      };
    }),
};
