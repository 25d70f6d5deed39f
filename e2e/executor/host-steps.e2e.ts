// Host steps on real Debian hosts (sandbox fleet): prerequisites, containerd from the OS
// repository, its config, kube binaries from an uploaded bundle, kubelet files. The probe
// then sees exactly the hashes computeDesired predicted, and a second run changes nothing.
import { expect } from 'chai';
import { computeDesired } from '../../pkg/desired/index.js';
import { execute } from '../../pkg/executor/engine.js';
import { readJournal, journalPath } from '../../pkg/journal/journal.js';
import { buildRunContext } from '../../pkg/executor/run-context.js';
import type { Action, Plan } from '../../pkg/plan/types.js';
import type { LoadedCluster } from '../../pkg/api/types.js';
import type { TransportPool } from '../../pkg/pipeline/collaborators.js';
import { type FleetLike, fakeBundle, hostActions, loadFleetManifest, probeHosts, sshPool, startTestFleet } from './helpers.js';

describe('executor host steps on the sandbox fleet', function () {
  this.timeout(600_000);
  let fleet: FleetLike;
  let loaded: LoadedCluster;
  let pool: TransportPool;

  before(async () => {
    fleet = await startTestFleet(1, 1);
    loaded = loadFleetManifest(fleet.manifestPath, { kubernetesBinaries: { bundle: { path: fakeBundle('1.35.1') } }, versions: { kubernetes: '1.35.1' } });
    pool = await sshPool(loaded);
  });
  after(async () => {
    await pool?.closeAll();
    await fleet?.destroy();
  });

  async function run(actions: Action[]) {
    const snapshot = await probeHosts(loaded, pool);
    const desired = computeDesired(loaded, []);
    const plan: Plan = { formatVersion: 'kubeone.plan/v1', snapshotHash: snapshot.hash, manifestHash: desired.manifestHash, actions, refusals: [], warnings: [] };
    const ctx = buildRunContext({
      loaded, snapshot, desired, plan, actions, pool, parallelism: 2, listeners: [], signal: new AbortController().signal,
      collaborators: { createTunnelledKubeConfig: async () => ({}), addons: { apply: async () => undefined, prune: async () => undefined } } as never,
    });
    try {
      return await execute(actions, ctx.options);
    } finally {
      ctx.close();
    }
  }

  it('installs and configures; the probe sees what computeDesired predicted', async () => {
    // Someone else (say, an orphaned command of a killed run) holds dpkg's lock for a while:
    // the install waits for it instead of failing.
    await fleet.exec(
      'worker-1',
      `setsid python3 -c 'import fcntl,time; f=open("/var/lib/dpkg/lock-frontend","w"); fcntl.lockf(f, fcntl.LOCK_EX); time.sleep(15)' >/dev/null 2>&1 < /dev/null &`,
    );
    const summary = await run(hostActions(loaded));
    expect(summary.failed, JSON.stringify(summary.failed)).to.deep.equal([]);
    expect(summary.completed).to.have.length(2);
    const snapshot = await probeHosts(loaded, pool);
    const desired = computeDesired(loaded, []);
    for (const facts of snapshot.state.hosts) {
      expect(facts.reachable).to.equal(true);
      expect(facts.containerd?.unit.active, `${facts.name} containerd`).to.equal('active');
      expect(facts.kubelet?.version).to.equal('1.35.1');
      expect(facts.binaries).to.deep.equal({ origin: 'bundle', version: '1.35.1' });
      expect(facts.swapOn).to.equal(false);
      for (const [path, sha] of Object.entries(desired.managedFiles[facts.name]!)) {
        expect(facts.managedFiles?.[path]?.sha256, `${facts.name}:${path}`).to.equal(sha);
      }
      expect(facts.inflight ?? null).to.equal(null);
    }
    const journal = readJournal(journalPath(loaded.baseDir, loaded.cluster.name!));
    expect(journal.filter((r) => r.event === 'finished' && r.stepId !== '')).to.have.length(10);
  });

  it('a second run is harmless: no file rewritten, containerd not restarted', async () => {
    const state = async () =>
      Promise.all(
        loaded.hosts.map(async (h) => {
          const r = await fleet.exec(h.name, 'stat -c %Y /etc/containerd/config.toml /var/lib/kubelet/config.yaml /usr/local/bin/kubelet /etc/systemd/system/kubelet.service; systemctl show -p MainPID --value containerd');
          return r.stdout;
        }),
      );
    const before = await state();
    const summary = await run(hostActions(loaded));
    expect(summary.failed).to.deep.equal([]);
    expect(await state()).to.deep.equal(before);
  });
});
