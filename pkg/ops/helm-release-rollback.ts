// helm.release.rollback: `helm rollback` to the previous revision, planned only to end a
// pending upgrade or rollback that an interrupted run of ours left on one of its releases
// (helm refuses any other operation on it until then). The upgrade follows in the same action.
import { HELM_RELEASE_PARAMS, type HelmReleaseParams, helmOf, liveRelease } from './helm-release-apply.js';
import { defineOp } from './types.js';

export const helmReleaseRollback = defineOp<HelmReleaseParams>({
  summary: 'roll a Helm release back to its previous revision (ends a pending operation an interrupted run left)',
  params: HELM_RELEASE_PARAMS,
  changes: 'cluster',
  marksInflight: false,
  async run({ deps }, { release, namespace }) {
    const helm = helmOf(deps);
    await helm.client.rollback(release, namespace, helm.cluster);
  },
  // Its effect: the release is no longer pending.
  stillDone: ({ snapshot }, params) => liveRelease(snapshot.state.kube?.helmReleases, params)?.status === 'deployed',
  model(world, params) {
    const live = liveRelease(world.kube?.helmReleases, params);
    if (!live) throw new Error('model: helm.release.rollback of a release that does not exist');
    Object.assign(live, { status: 'deployed', revision: live.revision + 1 });
  },
});
