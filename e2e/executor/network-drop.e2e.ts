// A worker's network drops in the middle of a run: the control plane still converges, the
// summary names the worker, and once it is back the next run finishes it.
import { expect } from 'chai';
import type { LoadedCluster } from '../../pkg/api/types.js';
import type { ExecutorEvent } from '../../pkg/executor/types.js';
import { fakeBundle, loadFleetManifest, runOnHosts, sshPool, useFleet } from './helpers.js';

async function runOnce(loaded: LoadedCluster, onEvent: (e: ExecutorEvent) => void = () => undefined) {
  const pool = sshPool(loaded, { connectTimeoutMs: 3000, connectRetries: 0 });
  try {
    return await runOnHosts(loaded, pool, { listeners: [onEvent], retry: { attempts: 3, baseDelayMs: 1000, factor: 2, maxDelayMs: 4000 } });
  } finally {
    await pool.closeAll();
  }
}

describe('executor: a worker drops off the network mid-run', function () {
  this.timeout(600_000);
  const fleet = useFleet({ controlPlanes: 1, workers: 1 });

  it('control plane converges, the summary names the worker, the next run finishes it', async () => {
    const loaded = loadFleetManifest(fleet().manifestPath, { kubernetesBinaries: { bundle: { path: fakeBundle('1.35.1') } }, versions: { kubernetes: '1.35.1' } });
    let dropped: Promise<void> | undefined;
    const first = await runOnce(loaded, (e) => {
      // After containerd's packages are in: a drop during `apt-get install` leaves the host's apt
      // running without its mirror, holding the dpkg lock, and the next run waits for that lock
      // (up to 10 minutes, DPkg::Lock::Timeout) longer than this test may take.
      if (!dropped && e.type === 'step-started' && e.host === 'worker-1' && e.op === 'host.containerd.configure') dropped = fleet().disconnect('worker-1');
    });
    await dropped;
    expect(first.summary.completed).to.deep.equal(['prepare-host:cp-1']);
    expect(first.summary.failed.map((f) => f.host)).to.deep.equal(['worker-1']);
    expect(first.summary.failed[0]!.error).to.match(/worker-1/);

    await fleet().reconnect('worker-1');
    const second = await runOnce(loaded);
    expect(second.actions.map((a) => a.id)).to.deep.equal(['prepare-host:worker-1']);
    expect(second.summary.failed).to.deep.equal([]);
    expect(second.summary.completed).to.deep.equal(['prepare-host:worker-1']);
  });
});
