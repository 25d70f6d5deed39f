// renew-certificates: control-plane certificates expiring within the renewal window (default
// 90 days, measured from options.now so the planner stays pure), or on request.
import type { PlanContext } from '../context.js';
import type { HostView } from '../host-state.js';
import type { Step } from '../types.js';
import { step } from './steps.js';

const DAY_MS = 86_400_000;

export function needed(ctx: PlanContext, host: HostView): string | null {
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

export function steps(host: HostView): Step[] {
  return [step('kubeadm.certs.renew', host.name, `kubeadm certs renew all on ${host.name} and restart the control-plane components`)];
}

export const idOf = (host: string): string => `renew-certificates:${host}`;

export function plan(ctx: PlanContext, cps: HostView[], after: string[]): void {
  let previous = after;
  for (const host of cps) {
    const reason = needed(ctx, host);
    if (reason === null) continue;
    previous = [
      ctx.b.add({
        id: idOf(host.name),
        kind: 'renew-certificates',
        change: '~',
        hosts: [host.name],
        title: `renew the control-plane certificates on ${host.name}`,
        reason,
        dependsOn: ctx.b.deps(...previous),
        disruptive: false,
        serial: true,
        steps: steps(host),
      }).id,
    ];
  }
}
