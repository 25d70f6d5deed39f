// 3 control planes + 2 workers with the simulator. The first apply is SIGKILLed while the
// second control plane joins; the next apply converges without redoing any completed step
// and leaves no node cordoned; a third apply changes nothing, with one probe.
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { type FlowUi, runApplyFlow } from '../../pkg/executor/apply-flow.js';
import { journalPath, readJournal } from '../../pkg/journal/journal.js';
import { e2eCollaborators, startRunner, useFleet } from './helpers.js';

const VERSION = '1.35.1';
const RUNNER = fileURLToPath(new URL('./run-apply.ts', import.meta.url));

const ui = (log: string[]): FlowUi => ({ showPlan: () => undefined, confirm: async () => true, info: (m) => log.push(m), listeners: [] });

describe('apply 3 control planes + 2 workers with the simulator, killed mid-install', function () {
  this.timeout(1_800_000);
  const fleet = useFleet({ controlPlanes: 3, workers: 2, bundles: [VERSION] });

  it('converges after a SIGKILL, redoes no completed step, then changes nothing', async () => {
    const first = await startRunner(RUNNER, [fleet().manifestPath, VERSION], {
      when: (out) => /"step-started"[^\n]*"step":"kubeadm.join"[^\n]*"host":"cp-2"/.test(out),
      delayMs: 1500,
    }).done;
    expect(first.signal, first.out.slice(-2000)).to.equal('SIGKILL');

    const c = e2eCollaborators({ versions: { kubernetes: VERSION } });
    const loaded = await c.loadCluster(fleet().manifestPath);
    const path = journalPath(loaded.baseDir, loaded.cluster.name!);
    const before = readJournal(path);
    const finishedBefore = new Set(before.filter((r) => r.event === 'finished' && r.stepId).map((r) => `${r.actionId}/${r.stepId}`));
    expect(finishedBefore.size).to.be.greaterThan(0);

    const log: string[] = [];
    const summary = await runApplyFlow(c, ui(log), { manifestPath: fleet().manifestPath, yes: true, parallelism: 2, command: 'kubeone apply', signal: new AbortController().signal });
    expect(summary!.failed).to.deep.equal([]);
    const started = readJournal(path).slice(before.length).filter((r) => r.event === 'started').map((r) => `${r.actionId}/${r.stepId}`);
    for (const s of started) expect(finishedBefore.has(s), `${s} was redone`).to.equal(false);

    const pool = c.createPool(loaded);
    try {
      const snap = await c.probe(loaded, pool);
      const nodes = snap.state.kube!.nodes;
      expect(nodes).to.have.length(5);
      for (const n of nodes) expect(n, n.name).to.include({ ready: true, kubeletVersion: VERSION, unschedulable: false });
      expect(snap.state.kube!.etcdMembers).to.have.length(3);
      for (const h of snap.state.hosts) expect(h.lock ?? null, h.name).to.equal(null);
    } finally {
      await pool.closeAll();
    }
    const probes = c.probes;
    expect(await runApplyFlow(c, ui(log), { manifestPath: fleet().manifestPath, yes: true, parallelism: 2, command: 'kubeone apply', signal: new AbortController().signal })).to.equal(null);
    expect(c.probes - probes).to.equal(1);
  });
});
