// The planner's host-preparation actions, run by the executor on real hosts, converge in the
// planner's own eyes: after execution, a fresh probe + plan has none of those actions left.
// (Init/join need the simulator and are covered by the install e2e once it lands.)
import { expect } from 'chai';
import { computeDesired } from '../../pkg/desired/index.js';
import { computePlan } from '../../pkg/plan/index.js';
import type { Snapshot } from '../../pkg/snapshot/types.js';
import { fakeBundle, loadFleetManifest, probeHosts, runOnHosts, sshPool, useFleet } from './helpers.js';

const HOST_KINDS = new Set(['install-prerequisites', 'install-container-runtime', 'install-binaries', 'configure-container-runtime']);

describe('executor runs the planner host-preparation actions', function () {
  this.timeout(600_000);
  const fleet = useFleet({ controlPlanes: 1, workers: 1 });

  it('after execution the planner wants none of them again', async () => {
    const loaded = loadFleetManifest(fleet().manifestPath, { kubernetesBinaries: { bundle: { path: fakeBundle('1.35.1') } }, versions: { kubernetes: '1.35.1' } });
    const pool = sshPool(loaded);
    try {
      // With the hosts' facts, as the apply flow does: the containerd config format follows the installed major.
      const desiredFor = (snapshot: Snapshot) => computeDesired(loaded, [], { facts: snapshot.state.hosts });
      const { actions, summary } = await runOnHosts(loaded, pool, {
        actions: (snapshot) => {
          const plan = computePlan(desiredFor(snapshot), snapshot, { now: new Date().toISOString() });
          expect(plan.refusals).to.deep.equal([]);
          return plan.actions.filter((a) => HOST_KINDS.has(a.kind));
        },
      });
      expect(actions.length).to.be.greaterThan(0);
      expect(summary.failed, JSON.stringify(summary.failed)).to.deep.equal([]);
      const after = await probeHosts(loaded, pool);
      const again = computePlan(desiredFor(after), after, { now: new Date().toISOString() });
      const left = again.actions.filter((a) => HOST_KINDS.has(a.kind)).map((a) => `${a.id}: ${a.reason}`);
      expect(left).to.deep.equal([]);
    } finally {
      await pool.closeAll();
    }
  });
});
