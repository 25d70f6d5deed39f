// helm.release.uninstall: `helm uninstall` of a release this tool installed that the manifest
// no longer lists (the planner plans it only for releases the ownership record names), or the
// first step of repairing an install an interrupted run of ours left pending.
import { HELM_RELEASE_PARAMS, type HelmReleaseParams, helmOf, liveRelease } from './helm-release-apply.js';
import { defineOp } from './types.js';

export const helmReleaseUninstall = defineOp<HelmReleaseParams>({
  summary: 'uninstall a Helm release this tool installed with helm uninstall',
  params: HELM_RELEASE_PARAMS,
  changes: 'cluster',
  marksInflight: false,
  async run({ deps }, { release, namespace }) {
    const helm = helmOf(deps);
    await helm.client.uninstall(release, namespace, helm.cluster);
  },
  stillDone: ({ snapshot }, params) => liveRelease(snapshot.state.kube?.helmReleases, params) === undefined,
  model(world, params) {
    if (!world.kube) return;
    const gone = liveRelease(world.kube.helmReleases, params);
    world.kube.helmReleases = (world.kube.helmReleases ?? []).filter((r) => r !== gone);
  },
});
