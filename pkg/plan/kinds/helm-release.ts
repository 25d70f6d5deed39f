// Helm releases (helmReleases): installed when missing, upgraded when the chart, its version,
// the values or a failed last operation say so, uninstalled when the ownership record
// (kube-system/kubeone-ownership) names them and the manifest no longer lists them. Releases
// the record does not name (someone else's, or KubeOne's: its released-by-kubeone label alone
// does not make a release this tool's) are left alone and listed. All after the addons (the CNI
// and the core addons first, as KubeOne), one at a time in manifest order (a release may need
// the CRDs of an earlier one), uninstalls last.
import { PENDING_STATUSES, releaseDrift, releaseKey, wantedChart } from '../../helm/compare.js';
import { describeSource, RELEASED_BY_KUBEONE, type DesiredHelmRelease } from '../../helm/types.js';
import { diffValues } from '../../helm/values.js';
import { OWNERSHIP_REF } from '../../ownership/record.js';
import type { HelmReleaseFacts, OwnershipRecord } from '../../snapshot/types.js';
import type { PlanContext } from '../context.js';
import type { ActionDraft, Stage } from '../kind.js';
import type { ValuesChange } from '../types.js';
import { addonsAfter } from './apply-addon.js';
import { step } from './steps.js';

type HelmKind = 'install-helm-release' | 'upgrade-helm-release' | 'uninstall-helm-release';

export const idOf = (kind: HelmKind, r: { namespace: string; name: string }): string => `${kind}:${releaseKey(r)}`;

const chartPhrase = (r: DesiredHelmRelease): string => {
  const want = wantedChart(r);
  return `${want.name ?? describeSource(r.source)}${want.version ? ` ${want.version}` : r.version ? ` ${r.version}` : ''}`;
};

const withValuesDiff = (valuesDiff: ValuesChange[]): { valuesDiff?: ValuesChange[] } => (valuesDiff.length > 0 ? { valuesDiff } : {});

function applyStep(r: DesiredHelmRelease) {
  return step('helm.release.apply', undefined, `helm upgrade --install ${releaseKey(r)} (${chartPhrase(r)})`, { release: r.name, namespace: r.namespace });
}

/** Why no action can be planned for a release whose chart helm could not find. */
function refuseUnavailable(ctx: PlanContext, r: DesiredHelmRelease, id: string, error: string): void {
  ctx.b.refuse(
    {
      rule: 'chart-unavailable',
      hosts: [],
      message: `${error} (helmReleases[${r.index}])`,
      hint: 'check chart, repoURL/chartURL, version and auth, and that the chart source answers from this machine (helm runs here); or remove the release from the manifest',
    },
    [id],
  );
}

