// The helm ops: they run the manifest's release (never values from the plan) through the
// run's helm client and cluster access; a resumed run skips a finished step only when the
// fresh snapshot shows its effect.
import { expect } from 'chai';
import type { ClusterAccess, HelmClient } from '../helm/client.js';
import { desiredRelease, liveRelease } from '../helm/testing/releases.js';
import type { DesiredHelmRelease } from '../helm/types.js';
import type { DesiredState } from '../plan/types.js';
import type { HelmReleaseFacts, Snapshot } from '../snapshot/types.js';
import type { OpDeps } from './context.js';
import { helmReleaseApply } from './helm-release-apply.js';
import { helmReleaseRollback } from './helm-release-rollback.js';
import { helmReleaseUninstall } from './helm-release-uninstall.js';
import type { OpContext, ResumeView } from './types.js';

const calls: string[] = [];
const access: ClusterAccess = { kubeconfig: 'kubeconfig text', close: async () => undefined };
const client: HelmClient = {
  showChart: async () => ({ name: 'web', version: '1.0.0' }),
  upgradeInstall: async (r, cluster) => void calls.push(`upgrade ${r.namespace}/${r.name} ${JSON.stringify(r.values)} ${(await cluster()).kubeconfig}`),
  uninstall: async (name, namespace, cluster) => void calls.push(`uninstall ${namespace}/${name} ${(await cluster()).kubeconfig}`),
  rollback: async (name, namespace, cluster) => void calls.push(`rollback ${namespace}/${name} ${(await cluster()).kubeconfig}`),
};

function context(releases: DesiredHelmRelease[], helm = true): OpContext {
  const deps = { desired: { helmReleases: releases } as DesiredState, ...(helm ? { helm: { client, cluster: async () => access } } : {}) } as unknown as OpDeps;
  return { deps, step: { id: 'helm.release.apply' }, action: {} as never, runId: 'r', signal: new AbortController().signal };
}

function view(releases: DesiredHelmRelease[], live: HelmReleaseFacts[]): ResumeView {
  const snapshot = { state: { kube: { helmReleases: live } } } as unknown as Snapshot;
  return { snapshot, desired: { helmReleases: releases } as DesiredState, hostName: undefined, host: undefined, node: undefined };
}

describe('helm ops', () => {
  beforeEach(() => (calls.length = 0));

  it('helm.release.apply runs the desired release with its values through the cluster access', async () => {
    const web = desiredRelease('web', { values: { replicas: 2 } });
    await helmReleaseApply.run(context([web]), { release: 'web', namespace: 'apps' });
    expect(calls).to.deep.equal(['upgrade apps/web {"replicas":2} kubeconfig text']);
  });

  it('refuses a release that is not the manifest\'s, or a run without a helm client', async () => {
    const web = desiredRelease('web');
    const missing = await helmReleaseApply.run(context([web]), { release: 'other', namespace: 'apps' }).then(() => null, (e: Error) => e);
    expect(missing?.message).to.equal('helm.release.apply: apps/other is not a release of the manifest');
    expect((missing as { transient?: boolean }).transient).to.equal(false);
    const noHelm = await helmReleaseApply.run(context([web], false), { release: 'web', namespace: 'apps' }).then(() => null, (e: Error) => e);
    expect(noHelm?.message).to.match(/need the helm client/);
    expect(calls).to.deep.equal([]);
  });

  it('helm.release.uninstall and helm.release.rollback act by name and namespace', async () => {
    await helmReleaseUninstall.run(context([]), { release: 'old', namespace: 'apps' });
    await helmReleaseRollback.run(context([]), { release: 'web', namespace: 'apps' });
    expect(calls).to.deep.equal(['uninstall apps/old kubeconfig text', 'rollback apps/web kubeconfig text']);
  });

  it('resume: a finished step is skipped only when the snapshot shows its effect', () => {
    const web = desiredRelease('web', { values: { replicas: 2 } });
    const params = { release: 'web', namespace: 'apps' };
    expect(helmReleaseApply.stillDone(view([web], [liveRelease('web', { config: { replicas: 2 } })]), params)).to.equal(true);
    expect(helmReleaseApply.stillDone(view([web], [liveRelease('web', { config: { replicas: 1 } })]), params)).to.equal(false);
    expect(helmReleaseApply.stillDone(view([web], [liveRelease('web', { config: { replicas: 2 }, status: 'failed' })]), params)).to.equal(false);
    expect(helmReleaseApply.stillDone(view([web], []), params)).to.equal(false);
    expect(helmReleaseUninstall.stillDone(view([], []), { release: 'old', namespace: 'apps' })).to.equal(true);
    expect(helmReleaseUninstall.stillDone(view([], [liveRelease('old')]), { release: 'old', namespace: 'apps' })).to.equal(false);
    expect(helmReleaseRollback.stillDone(view([], [liveRelease('web', { status: 'pending-upgrade' })]), params)).to.equal(false);
    expect(helmReleaseRollback.stillDone(view([], [liveRelease('web')]), params)).to.equal(true);
  });
});
