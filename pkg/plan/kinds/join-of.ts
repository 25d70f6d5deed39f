// The action through which a host joins the cluster in this plan, if any: the init of a new
// cluster on its leader (planned or refused: what waits for it is refused with it), else its
// planned control-plane or worker join.
import type { PlanContext } from '../context.js';
import type { HostView } from '../host-state.js';
import * as init from './init-control-plane.js';
import * as joinControlPlane from './join-control-plane.js';
import * as joinWorker from './join-worker.js';

export function joinOf(ctx: PlanContext, host: HostView): string | undefined {
  if (ctx.mode === 'create' && ctx.leader === host) return ctx.b.known(init.idOf(host.name)) ? init.idOf(host.name) : undefined;
  // Joins are planned only for the hosts the membership analysis says join.
  if (!ctx.joining.has(host.name)) return undefined;
  return [joinControlPlane.idOf(host.name), joinWorker.idOf(host.name)].find((id) => ctx.b.get(id) !== undefined);
}
