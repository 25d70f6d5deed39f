// Install on the sandbox fleet with the simulator's node bundles, through the whole apply
// flow (probe, plan, execute, verify): 1 control plane + 1 worker, then apply again is a
// no-op with one probe; reset, then apply brings a fresh cluster up on the same hosts.
import { expect } from 'chai';
import { FlowError, runApplyFlow } from '../../pkg/executor/apply-flow.js';
import { e2eCollaborators, quietUi, useFleet } from './helpers.js';

const VERSION = '1.35.1';

describe('apply on the sandbox fleet with the simulator (1 CP + 1 worker)', function () {
  this.timeout(900_000);
  // Needs `npm run build:kubesim`; without the bundles there is nothing to install.
  const fleet = useFleet({ controlPlanes: 1, workers: 1, bundles: [VERSION] });

  const opts = () => ({ manifestPath: fleet().manifestPath, yes: true, parallelism: 2, command: 'kubeone apply', signal: new AbortController().signal });

  it('installs; the cluster is Ready at the version; apply again changes nothing (one probe)', async () => {
    const c = e2eCollaborators({ versions: { kubernetes: VERSION } });
    const log: string[] = [];
    const summary = await runApplyFlow(c, quietUi(log), opts()).catch((e: FlowError) => {
      throw new Error(`${e.message}\n${log.join('\n')}`);
    });
    expect(summary!.failed).to.deep.equal([]);
    const loaded = await c.loadCluster(fleet().manifestPath);
    const pool = c.createPool(loaded);
    try {
      const snap = await c.probe(loaded, pool);
      const nodes = snap.state.kube!.nodes;
      expect(nodes.map((n) => n.name).sort()).to.deep.equal(loaded.hosts.map((h) => h.config.hostname ?? h.name).sort());
      for (const n of nodes) expect(n, n.name).to.include({ ready: true, kubeletVersion: VERSION, unschedulable: false });
    } finally {
      await pool.closeAll();
    }
    const before = c.probes;
    expect(await runApplyFlow(c, quietUi(log), opts())).to.equal(null);
    expect(c.probes - before).to.equal(1);
  });

  it('reset, then apply: a fresh cluster on the same hosts', async () => {
    const c = e2eCollaborators({ versions: { kubernetes: VERSION } });
    const log: string[] = [];
    await runApplyFlow(c, quietUi(log), { ...opts(), reset: true, command: 'kubeone reset' });
    const loaded = await c.loadCluster(fleet().manifestPath);
    const pool = c.createPool(loaded);
    try {
      const snap = await c.probe(loaded, pool);
      expect(snap.state.kube).to.equal(null);
      for (const h of snap.state.hosts) expect(h.adminConf ?? false, h.name).to.equal(false);
    } finally {
      await pool.closeAll();
    }
    const summary = await runApplyFlow(c, quietUi(log), opts());
    expect(summary!.failed).to.deep.equal([]);
  });
});
