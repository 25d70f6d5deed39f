// SIGKILL in the middle of a run: the journal and the in-flight marker show where it died,
// the next run takes over the dead run's lock, waits for the orphaned remote command (still
// running apt on the host), skips every step the first run finished and converges.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { journalPath, readJournal } from '../../pkg/journal/journal.js';
import { interruptedActions } from '../../pkg/journal/resume.js';
import { fakeBundle, loadFleetManifest, probeHosts, sshPool, startRunner, useFleet } from './helpers.js';

const RUNNER = fileURLToPath(new URL('./run-host-plan.ts', import.meta.url));

describe('executor: SIGKILL mid-run, then resume', function () {
  this.timeout(600_000);
  const fleet = useFleet({ controlPlanes: 1, workers: 1 });

  it('the next run finishes the job without redoing a completed step', async () => {
    const bundle = fakeBundle('1.35.1');
    const manifest = fleet().manifestPath;
    const loaded = loadFleetManifest(manifest, { kubernetesBinaries: { bundle: { path: bundle } }, versions: { kubernetes: '1.35.1' } });
    const path = journalPath(loaded.baseDir, loaded.cluster.name!);
    // Kill while worker-1 installs containerd (its prerequisites are done by then).
    const first = await startRunner(RUNNER, [manifest, bundle, '1.35.1'], {
      when: (out) => out.split('\n').some((l) => l.includes('"step-started"') && l.includes('host.containerd.install') && l.includes('worker-1')),
      delayMs: 1500,
    }).done;
    expect(first.signal).to.equal('SIGKILL');
    expect(existsSync(path)).to.equal(true);
    const before = readJournal(path);
    const interrupted = interruptedActions(before);
    expect(interrupted.get('prepare-host:worker-1')?.inFlightStep).to.equal('host.containerd.install');
    const finishedBefore = before.filter((r) => r.event === 'finished' && r.stepId !== '').map((r) => `${r.actionId}/${r.stepId}`);
    expect(finishedBefore).to.include('prepare-host:worker-1/host.prerequisites');

    // The dead run left its lock and its in-flight marker behind.
    const pool = sshPool(loaded);
    try {
      const snap = await probeHosts(loaded, pool);
      expect(snap.state.hosts.find((h) => h.name === 'worker-1')!.inflight).to.include({ step: 'host.containerd.install' });
      expect(snap.state.hosts.find((h) => h.name === 'cp-1')!.lock).to.not.equal(null);
    } finally {
      await pool.closeAll();
    }

    const second = await startRunner(RUNNER, [manifest, bundle, '1.35.1']).done;
    expect(second.code, second.out).to.equal(0);
    const after = readJournal(path).slice(before.length);
    const rerun = after.filter((r) => r.event === 'started').map((r) => `${r.actionId}/${r.stepId}`);
    for (const done of finishedBefore) expect(rerun, `${done} was redone`).not.to.include(done);
    const skipped = after.filter((r) => r.event === 'skipped').map((r) => `${r.actionId}/${r.stepId}`);
    expect(skipped).to.include.members(finishedBefore);
    expect(interruptedActions(readJournal(path)).size).to.equal(0);

    const pool2 = sshPool(loaded);
    try {
      const snap = await probeHosts(loaded, pool2);
      for (const h of snap.state.hosts) {
        expect(h.containerd?.unit.active, h.name).to.equal('active');
        expect(h.kubelet?.version, h.name).to.equal('1.35.1');
        expect(h.inflight ?? null, h.name).to.equal(null);
        expect(h.lock ?? null, h.name).to.equal(null);
      }
    } finally {
      await pool2.closeAll();
    }
  });
});
