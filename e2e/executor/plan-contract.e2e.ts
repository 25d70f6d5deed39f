// The planner's host-preparation actions, run by the executor on real hosts, converge in the
// planner's own eyes: after execution, a fresh probe + plan has none of those actions left.
// (Init/join need the simulator and are covered by the install e2e once it lands.)
import { expect } from 'chai';
import { computeDesired } from '../../pkg/desired/index.js';
import { execute } from '../../pkg/executor/engine.js';
import { buildRunContext } from '../../pkg/executor/run-context.js';
import type { DesiredState, Plan, PlanOptions } from '../../pkg/plan/types.js';
import type { Snapshot } from '../../pkg/snapshot/types.js';
import { type FleetLike, fakeBundle, importByName, loadFleetManifest, probeHosts, sshPool, startTestFleet } from './helpers.js';

const HOST_KINDS = new Set(['install-prerequisites', 'install-container-runtime', 'install-binaries', 'configure-container-runtime']);

describe('executor runs the planner host-preparation actions', function () {
  this.timeout(600_000);
  let fleet: FleetLike;
  before(async () => {
    fleet = await startTestFleet(1, 1);
  });
  after(async () => {
    await fleet?.destroy();
  });

  it('after execution the planner wants none of them again', async () => {
    const { computePlan } = await importByName<{ computePlan: (d: DesiredState, s: Snapshot, o: PlanOptions) => Plan }>('../../pkg/plan/index.js');
    const loaded = loadFleetManifest(fleet.manifestPath, { kubernetesBinaries: { bundle: { path: fakeBundle('1.35.1') } }, versions: { kubernetes: '1.35.1' } });
    const pool = await sshPool(loaded);
    try {
      const snapshot = await probeHosts(loaded, pool);
      const desired = computeDesired(loaded, []);
      const plan = computePlan(desired, snapshot, { now: new Date().toISOString() });
      expect(plan.refusals).to.deep.equal([]);
      const actions = plan.actions.filter((a) => HOST_KINDS.has(a.kind));
      expect(actions.length).to.be.greaterThan(0);
      const ctx = buildRunContext({
        loaded, snapshot, desired, plan, actions, pool, parallelism: 2, listeners: [], signal: new AbortController().signal,
        collaborators: { createTunnelledKubeConfig: async () => ({}), addons: { apply: async () => undefined, prune: async () => undefined } } as never,
      });
      const summary = await execute(actions, ctx.options).finally(() => ctx.close());
      expect(summary.failed, JSON.stringify(summary.failed)).to.deep.equal([]);
      const again = computePlan(desired, await probeHosts(loaded, pool), { now: new Date().toISOString() });
      const left = again.actions.filter((a) => HOST_KINDS.has(a.kind)).map((a) => `${a.id}: ${a.reason}`);
      expect(left).to.deep.equal([]);
    } finally {
      await pool.closeAll();
    }
  });
});
