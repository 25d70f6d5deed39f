// An upgrade killed in the middle of a worker (drained, kubeadm binary being replaced):
// the next apply finishes it without redoing the drain, and no node stays cordoned or
// labelled kubeone.io/upgrade-in-progress.
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { type FlowUi, runApplyFlow } from '../../pkg/executor/apply-flow.js';
import { journalPath, readJournal } from '../../pkg/journal/journal.js';
import { e2eCollaborators, startRunner, useFleet } from './helpers.js';

const FROM = '1.34.3';
const TO = '1.35.1';
const RUNNER = fileURLToPath(new URL('./run-apply.ts', import.meta.url));
const ui: FlowUi = { showPlan: () => undefined, confirm: async () => true, info: () => undefined, listeners: [] };
const flowOpts = (manifestPath: string) => ({ manifestPath, yes: true, parallelism: 2, command: 'kubeone apply', signal: new AbortController().signal });

describe('upgrade killed in the middle of a worker', function () {
  this.timeout(1_800_000);
  const fleet = useFleet({ controlPlanes: 1, workers: 1, bundles: [FROM, TO] });

  it('the next apply finishes the upgrade; drain not redone; node uncordoned', async () => {
    const install = await runApplyFlow(e2eCollaborators({ versions: { kubernetes: FROM } }), ui, flowOpts(fleet().manifestPath));
    expect(install!.failed).to.deep.equal([]);

    const killed = await startRunner(RUNNER, [fleet().manifestPath, TO], {
      when: (out) => /"step-started"[^\n]*"action":"upgrade-worker:worker-1[^"]*"[^\n]*"step":"host.binaries.install:kubeadm"/.test(out),
      delayMs: 500,
    }).done;
    expect(killed.signal, killed.out.slice(-3000)).to.equal('SIGKILL');

    const c = e2eCollaborators({ versions: { kubernetes: TO } });
    const loaded = await c.loadCluster(fleet().manifestPath);
    const path = journalPath(loaded.baseDir, loaded.cluster.name!);
    const before = readJournal(path);
    const drained = before.some((r) => r.actionId.startsWith('upgrade-worker:worker-1') && r.stepId === 'node.drain' && r.event === 'finished');
    expect(drained).to.equal(true);
    const pool = c.createPool(loaded);
    try {
      const snap = await c.probe(loaded, pool);
      expect(snap.state.kube!.nodes.find((n) => n.name === 'worker-1')!.unschedulable).to.equal(true);
      // As KubeOne marks a Node it is upgrading (its own preflight refuses while one carries it).
      expect(snap.state.kube!.nodes.find((n) => n.name === 'worker-1')!.labels).to.have.property('kubeone.io/upgrade-in-progress', '');
    } finally {
      await pool.closeAll();
    }

    const summary = await runApplyFlow(c, ui, flowOpts(fleet().manifestPath));
    expect(summary!.failed).to.deep.equal([]);
    const after = readJournal(path).slice(before.length);
    const redone = after.filter((r) => r.event === 'started' && r.actionId.startsWith('upgrade-worker:worker-1') && ['node.cordon', 'node.drain'].includes(r.stepId));
    expect(redone).to.deep.equal([]);
    const pool2 = c.createPool(loaded);
    try {
      const snap = await c.probe(loaded, pool2);
      for (const n of snap.state.kube!.nodes) {
        expect(n, n.name).to.include({ ready: true, kubeletVersion: TO, unschedulable: false });
        expect(n.labels, n.name).not.to.have.property('kubeone.io/upgrade-in-progress');
      }
    } finally {
      await pool2.closeAll();
    }
  });
});
