// join-control-plane: control planes join one at a time (each adds an etcd member): in a new
// cluster after the init, in an existing one after the removals of dead members and the
// control-plane upgrades to the desired version. Joins the etcd-quorum stage refused are skipped.
import type { ActionDraft, ActionKindModule } from '../kind.js';
import { initIds } from './init-control-plane.js';
import * as binaries from './install-binaries.js';
import * as runtime from './install-container-runtime.js';
import * as prerequisites from './install-prerequisites.js';
import { membershipRemovals, staleRemovalOf } from './remove-node.js';
import { joinSteps } from './steps.js';
import { finalControlPlaneUpgrade } from './upgrade.js';

export const idOf = (host: string): string => `join-control-plane:${host}`;

export const joinControlPlane: ActionKindModule<'join-control-plane'> = {
  name: 'join control planes, one at a time',
  when: ['create', 'reconcile'],
  kinds: { 'join-control-plane': { change: '+', serial: true, disruptive: false } },
  plan(ctx) {
    const leader = ctx.leader!.name;
    const needs = new Map(ctx.membership.joins.map((n) => [n.host.name, n]));
    let previous = ctx.mode === 'create' ? initIds(ctx) : [...membershipRemovals(ctx), ...finalControlPlaneUpgrade(ctx)];
    const out: ActionDraft<'join-control-plane'>[] = [];
    for (const host of ctx.controlPlanes) {
      const need = needs.get(host.name);
      if (!need || ctx.b.isBlocked(idOf(host.name))) continue;
      out.push({
        kind: 'join-control-plane',
        id: idOf(host.name),
        hosts: [host.name],
        title: `join ${host.name} as a control plane`,
        reason: need.reason,
        dependsOn: [...previous, ...staleRemovalOf(ctx, host.name), prerequisites.idOf(host.name), runtime.idOf(host.name), binaries.idOf(host.name, ctx.version)],
        steps: joinSteps(ctx, host, { controlPlane: true, leader }),
      });
      previous = [idOf(host.name)];
    }
    return out;
  },
};
