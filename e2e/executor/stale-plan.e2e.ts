// plan --out p.json, then a host changes, then apply p.json: refused as a stale plan, with
// nothing touched on any host.
import { join } from 'node:path';
import { expect } from 'chai';
import { runApplyFlow } from '../../pkg/executor/apply-flow.js';
import { writePlanFile } from '../../pkg/pipeline/plan-file.js';
import { planFor } from '../../pkg/pipeline/plan-for.js';
import { e2eCollaborators, fakeBundle, useFleet } from './helpers.js';

describe('apply PLANFILE refuses a stale plan', function () {
  this.timeout(600_000);
  const fleet = useFleet({ controlPlanes: 1, workers: 1 });

  it('a plan made before any cluster existed is refused once a host changed', async () => {
    const c = e2eCollaborators({ kubernetesBinaries: { bundle: { path: fakeBundle('1.35.1') } }, versions: { kubernetes: '1.35.1' } });
    const opts = { manifestPath: fleet().manifestPath, yes: true, parallelism: 2, command: 'kubeone apply', signal: new AbortController().signal };
    const loaded = await c.loadCluster(fleet().manifestPath);
    const pool = c.createPool(loaded);
    const planPath = join(loaded.baseDir, 'p.json');
    try {
      const { plan } = await planFor(c, loaded, await c.probe(loaded, pool));
      expect(plan.actions.length).to.be.greaterThan(0);
      writePlanFile(planPath, plan);
    } finally {
      await pool.closeAll();
    }
    // Someone changes worker-1 behind our back (a file the probe watches).
    await fleet().exec('worker-1', "printf 'runtime-endpoint: unix:///elsewhere.sock\\n' > /etc/crictl.yaml");
    const err = (await runApplyFlow(c, { showPlan: () => undefined, confirm: async () => true, info: () => undefined, listeners: [] }, { ...opts, planFile: planPath }).catch((e: unknown) => e)) as Error;
    expect(err.message).to.match(/^stale plan: /);
    for (const h of ['cp-1', 'worker-1']) {
      const r = await fleet().exec(h, 'ls /var/lib/kubeone 2>/dev/null; command -v containerd || true');
      expect(r.stdout.trim(), h).to.equal('');
    }
  });
});
