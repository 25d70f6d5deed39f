// join-worker: static workers join in parallel: in a new cluster after the init, in an
// existing one after the control planes reached the desired version.
import type { ActionKindModule } from '../kind.js';
import { initIds } from './init-control-plane.js';
import * as binaries from './install-binaries.js';
import * as runtime from './install-container-runtime.js';
import * as prerequisites from './install-prerequisites.js';
import { staleRemovalOf } from './remove-node.js';
import { joinSteps } from './steps.js';
import { finalControlPlaneUpgrade } from './upgrade.js';

export const idOf = (host: string): string => `join-worker:${host}`;

export const joinWorker: ActionKindModule<'join-worker'> = {
  name: 'join workers',
  when: ['create', 'reconcile'],
  kinds: { 'join-worker': { change: '+', serial: false, disruptive: false } },
  plan(ctx) {
    const after = ctx.mode === 'create' ? initIds(ctx) : finalControlPlaneUpgrade(ctx);
    return ctx.membership.joins
      .filter((need) => need.host.role === 'staticWorker')
      .map((need) => ({
        kind: 'join-worker' as const,
        id: idOf(need.host.name),
        hosts: [need.host.name],
        title: `join ${need.host.name} as a worker`,
        reason: need.reason,
        dependsOn: [...after, ...staleRemovalOf(ctx, need.host.name), prerequisites.idOf(need.host.name), runtime.idOf(need.host.name), binaries.idOf(need.host.name, ctx.version)],
        steps: joinSteps(ctx, need.host, { controlPlane: false }),
      }));
  },
};
