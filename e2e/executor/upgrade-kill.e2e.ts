// An upgrade killed in the middle of a worker (drained, kubeadm binary being replaced):
// the next apply finishes it without redoing the drain, and no node stays cordoned.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { type FlowUi, runApplyFlow } from '../../pkg/executor/apply-flow.js';
import { journalPath, readJournal } from '../../pkg/journal/journal.js';
import { e2eCollaborators, type FleetLike, importByName, startTestFleet } from './helpers.js';

const FROM = '1.34.3';
const TO = '1.35.1';
const RUNNER = fileURLToPath(new URL('./run-apply.ts', import.meta.url));
const ui: FlowUi = { showPlan: () => undefined, confirm: async () => true, info: () => undefined, listeners: [] };
const flowOpts = (manifestPath: string) => ({ manifestPath, yes: true, parallelism: 2, command: 'kubeone apply', signal: new AbortController().signal });

describe('upgrade killed in the middle of a worker', function () {
  this.timeout(1_800_000);
  let fleet: FleetLike;
  before(async function () {
    const { KUBESIM_BUNDLE_TEMPLATE } = await importByName<{ KUBESIM_BUNDLE_TEMPLATE: string }>('../fleet/index.js');
    for (const v of [FROM, TO]) if (!existsSync(KUBESIM_BUNDLE_TEMPLATE.replace('{arch}', 'amd64').replace('{version}', v))) this.skip();
    fleet = await startTestFleet(1, 1);
  });
  after(async () => {
    await fleet?.destroy();
  });

  it('the next apply finishes the upgrade; drain not redone; node uncordoned', async () => {
    const install = await runApplyFlow(await e2eCollaborators({ versions: { kubernetes: FROM } }), ui, flowOpts(fleet.manifestPath));
    expect(install!.failed).to.deep.equal([]);

    const killed = await new Promise<{ signal: string | null; out: string }>((resolve) => {
      const child = spawn(process.execPath, ['--import', 'tsx', RUNNER, fleet.manifestPath, TO], { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      child.stdout.on('data', (d) => (out += d));
      child.stderr.on('data', (d) => (out += d));
      const timer = setInterval(() => {
        if (!/"step-started"[^\n]*"action":"upgrade-worker:worker-1[^"]*"[^\n]*"step":"host.binaries.install:kubeadm"/.test(out)) return;
        clearInterval(timer);
        setTimeout(() => child.kill('SIGKILL'), 500);
      }, 50);
      child.on('close', (_c, signal) => {
        clearInterval(timer);
        resolve({ signal, out });
      });
    });
    expect(killed.signal, killed.out.slice(-3000)).to.equal('SIGKILL');

    const c = await e2eCollaborators({ versions: { kubernetes: TO } });
    const loaded = await c.loadCluster(fleet.manifestPath);
    const path = journalPath(loaded.baseDir, loaded.cluster.name!);
    const before = readJournal(path);
    const drained = before.some((r) => r.actionId.startsWith('upgrade-worker:worker-1') && r.stepId === 'node.drain' && r.event === 'finished');
    expect(drained).to.equal(true);
    const pool = c.createPool(loaded);
    try {
      const snap = await c.probe(loaded, pool);
      expect(snap.state.kube!.nodes.find((n) => n.name === 'worker-1')!.unschedulable).to.equal(true);
    } finally {
      await pool.closeAll();
    }

    const summary = await runApplyFlow(c, ui, flowOpts(fleet.manifestPath));
    expect(summary!.failed).to.deep.equal([]);
    const after = readJournal(path).slice(before.length);
    const redone = after.filter((r) => r.event === 'started' && r.actionId.startsWith('upgrade-worker:worker-1') && ['node.cordon', 'node.drain'].includes(r.stepId));
    expect(redone).to.deep.equal([]);
    const pool2 = c.createPool(loaded);
    try {
      const snap = await c.probe(loaded, pool2);
      for (const n of snap.state.kube!.nodes) expect(n, n.name).to.include({ ready: true, kubeletVersion: TO, unschedulable: false });
    } finally {
      await pool2.closeAll();
    }
  });
});
