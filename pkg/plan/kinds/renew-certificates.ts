// renew-certificates: control-plane certificates expiring within the renewal window (default
// 90 days, measured from options.now so the planner stays pure), an apiserver certificate
// lacking a name the manifest gives the API endpoint (apiEndpoint.host, alternativeNames), or
// on request (`kubeone certificates renew`). One control plane at a time; the kubelet's pending
// serving certificate requests are approved afterwards, as KubeOne does.
import { certSANsOf } from '../../kubeadm/cluster-configuration.js';
import { missingSans } from '../../kubeadm/cert-sans.js';
import type { PlanContext } from '../context.js';
import type { HostView } from '../host-state.js';
import type { ActionDraft, ActionKindModule } from '../kind.js';
import type { Step } from '../types.js';
import { controlPlanesInCluster } from './reconfigure-control-plane.js';
import { nodeNameOf, step } from './steps.js';
import { lastUpgradeOf } from './upgrade.js';

const DAY_MS = 86_400_000;

function expiring(ctx: PlanContext, host: HostView): string | null {
  const expiry = host.facts?.certsEarliestExpiry ?? '';
  if (expiry === '') return null;
  const days = ctx.options.certRenewalDays ?? 90;
  const now = Date.parse(ctx.options.now);
  const notAfter = Date.parse(expiry);
  if (Number.isNaN(now) || Number.isNaN(notAfter)) return null;
  const left = Math.floor((notAfter - now) / DAY_MS);
  if (left >= days) return null;
  const soonest = Object.entries(host.facts?.certs ?? {})
    .filter(([, na]) => na === expiry)
    .map(([file]) => file)
    .sort()[0];
  const when = left < 0 ? `expired ${-left} days ago` : `expires in ${left} days`;
  return `${soonest ?? 'a certificate'} on ${host.name} ${when} (${expiry}), the renewal window is ${days} days`;
}

/** Names the manifest gives the API endpoint that the host's apiserver certificate lacks ([] when unknown). */
export function missingApiserverNames(ctx: PlanContext, host: HostView): string[] {
  const present = host.facts?.apiserverSans;
  if (present === undefined) return [];
  return missingSans(certSANsOf(ctx.desired.cluster.cluster, ctx.desired.cluster.hosts), present);
}

function reasons(ctx: PlanContext, host: HostView, missing: string[]): string[] {
  if (!host.reachable || !host.cpInitialized) return [];
  const out: string[] = [];
  if (ctx.options.renewCertificates) out.push('certificate renewal was requested (kubeone certificates renew)');
  const soon = expiring(ctx, host);
  if (soon) out.push(soon);
  if (missing.length > 0) out.push(`apiserver.crt on ${host.name} does not name ${missing.join(', ')} (apiEndpoint)`);
  return out;
}

export const idOf = (host: string): string => `renew-certificates:${host}`;

export const renewCertificates: ActionKindModule<'renew-certificates'> = {
  name: 'renew control-plane certificates, one at a time',
  when: ['reconcile'],
  kinds: { 'renew-certificates': { change: '~', serial: true, disruptive: false } },
  plan(ctx) {
    // kubeadm upgrade renews the certificates of the control planes it upgrades. Both restart
    // the static pods: renewals wait for the flag changes.
    const stays = new Set(ctx.staying);
    const cps = controlPlanesInCluster(ctx);
    let previous = ctx.b.planned('reconfigure-control-plane').slice(-1).map((a) => a.id);
    const out: ActionDraft<'renew-certificates'>[] = [];
    for (const host of cps.filter((h) => stays.has(h))) {
      const missing = missingApiserverNames(ctx, host);
      // An upgrade renews the certificates but keeps the serving certificate's names.
      if (lastUpgradeOf(ctx, host) !== undefined && missing.length === 0) continue;
      const why = reasons(ctx, host, missing);
      if (why.length === 0) continue;
      const node = nodeNameOf(host);
      const steps: Step[] = [
        ...(missing.length > 0 ? [step('kubeadm.config.render', host.name, `render the kubeadm configuration for ${host.name}`)] : []),
        step('kubeadm.certs.renew', host.name, `kubeadm certs renew all${missing.length > 0 ? ' and a new apiserver certificate' : ''} on ${host.name}, restart the control-plane components`, {
          reissueApiserver: missing.length > 0,
        }),
        step('node.waitReady', host.name, `wait for node ${node} to be Ready and approve its kubelet serving certificate request`, { node, ready: true }),
      ];
      out.push({
        kind: 'renew-certificates',
        id: idOf(host.name),
        hosts: [host.name],
        title: `renew the control-plane certificates on ${host.name}`,
        reason: why.join('; '),
        dependsOn: [...previous, ...[lastUpgradeOf(ctx, host)].filter((id): id is string => id !== undefined)],
        steps,
      });
      previous = [idOf(host.name)];
    }
    return out;
  },
};
