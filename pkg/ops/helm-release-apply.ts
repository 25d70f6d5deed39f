// helm.release.apply: `helm upgrade --install` of one release of the manifest, with the real
// helm client, through the leader's SSH tunnel (a temporary kubeconfig, pkg/helm/client.ts).
// The release and its values come from the run's desired state: the plan names the release
// only, so values and credentials never reach the plan or the journal.
import type { JSONSchemaType } from 'ajv';
import { releaseMatches } from '../helm/compare.js';
import type { DesiredHelmRelease } from '../helm/types.js';
import type { DesiredState } from '../plan/types.js';
import type { HelmReleaseFacts } from '../snapshot/types.js';
import type { OpDeps } from './context.js';
import { PreconditionError } from './errors.js';
import { defineOp } from './types.js';

export interface HelmReleaseParams {
  release: string;
  namespace: string;
}

export const HELM_RELEASE_PARAMS: JSONSchemaType<HelmReleaseParams> = {
  type: 'object',
  additionalProperties: false,
  required: ['release', 'namespace'],
  properties: {
    // helm's release names: lower-case DNS-1123 subdomains of at most 53 characters.
    release: { type: 'string', minLength: 1, maxLength: 53, pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$' },
    namespace: { type: 'string', minLength: 1, maxLength: 63, pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$' },
  },
};

export function desiredRelease(desired: DesiredState, { release, namespace }: HelmReleaseParams): DesiredHelmRelease | undefined {
  return desired.helmReleases?.find((r) => r.name === release && r.namespace === namespace);
}

export function liveRelease(releases: readonly HelmReleaseFacts[] | undefined, { release, namespace }: HelmReleaseParams): HelmReleaseFacts | undefined {
  return releases?.find((r) => r.name === release && r.namespace === namespace);
}

export function helmOf(deps: OpDeps): NonNullable<OpDeps['helm']> {
  if (!deps.helm) throw new PreconditionError('helm releases need the helm client, which this run was not given');
  return deps.helm;
}

export const helmReleaseApply = defineOp<HelmReleaseParams>({
  summary: 'install or upgrade a Helm release of the manifest with helm upgrade --install',
  params: HELM_RELEASE_PARAMS,
  changes: 'cluster',
  marksInflight: false,
  async run({ deps }, params) {
    const release = desiredRelease(deps.desired, params);
    if (!release) throw new PreconditionError(`helm.release.apply: ${params.namespace}/${params.release} is not a release of the manifest`);
    const helm = helmOf(deps);
    await helm.client.upgradeInstall(release, helm.cluster);
  },
  stillDone: ({ snapshot, desired }, params) => {
    const release = desiredRelease(desired, params);
    return release !== undefined && releaseMatches(release, liveRelease(snapshot.state.kube?.helmReleases, params));
  },
  model(world, params) {
    const release = desiredRelease(world.desired, params);
    if (!release || !world.kube) throw new Error('model: helm.release.apply of a release that is not desired, or without a cluster');
    const releases = (world.kube.helmReleases ??= []);
    const previous = liveRelease(releases, params);
    const resolved = release.chart && !('error' in release.chart) ? release.chart : undefined;
    const facts: HelmReleaseFacts = {
      name: release.name,
      namespace: release.namespace,
      revision: (previous?.revision ?? 0) + 1,
      status: 'deployed',
      chart: resolved?.name ?? (release.source.kind === 'repository' ? release.source.chart : previous?.chart ?? ''),
      chartVersion: resolved?.version ?? (release.version || previous?.chartVersion || ''),
      appVersion: previous?.appVersion ?? '',
      valuesHash: release.valuesHash,
      values: structuredClone(release.valuesView),
      managed: true,
    };
    world.kube.helmReleases = [...releases.filter((r) => r !== previous), facts];
  },
});