function planRelease(ctx: PlanContext, r: DesiredHelmRelease, live: HelmReleaseFacts | undefined, after: string[]): ActionDraft<HelmKind> | null {
  const chartError = r.chart && 'error' in r.chart ? r.chart.error : undefined;
  const base = { hosts: [], dependsOn: after };
  if (!live) {
    const id = idOf('install-helm-release', r);
    if (chartError !== undefined) return refuseUnavailable(ctx, r, id, chartError), null;
    return {
      ...base,
      kind: 'install-helm-release',
      id,
      title: `install helm release ${releaseKey(r)}`,
      reason: `helmReleases[${r.index}] asks for ${chartPhrase(r)} and no release ${r.name} exists in namespace ${r.namespace}`,
      steps: [applyStep(r)],
      ...withValuesDiff(diffValues({}, r.valuesView)),
    };
  }
  const id = idOf('upgrade-helm-release', r);
  if (PENDING_STATUSES.has(live.status) && live.managed && ctx.options.interrupted?.helmReleases?.includes(releaseKey(r))) {
    if (chartError !== undefined) return refuseUnavailable(ctx, r, id, chartError), null;
    return recoverPending(r, live, base);
  }
  if (PENDING_STATUSES.has(live.status)) {
    ctx.b.refuse(
      {
        rule: 'release-pending',
        hosts: [],
        message: `helm release ${releaseKey(r)} is ${live.status} (revision ${live.revision}): a helm operation on it is running or was interrupted`,
        hint: `wait for it to end; if none is running, end it with \`helm rollback ${r.name} -n ${r.namespace}\` (or \`helm uninstall\` for a pending install), then plan again`,
      },
      [id],
    );
    return null;
  }
  const drift = releaseDrift(r, live);
  if (drift.reasons.length === 0) {
    if (chartError !== undefined && drift.versionUnknown) ctx.b.warn(`helm release ${releaseKey(r)}: a newer chart version was not checked: ${chartError}`);
    return null;
  }
  if (chartError !== undefined) return refuseUnavailable(ctx, r, id, chartError), null;
  const reasons = [...drift.reasons];
  const valuesDiff = diffValues(live.values, r.valuesView);
  if (drift.valuesChanged && valuesDiff.length === 0) reasons[reasons.indexOf('its values differ from the manifest\'s')] = 'its values differ from the manifest\'s in redacted (secret) values';
  if (!live.managed) reasons.push(`it was not installed by kubeone (no ${RELEASED_BY_KUBEONE} label) and is taken over`);
  else if (ctx.kube?.ownership !== undefined && !ctx.kube.ownership?.helmReleases?.includes(releaseKey(r))) {
    // KubeOne's label, but not kubeone's record: a release KubeOne installed, from now on kubeone's.
    reasons.push(`it carries the ${RELEASED_BY_KUBEONE} label but ${OWNERSHIP_REF} does not name it (KubeOne's?): it is taken over`);
  }
  return {
    ...base,
    kind: 'upgrade-helm-release',
    id,
    title: `upgrade helm release ${releaseKey(r)}`,
    reason: `${reasons.join('; ')} (helmReleases[${r.index}])`,
    steps: [applyStep(r)],
    ...withValuesDiff(valuesDiff),
  };
}

/**
 * A release an interrupted run of ours left pending (the journal says our helm step on it
 * never ended): helm refuses to touch it until the pending operation is ended, so it is
 * rolled back to its previous revision (a pending upgrade or rollback) or uninstalled (a
 * pending install, or an uninstall that did not finish), then upgraded to the manifest.
 */
function recoverPending(r: DesiredHelmRelease, live: HelmReleaseFacts, base: { hosts: never[]; dependsOn: string[] }): ActionDraft<HelmKind> {
  const rollback = live.status === 'pending-upgrade' || live.status === 'pending-rollback';
  const params = { release: r.name, namespace: r.namespace };
  const end = rollback
    ? step('helm.release.rollback', undefined, `helm rollback ${releaseKey(r)} (ends the interrupted ${live.status.replace('pending-', '')})`, params)
    : step('helm.release.uninstall', undefined, `helm uninstall ${releaseKey(r)} (ends the interrupted ${live.status === 'uninstalling' ? 'uninstall' : 'install'})`, params);
  return {
    ...base,
    kind: 'upgrade-helm-release',
    id: idOf('upgrade-helm-release', r),
    title: `repair helm release ${releaseKey(r)}`,
    reason: `an interrupted kubeone run left revision ${live.revision} ${live.status}: ${rollback ? 'roll back to the previous revision' : 'uninstall it'}, then install ${chartPhrase(r)} (helmReleases[${r.index}])`,
    steps: [end, applyStep(r)],
    ...withValuesDiff(diffValues(rollback ? live.values : {}, r.valuesView)),
  };
}

