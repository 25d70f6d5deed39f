// What differs between a release the manifest asks for and the release in the cluster: the
// one comparison the planner, the op's resume check and the model share. Pure.
import type { HelmReleaseFacts } from '../snapshot/types.js';
import type { DesiredHelmRelease } from './types.js';

/** Statuses of a revision a helm operation is still (or was, when interrupted) working on. */
export const PENDING_STATUSES = new Set(['pending-install', 'pending-upgrade', 'pending-rollback', 'uninstalling']);

const EXACT_VERSION = /^v?\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.+-]*)?$/;
const bare = (v: string): string => v.replace(/^v/, '');

/** The chart name and version the release would install, as far as they are known without the repository. */
export function wantedChart(r: DesiredHelmRelease): { name?: string; version?: string } {
  const resolved = r.chart && !('error' in r.chart) ? r.chart : undefined;
  const name = resolved?.name ?? (r.source.kind === 'repository' ? r.source.chart : undefined);
  const version = resolved?.version ?? (EXACT_VERSION.test(r.version) ? r.version : undefined);
  return { ...(name !== undefined ? { name } : {}), ...(version !== undefined ? { version } : {}) };
}

export interface ReleaseDrift {
  /** Why an upgrade is needed, one phrase each; empty when the release is as asked. */
  reasons: string[];
  valuesChanged: boolean;
  /** The version could not be compared (a constraint or the latest, and the repository did not answer). */
  versionUnknown: boolean;
}

/** How the live release differs from the desired one (the live release exists). */
export function releaseDrift(r: DesiredHelmRelease, live: HelmReleaseFacts): ReleaseDrift {
  const want = wantedChart(r);
  const reasons: string[] = [];
  if (want.name !== undefined && want.name !== live.chart) reasons.push(`it runs chart ${live.chart}, the manifest asks for ${want.name}`);
  if (want.version !== undefined && bare(want.version) !== bare(live.chartVersion)) reasons.push(`chart ${live.chart} is at version ${live.chartVersion}, the manifest asks for ${want.version}`);
  const valuesChanged = r.valuesHash !== live.valuesHash;
  if (valuesChanged) reasons.push('its values differ from the manifest\'s');
  if (live.status !== 'deployed' && !PENDING_STATUSES.has(live.status)) reasons.push(`its revision ${live.revision} is ${live.status}`);
  return { reasons, valuesChanged, versionUnknown: want.version === undefined };
}

/** The release is installed as the manifest asks (and as this tool installs it). */
export function releaseMatches(r: DesiredHelmRelease, live: HelmReleaseFacts | undefined): boolean {
  return live !== undefined && live.status === 'deployed' && releaseDrift(r, live).reasons.length === 0;
}

export const releaseKey = (r: { namespace: string; name: string }): string => `${r.namespace}/${r.name}`;
