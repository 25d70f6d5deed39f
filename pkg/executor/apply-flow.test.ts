import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import type { Plan } from '../plan/types.js';
import { fixtureCluster } from '../scripts/testing/fixtures.js';
import type { Snapshot } from '../snapshot/types.js';
import { FlowError, type FlowUi, runApplyFlow } from './apply-flow.js';
import type { Collaborators } from '../pipeline/collaborators.js';
import { readJournal, journalPath } from '../journal/journal.js';
import { FakeTransport } from '../ops/testing/fake-transport.js';
import { action, step } from './testing/plan-builder.js';

const SNAP_0 = '0'.repeat(64);
const SNAP_1 = '1'.repeat(64);

function snapshotWith(hash: string): Snapshot {
  const hosts = ['cp-1', 'cp-2', 'worker-1'].map((name, id) => ({
    name,
    id,
    role: (id < 2 ? 'controlPlane' : 'staticWorker') as 'controlPlane' | 'staticWorker',
    address: 'a',
    privateAddress: 'p',
    reachable: true,
    os: { id: 'debian', versionId: '12', prettyName: 'Debian 12' },
  }));
  return { formatVersion: 'kubeone.snapshot/v1', hash, state: { cluster: 'demo', hosts, kube: null }, meta: { tool: 't', probedAt: 'x', durationMs: 1 } };
}

function world() {
  const dir = mkdtempSync(join(tmpdir(), 'flow-'));
  const loaded = fixtureCluster();
  loaded.baseDir = dir;
  const transports = new Map(loaded.hosts.map((h) => [h.name, new FakeTransport(h.name)]));
  const state = { installed: false, probes: 0, snapshotHash: SNAP_1 };
  const installPlan = (manifestHash: string, snapshotHash: string): Plan => ({
    formatVersion: 'kubeone.plan/v1',
    snapshotHash,
    manifestHash,
    refusals: [],
    warnings: [],
    actions: state.installed ? [] : [action('install-prerequisites:worker-1', { hosts: ['worker-1'], steps: [step('host.prerequisites', 'worker-1')] })],
  });
  transports.get('worker-1')!.onScript = (s) => {
    if (s.includes('prerequisites in place')) state.installed = true;
    return {};
  };
  const c: Collaborators = {
    loadCluster: async () => loaded,
    createPool: () => ({ get: async (h) => transports.get(h.name)!, closeAll: async () => undefined }),
    probe: async () => {
      state.probes++;
      return snapshotWith(state.snapshotHash);
    },
    renderAddons: async () => [],
    computePlan: (desired, snapshot) => installPlan(desired.manifestHash, snapshot.hash),
    createTunnelledKubeConfig: async () => ({}),
    addons: { apply: async () => undefined, prune: async () => undefined },
  };
  const out: string[] = [];
  const ui = (answer: boolean): FlowUi => ({
    showPlan: (p) => out.push(`plan ${p.actions.length}`),
    confirm: async () => answer,
    info: (m) => out.push(m),
    listeners: [],
  });
  const opts = { manifestPath: join(dir, 'kubeone.yaml'), yes: false, parallelism: 2, command: 'kubeone apply', signal: new AbortController().signal };
  return { dir, loaded, transports, state, c, ui, out, opts, installPlan };
}

describe('apply flow', () => {
  it('applies, journals, releases the lock and verifies the plan is empty afterwards', async () => {
    const w = world();
    const summary = await runApplyFlow(w.c, w.ui(true), w.opts);
    expect(summary!.completed).to.deep.equal(['install-prerequisites:worker-1']);
    expect(w.state.probes).to.equal(2);
    expect(w.transports.get('cp-1')!.files.has('/var/lib/kubeone/lock.json')).to.equal(false);
    const journal = readJournal(journalPath(w.dir, 'demo'));
    expect(journal.map((r) => `${r.actionId === '*' ? 'checkpoint' : r.stepId || 'action'} ${r.event}`)).to.deep.equal([
      'host.prerequisites started',
      'host.prerequisites finished',
      'action finished',
      'checkpoint finished',
    ]);
    // Second apply: nothing to do, one probe, no lock taken, nothing executed.
    const scriptsBefore = w.transports.get('worker-1')!.scripts.length;
    expect(await runApplyFlow(w.c, w.ui(true), w.opts)).to.equal(null);
    expect(w.state.probes).to.equal(3);
    expect(w.transports.get('worker-1')!.scripts.length).to.equal(scriptsBefore);
    expect(w.out.at(-1)).to.match(/No changes/);
  });

  it('a declined confirmation touches nothing', async () => {
    const w = world();
    const err = await runApplyFlow(w.c, w.ui(false), w.opts).catch((e: unknown) => e);
    expect(err).to.be.instanceOf(FlowError);
    expect([...w.transports.values()].every((t) => t.execs.length === 0)).to.equal(true);
  });

  it('a second apply while the lock is held fails fast naming the holder', async () => {
    const w = world();
    w.transports.get('cp-1')!.files.set('/var/lib/kubeone/lock.json', {
      content: Buffer.from(JSON.stringify({ id: 'L1', owner: 'alice@laptop', pid: 1, startedAt: new Date().toISOString(), command: 'kubeone apply', leaseSeconds: 120 })),
    });
    const err = (await runApplyFlow(w.c, w.ui(true), w.opts).catch((e: unknown) => e)) as Error;
    expect(err.message).to.contain('alice@laptop').and.contain('L1');
    expect(w.transports.get('worker-1')!.scripts).to.deep.equal([]);
  });

  it('refuses a saved plan whose snapshot hash no longer matches ("stale plan")', async () => {
    const w = world();
    const planPath = join(w.dir, 'p.json');
    const desiredHash = (await import('../desired/index.js')).computeDesired(w.loaded, []).manifestHash;
    writeFileSync(planPath, JSON.stringify(w.installPlan(desiredHash, SNAP_0)));
    const err = (await runApplyFlow(w.c, w.ui(true), { ...w.opts, planFile: planPath }).catch((e: unknown) => e)) as Error;
    expect(err.message).to.match(/^stale plan/);
    expect(w.transports.get('worker-1')!.scripts).to.deep.equal([]);
    // The same plan with a matching hash is executed.
    writeFileSync(planPath, JSON.stringify(w.installPlan(desiredHash, SNAP_1)));
    const summary = await runApplyFlow(w.c, w.ui(true), { ...w.opts, planFile: planPath });
    expect(summary!.completed).to.have.length(1);
  });

  it('reports residue when the cluster still differs after execution', async () => {
    const w = world();
    w.transports.get('worker-1')!.onScript = () => ({}); // the step "succeeds" but changes nothing
    const err = (await runApplyFlow(w.c, w.ui(true), w.opts).catch((e: unknown) => e)) as Error;
    expect(err.message).to.contain('still differs').and.contain('install-prerequisites:worker-1');
  });
});

