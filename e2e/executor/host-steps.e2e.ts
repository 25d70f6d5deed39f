// Host steps on real Debian hosts (sandbox fleet): prerequisites, containerd from the OS
// repository, its config, kube binaries from an uploaded bundle, kubelet files. The probe
// then sees exactly the hashes computeDesired predicted, and a second run changes nothing.
import { expect } from 'chai';
import type { LoadedCluster } from '../../pkg/api/types.js';
import { computeDesired } from '../../pkg/desired/index.js';
import { journalPath, readJournal } from '../../pkg/journal/journal.js';
import type { TransportPool } from '../../pkg/pipeline/collaborators.js';
import { fakeBundle, hostActions, loadFleetManifest, probeHosts, runOnHosts, sshPool, useFleet } from './helpers.js';

describe('executor host steps on the sandbox fleet', function () {
  this.timeout(600_000);
  const fleet = useFleet({ controlPlanes: 1, workers: 1 });
  let loaded: LoadedCluster;
  let pool: TransportPool;

  before(() => {
    loaded = loadFleetManifest(fleet().manifestPath, { kubernetesBinaries: { bundle: { path: fakeBundle('1.35.1') } }, versions: { kubernetes: '1.35.1' } });
    pool = sshPool(loaded);
  });
  fleet.onTeardown(() => pool?.closeAll());

  const run = async () => (await runOnHosts(loaded, pool, { actions: () => hostActions(loaded) })).summary;

  it('installs and configures; the probe sees what computeDesired predicted', async () => {
    // Someone else (say, an orphaned command of a killed run) holds dpkg's lock for a while:
    // the install waits for it instead of failing.
    await fleet().exec(
      'worker-1',
      `setsid python3 -c 'import fcntl,time; f=open("/var/lib/dpkg/lock-frontend","w"); fcntl.lockf(f, fcntl.LOCK_EX); time.sleep(15)' >/dev/null 2>&1 < /dev/null &`,
    );
    const summary = await run();
    expect(summary.failed, JSON.stringify(summary.failed)).to.deep.equal([]);
    expect(summary.completed).to.have.length(2);
    const snapshot = await probeHosts(loaded, pool);
    // The snapshot tells which containerd runs (its config format follows the major).
    const desired = computeDesired(loaded, [], { facts: snapshot.state.hosts });
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
          const r = await fleet().exec(h.name, 'stat -c %Y /etc/containerd/config.toml /var/lib/kubelet/config.yaml /usr/local/bin/kubelet /etc/systemd/system/kubelet.service; systemctl show -p MainPID --value containerd');
          return r.stdout;
        }),
      );
    const before = await state();
    const summary = await run();
    expect(summary.failed).to.deep.equal([]);
    expect(await state()).to.deep.equal(before);
  });

  it('a local user cannot stall the steps: the step lock is root\'s, in /run/kubeone', async () => {
    // The old lock file in world-writable /tmp, held by an unprivileged user for longer than the test.
    await fleet().exec('worker-1', `su -s /bin/sh nobody -c 'setsid flock /tmp/kubeone-step.lock sleep 900 >/dev/null 2>&1 < /dev/null &'`);
    const start = Date.now();
    const summary = await run();
    expect(summary.failed).to.deep.equal([]);
    expect(Date.now() - start).to.be.below(300_000);
    const dir = await fleet().exec('worker-1', "stat -c '%U %a' /run/kubeone; su -s /bin/sh nobody -c 'flock -n /run/kubeone/step.lock true' 2>&1; echo rc=$?");
    expect(dir.stdout).to.match(/^root 700\n/);
    expect(dir.stdout).to.match(/rc=[1-9]/);
  });

  it('a proxy with credentials reaches containerd and kubelet through a 0600 environment file, nothing sourced', async () => {
    const proxy = { http: 'http://user:p%40ss@proxy.invalid:3128', https: 'http://user:p%40ss@proxy.invalid:3129', noProxy: '.corp,10.0.0.0/8' };
    loaded = { ...loaded, cluster: { ...loaded.cluster, proxy } };
    const summary = await run();
    expect(summary.failed, JSON.stringify(summary.failed)).to.deep.equal([]);
    const snapshot = await probeHosts(loaded, pool);
    const desired = computeDesired(loaded, [], { facts: snapshot.state.hosts });
    for (const facts of snapshot.state.hosts) {
      for (const [path, sha] of Object.entries(desired.managedFiles[facts.name]!)) expect(facts.managedFiles?.[path]?.sha256, `${facts.name}:${path}`).to.equal(sha);
      const r = await fleet().exec(
        facts.name,
        [
          'stat -c "%n %U %a" /etc/kubeone/proxy.env /etc/kubeone/proxy.curlrc /etc/apt/apt.conf.d/90kubeone-proxy',
          'tr "\\0" "\\n" < /proc/$(systemctl show -p MainPID --value containerd)/environ | grep -i _proxy= | sort',
          'systemctl show -p DropInPaths kubelet',
          'grep -ci proxy /etc/environment || true',
        ].join('; '),
      );
      expect(r.stdout).to.contain('/etc/kubeone/proxy.env root 600').and.contain('/etc/kubeone/proxy.curlrc root 600').and.contain('/etc/apt/apt.conf.d/90kubeone-proxy root 600');
      expect(r.stdout).to.contain('HTTP_PROXY=http://user:p%40ss@proxy.invalid:3128\n').and.contain('HTTPS_PROXY=http://user:p%40ss@proxy.invalid:3129\n');
      expect(r.stdout).to.contain('NO_PROXY=.corp,10.0.0.0/8\n');
      expect(r.stdout).to.match(/DropInPaths=.*\/etc\/systemd\/system\/kubelet\.service\.d\/http-proxy\.conf/);
      expect(r.stdout.trim().split('\n').pop()).to.equal('0');
    }
  });
});