export const helmReleases: Stage<HelmKind> = {
  name: 'install, upgrade and uninstall Helm releases, after the addons',
  when: ['create', 'reconcile'],
  kinds: {
    'install-helm-release': { change: '+', serial: true, disruptive: false },
    'upgrade-helm-release': { change: '~', serial: true, disruptive: false },
    'uninstall-helm-release': { change: '-', serial: true, disruptive: false },
  },
  plan(ctx) {
    const desired = ctx.desired.helmReleases;
    if (desired === undefined) return [];
    const live = ctx.kube === null ? [] : ctx.kube.helmReleases;
    if (live === undefined) {
      ctx.b.warn('helm releases were not read from the cluster; they were not checked');
      return [];
    }
    const byKey = new Map(live.map((l) => [releaseKey(l), l]));
    const drafts: ActionDraft<HelmKind>[] = [];
    let after = [...ctx.b.planned('apply-addon').map((a) => a.id), ...addonsAfter(ctx)];
    const chain = (draft: ActionDraft<HelmKind> | null, id: string): void => {
      if (draft) drafts.push(draft);
      // The next release waits for this one, planned or refused.
      if (draft || ctx.b.isBlocked(id)) after = [id];
    };
    for (const r of desired) {
      const current = byKey.get(releaseKey(r));
      chain(planRelease(ctx, r, current, after), idOf(current ? 'upgrade-helm-release' : 'install-helm-release', r));
    }
    const wanted = new Set(desired.map(releaseKey));
    const recorded = new Set(ctx.kube?.ownership?.helmReleases ?? []);
    const foreign: string[] = [];
    for (const l of live) {
      if (wanted.has(releaseKey(l))) continue;
      if (!recorded.has(releaseKey(l))) {
        foreign.push(`${releaseKey(l)} (${l.chart} ${l.chartVersion}${l.managed ? `, labelled ${RELEASED_BY_KUBEONE}: KubeOne's?` : ''})`);
        continue;
      }
      const id = idOf('uninstall-helm-release', l);
      chain(
        {
          kind: 'uninstall-helm-release',
          id,
          hosts: [],
          title: `uninstall helm release ${releaseKey(l)}`,
          reason: `release ${l.name} in namespace ${l.namespace} (${l.chart} ${l.chartVersion}) is kubeone's (${OWNERSHIP_REF}) and is no longer in helmReleases`,
          dependsOn: after,
          steps: [step('helm.release.uninstall', undefined, `helm uninstall ${releaseKey(l)}`, { release: l.name, namespace: l.namespace })],
        },
        id,
      );
    }
    if (foreign.length > 0) ctx.b.warn(`helm releases kubeone did not install are left alone: ${foreign.join(', ')}; \`helm uninstall -n NAMESPACE RELEASE\` removes one`);
    return drafts;
  },
};

/** The release a helm action is about (`<namespace>/<release>`, the tail of its id). */
const releaseOfAction = (id: string): string => id.slice(id.indexOf(':') + 1);

/**
 * The Helm releases the ownership record names once this plan has run: those it installs or
 * upgrades (a release someone else installed becomes kubeone's when kubeone upgrades it), and
 * the recorded ones that still exist and are not uninstalled now. A release of the manifest
 * kubeone finds as the manifest asks and never touches is not recorded: kubeone did not
 * install it, so leaving the manifest does not uninstall it. Releases not read, or not
 * evaluated: the record's entries stay.
 */
export function recordedReleases(ctx: PlanContext, old: OwnershipRecord): string[] {
  const live = ctx.kube === null ? [] : ctx.kube.helmReleases;
  if (ctx.desired.helmReleases === undefined || live === undefined) return [...(old.helmReleases ?? [])];
  const liveKeys = new Set(live.map(releaseKey));
  const applied = [...ctx.b.planned('install-helm-release'), ...ctx.b.planned('upgrade-helm-release')].map((a) => releaseOfAction(a.id));
  const uninstalled = new Set(ctx.b.planned('uninstall-helm-release').map((a) => releaseOfAction(a.id)));
  const kept = (old.helmReleases ?? []).filter((k) => liveKeys.has(k) && !uninstalled.has(k));
  return [...new Set([...applied, ...kept])];
}