describe('apply flow: repairs are planner input', () => {
  it('a node a killed run left cordoned reaches the planner from the journal, until a verified run checkpoints the journal', async () => {
    const { JournalWriter } = await import('../journal/journal.js');
    const w = world();
    const seen: (string[] | undefined)[] = [];
    const plan = w.c.computePlan;
    w.c.computePlan = (desired, snapshot, options) => {
      seen.push(options.interrupted?.nodesLeftCordoned);
      return plan(desired, snapshot, options);
    };
    const writer = new JournalWriter(journalPath(w.dir, 'demo'));
    writer.append({ ts: 't', runId: 'r0', actionId: 'upgrade-worker:worker-1:1.36.0', stepId: 'node.drain', op: 'node.drain', event: 'finished', node: 'worker-1' });
    writer.close();
    await runApplyFlow(w.c, w.ui(true), w.opts);
    // Planned before the run, and verified after it (the run did not uncordon worker-1).
    expect(seen).to.deep.equal([['worker-1'], ['worker-1']]);
    await runApplyFlow(w.c, w.ui(true), w.opts);
    expect(seen.at(-1)).to.deep.equal([]);
  });
});

describe('apply flow: one-time requests and the PKI backup', () => {
  it('a request (--force-upgrade, certificates renew) shapes the plan that runs; the check afterwards is planned without it', async () => {
    const w = world();
    const seenOptions: Record<string, unknown>[] = [];
    const compute = w.c.computePlan;
    w.c.computePlan = (desired, snapshot, options) => {
      seenOptions.push({ ...options });
      return compute(desired, snapshot, options);
    };
    await runApplyFlow(w.c, w.ui(true), { ...w.opts, planOptions: { pruneImages: true }, requests: { forceUpgrade: true } });
    expect(seenOptions.map((o) => [o.forceUpgrade, o.pruneImages])).to.deep.equal([
      [true, true],
      [undefined, true],
    ]);
  });

  it('a run limited to some kinds (certificates renew, --no-init) leaves no checkpoint: earlier runs stay visible to apply', async () => {
    const w = world();
    await runApplyFlow(w.c, w.ui(true), { ...w.opts, planOptions: { only: ['install-prerequisites'] } });
    expect(readJournal(journalPath(w.dir, 'demo')).filter((r) => r.actionId === '*')).to.deep.equal([]);
    const v = world();
    await runApplyFlow(v.c, v.ui(true), v.opts);
    expect(readJournal(journalPath(v.dir, 'demo')).filter((r) => r.actionId === '*')).to.have.length(1);
  });

  it('writes the backup where the function of the loaded manifest says, 0600, once the leader has a CA; says so when it has none', async () => {
    const { statSync, existsSync } = await import('node:fs');
    const w = world();
    const path = join(w.dir, 'demo.tar.gz');
    const backupPath = (loaded: { cluster: { name?: string } }) => join(w.dir, `${loaded.cluster.name}.tar.gz`);
    await runApplyFlow(w.c, w.ui(true), { ...w.opts, backupPath });
    expect(existsSync(path)).to.equal(false);
    expect(w.out.join('\n')).to.contain('No PKI backup written: cp-1 has no cluster CA yet');

    const { SHARED_PKI } = await import('../ops/pki.js');
    for (const f of SHARED_PKI) w.transports.get('cp-1')!.files.set(`/etc/kubernetes/pki/${f}`, { content: Buffer.from(`content of ${f}`) });
    await runApplyFlow(w.c, w.ui(true), { ...w.opts, backupPath });
    expect(statSync(path).mode & 0o777).to.equal(0o600);
    expect(w.out.join('\n')).to.contain(`PKI backup written to ${path} (mode 0600)`);
  });
});
