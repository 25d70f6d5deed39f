// renew-certificates: control-plane certificates expiring within the renewal window (default
// 90 days, measured from options.now so the planner stays pure), or on request.
import type { PlanContext } from '../context.js';
import type { HostView } from '../host-state.js';
import type { ActionDraft, ActionKindModule } from '../kind.js';
import { controlPlanesInCluster } from './reconfigure-control-plane.js';
import { step } from './steps.js';
import { lastUpgradeOf } from './upgrade.js';

const DAY_MS = 86_400_000;

function needed(ctx: PlanContext, host: HostView): string | null {
  if (!host.reachable || !host.cpInitialized) return null;
  if (ctx.options.renewCertificates) return `certificate renewal was requested (--renew-certificates)`;
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
    for (const host of cps.filter((h) => stays.has(h) && lastUpgradeOf(ctx, h) === undefined)) {
      const reason = needed(ctx, host);
      if (reason === null) continue;
      out.push({
        kind: 'renew-certificates',
        id: idOf(host.name),
        hosts: [host.name],
        title: `renew the control-plane certificates on ${host.name}`,
        reason,
        dependsOn: previous,
        steps: [step('kubeadm.certs.renew', host.name, `kubeadm certs renew all on ${host.name} and restart the control-plane components`)],
      });
      previous = [idOf(host.name)];
    }
    return out;
  },
};
