// upgrade-control-plane / upgrade-worker: joined hosts behind versions.kubernetes move one minor
// at a time (kubeadm's rule): every control plane of a minor (leader first, one at a time),
// then the workers of that minor in batches, then the next minor.
import type { PlanContext } from '../context.js';
import type { HostView } from '../host-state.js';
import type { ActionDraft, ActionKindModule } from '../kind.js';
import type { Step } from '../types.js';
import { UPGRADE_IN_PROGRESS_LABEL, upgradeMarked } from '../../ops/params.js';
import { compareVersions, intermediateMinors, minorDistance, minorOf } from '../version.js';
import * as configureRuntime from './configure-container-runtime.js';
import * as prerequisites from './install-prerequisites.js';
import { membershipRemovals } from './remove-node.js';
import { nodeNameOf, step, installBinariesStep, stepList, uncordonStep, versionParams } from './steps.js';
import type { KubeComponent } from '../../scripts/binaries.js';

type Kind = 'upgrade-control-plane' | 'upgrade-worker';

/** kube-apiservers may differ by one minor during an upgrade; kubelets may be up to three minors older (since 1.28). */
const MAX_APISERVER_SKEW = 1;
const MAX_KUBELET_SKEW = 3;

/**
 * `force`: the host is at the version already (apply --force-upgrade); `pruneImages`: its last
 * upgrade of the plan; `uploadConfig`: the leader's upgrade to the manifest's version first
 * stores our ClusterConfiguration (KubeOne uploads it before upgrading the leader), so kubeadm
 * renders the control planes with that version's flags right away.
 */
export function upgradeSteps(host: HostView, version: string, how: 'apply' | 'node', extra: { force?: boolean; pruneImages?: boolean; uploadConfig?: boolean } = {}): Step[] {
  const node = nodeNameOf(host);
  const h = host.name;
  // One params object for the drain, one for the cordon and the uncordon, which also set and
  // remove KubeOne's upgrade-in-progress label (frozen: params are shared data, steps.ts).
  const onNode = Object.freeze({ node });
  const marking = Object.freeze({ node, upgrade: true });
  const upgradeParams = extra.force ? { force: true, version } : versionParams(version);
  const uploadConfig = extra.uploadConfig === true;
  return stepList(
    step('node.cordon', h, `cordon node ${node} and label it ${UPGRADE_IN_PROGRESS_LABEL}`, marking),
    step('node.drain', h, `drain node ${node}`, onNode),
    installBinariesStep(h, version, KUBEADM, 'kubeadm'),
    uploadConfig && step('kubeadm.config.render', h, `render the kubeadm configuration for ${h}`),
    uploadConfig && step('kubeadm.config.upload', h, `store the ClusterConfiguration of ${version} in kube-system/kubeadm-config`),
    how === 'apply'
      ? step('kubeadm.upgrade.apply', h, `kubeadm upgrade apply ${version} on ${h}`, upgradeParams)
      : step('kubeadm.upgrade.node', h, `kubeadm upgrade node on ${h}`, upgradeParams),
    installBinariesStep(h, version, KUBELET_KUBECTL, 'kubelet'),
    step('host.kubelet.configure', h, `write the kubelet flags and configuration on ${h}`),
    step('host.kubelet.restart', h, `restart kubelet on ${h}`),
    step('node.waitReady', h, `wait for node ${node} to be Ready`, { node, ready: true }),
    uncordonStep(h, marking),
    extra.pruneImages === true && step('host.images.prune', h, `remove the unused container images on ${h} (--prune-images)`),
  );
}

const KUBEADM: readonly KubeComponent[] = ['kubeadm'];
const KUBELET_KUBECTL: readonly KubeComponent[] = ['kubelet', 'kubectl'];

const TITLE_START = { controlPlane: 'upgrade control plane ', staticWorker: 'upgrade worker ' } as const;

/**
 * Nodes carrying KubeOne's upgrade-in-progress label that no run of ours left: the host's
 * in-flight marker does not name its upgrade and the journal does not say we cordoned it.
 * KubeOne refuses to upgrade while any Node carries it; so does this planner.
 */
function foreignUpgradeMarks(ctx: PlanContext): { name: string; host: string | null }[] {
  const ours = new Set(ctx.options.interrupted?.nodesLeftCordoned ?? []);
  for (const h of ctx.hosts) if (interruptedUpgradeOf(h)) for (const name of [h.name, h.node?.name]) if (name) ours.add(name);
  return (ctx.kube?.nodes ?? []).filter(
    (n) => upgradeMarked(n.labels) && !ours.has(n.name) && !(n.host !== null && ours.has(n.host)),
  );
}

const kindOf = (host: HostView): Kind => (host.role === 'controlPlane' ? 'upgrade-control-plane' : 'upgrade-worker');

export const idOf = (host: HostView, version: string): string => `${kindOf(host)}:${host.name}:${version}`;

/** The upgrade of the last control plane to the desired version, if planned: joins and addons wait for it. */
export function finalControlPlaneUpgrade(ctx: PlanContext): string[] {
  const last = ctx.b.planned('upgrade-control-plane').filter((a) => a.id === `upgrade-control-plane:${a.hosts[0]}:${ctx.version}`).at(-1);
  return last ? [last.id] : [];
}

/** Whether this plan stores the manifest's ClusterConfiguration as part of the leader's upgrade to its version. */
export function upgradeUploadsConfig(ctx: PlanContext): boolean {
  return ctx.b.planned('upgrade-control-plane').some((a) => a.steps.some((s) => s.op === 'kubeadm.config.upload'));
}

/** The in-flight marker on the host names an upgrade of that host: a run died in the middle of it. */
export function interruptedUpgradeOf(host: HostView): boolean {
  const [kind, name] = (host.facts?.inflight?.actionId ?? '').split(':');
  return (kind === 'upgrade-control-plane' || kind === 'upgrade-worker') && name === host.name;
}

/** The last upgrade planned for a host (its final version), if any. */
export function lastUpgradeOf(ctx: PlanContext, host: HostView): string | undefined {
  return ctx.b.planned(kindOf(host), host.name).at(-1)?.id;
}

/** The versions to pass through, e.g. 1.34.3 -> 1.36.0 gives ['1.35.x', '1.36.0']. */
export function upgradePath(ctx: PlanContext, from: string): string[] {
  const path = intermediateMinors(from, ctx.version).map((minor) => {
    const chosen = (ctx.options.intermediateVersions?.[minor] ?? ctx.desired.cluster.cluster.kubernetesBinaries?.intermediateVersions?.[minor])?.replace(/^v/, '');
    if (chosen && minorOf(chosen) === minor) return chosen;
    if (chosen) ctx.b.warn(`intermediate version ${chosen} given for ${minor} is not a ${minor} release; ignored`);
    ctx.b.warn(`no patch version given for the intermediate minor ${minor}; using ${minor} (set kubernetesBinaries.intermediateVersions, e.g. {"${minor}": "${minor}.1"})`);
    return minor;
  });
  return [...path, ctx.version];
}

/**
 * The hosts that stay (joined, in the cluster, not rejoining) and are behind: control planes
 * of a minor (leader first, one at a time), then its workers in batches, then the next minor.
 */
function plan(ctx: PlanContext): ActionDraft<Kind>[] {
  const drafts: ActionDraft<Kind>[] = [];
  const members = ctx.staying;
  const withVersion = members.filter((h) => h.version !== '');
  const cps = withVersion.filter((h) => h.role === 'controlPlane');
  const newer = withVersion.filter((h) => compareVersions(h.version, ctx.version) > 0);
  for (const h of newer) {
    ctx.b.refuse({
      rule: 'downgrade',
      hosts: [h.name],
      message: `kubelet ${h.version} on ${h.name} is newer than versions.kubernetes ${ctx.version}; downgrades are not supported`,
      hint: `set versions.kubernetes to ${h.version} or newer`,
    });
  }
  if (newer.some((h) => h.role === 'controlPlane')) return drafts;
  // apply --force-upgrade: hosts at the version go through the upgrade too (KubeOne's workaround
  // for settings only an upgrade rewrites; here mostly to renew certificates and restart everything).
  const forced = (h: HostView): boolean => ctx.options.forceUpgrade === true && compareVersions(h.version, ctx.version) === 0;
  const behind = withVersion.filter((h) => compareVersions(h.version, ctx.version) < 0 || forced(h));
  if (behind.length === 0) return drafts;
  const marked = foreignUpgradeMarks(ctx);
  if (marked.length > 0) {
    const names = marked.map((n) => n.name);
    ctx.b.refuse({
      rule: 'upgrade-in-progress',
      hosts: marked.map((n) => n.host ?? n.name),
      message: `node${names.length > 1 ? 's' : ''} ${names.join(', ')} carr${names.length > 1 ? 'y' : 'ies'} ${UPGRADE_IN_PROGRESS_LABEL}: a KubeOne upgrade is running there or was interrupted, and it was not ours`,
      hint: `wait for that run to end; if none is running, check the node${names.length > 1 ? 's' : ''}, then remove the label (kubectl label node ${names.join(' ')} ${UPGRADE_IN_PROGRESS_LABEL}-) and plan again`,
    });
    return drafts;
  }

  // The path starts at the oldest host that will move: a worker two minors behind steps through each minor too.
  const oldest = behind.filter((h) => h.reachable).reduce((min, h) => (compareVersions(h.version, min) < 0 ? h.version : min), ctx.version);
  const path = upgradePath(ctx, oldest);
  const leader = ctx.leader;
  const orderedCps = [...cps].sort((a, b) => Number(b === leader) - Number(a === leader));
  const newerSet = new Set(newer);
  const workers = withVersion.filter((h) => h.role === 'staticWorker' && !newerSet.has(h));
  const batchSize = Math.max(1, ctx.options.workerBatchSize ?? 1);
  const left = new Set(withVersion.filter((h) => !h.reachable).map((h) => h.name));
  // `titleEnd`: ` to <version>`, made once per version (the title's other parts are shared strings too).
  const add = (h: HostView, version: string, titleEnd: string, reason: string, how: 'apply' | 'node', after: string[]): string => {
    const id = idOf(h, version);
    const uploadConfig = how === 'apply' && version === ctx.version;
    const extra = { force: forced(h), pruneImages: ctx.options.pruneImages === true && version === ctx.version, uploadConfig };
    drafts.push({
      kind: kindOf(h),
      id,
      hosts: [h.name],
      title: how === 'apply' ? `${TITLE_START[h.role]}${h.name}${titleEnd} (kubeadm upgrade apply)` : `${TITLE_START[h.role]}${h.name}${titleEnd}`,
      reason: uploadConfig ? `${reason}; kube-system/kubeadm-config gets the manifest's ClusterConfiguration first` : reason,
      // Host-level fixes on the same host (prerequisites, containerd config) go first.
      dependsOn: [...after, prerequisites.idOf(h.name), configureRuntime.idOf(h.name)],
      steps: upgradeSteps(h, version, how, extra),
    });
    return id;
  };

  // Versions as the plan moves them, step by step (the host views stay as observed).
  const current = new Map(withVersion.map((h) => [h.name, h.version]));
  let previous = membershipRemovals(ctx);
  for (const [i, target] of path.entries()) {
    const skewed = withVersion.find(
      (h) => left.has(h.name) && minorDistance(h.version, target) > (h.role === 'controlPlane' ? MAX_APISERVER_SKEW : MAX_KUBELET_SKEW),
    );
    if (skewed) {
      const max = skewed.role === 'controlPlane' ? MAX_APISERVER_SKEW : MAX_KUBELET_SKEW;
      ctx.b.refuse({
        rule: 'skew',
        hosts: [skewed.name],
        message: `upgrading to ${target} would leave ${skewed.name} (unreachable, ${skewed.version}) more than ${max} minor${max > 1 ? 's' : ''} behind, which Kubernetes does not support`,
        hint: `make ${skewed.name} reachable (or remove it from the manifest), then plan again`,
      });
      break;
    }
    const stepReason = path.length > 1 ? `; step ${i + 1} of ${path.length} on the path ${path.join(' -> ')} (kubeadm upgrades one minor at a time)` : '';
    const behind = `, versions.kubernetes is ${ctx.version}${stepReason}`;
    const titleEnd = ` to ${target}`;
    const reasonFor = (h: HostView): string =>
      forced(h) ? `kubelet ${h.version} on ${h.name} is at versions.kubernetes; an upgrade was requested (--force-upgrade)` : `kubelet ${h.version} on ${h.name}${behind}`;
    const needs = (h: HostView): boolean => h.reachable && (compareVersions(current.get(h.name)!, target) < 0 || (forced(h) && target === ctx.version));

    // Control planes: the leader runs `upgrade apply` (when it still needs this version), then one at a time.
    let prevCp = previous;
    for (const h of orderedCps.filter(needs)) prevCp = [add(h, target, titleEnd, reasonFor(h), h === leader ? 'apply' : 'node', prevCp)];
    // Workers: in batches, the next batch waits for the whole previous one.
    let prevBatch = prevCp;
    const due = workers.filter(needs);
    for (let start = 0; start < due.length; start += batchSize) {
      prevBatch = due.slice(start, start + batchSize).map((h) => add(h, target, titleEnd, reasonFor(h), 'node', prevBatch));
    }
    previous = prevBatch;
    for (const h of withVersion) if (needs(h)) current.set(h.name, target);
  }
  return drafts;
}

export const upgrade: ActionKindModule<Kind> = {
  name: 'upgrade, one minor at a time',
  when: ['reconcile'],
  kinds: {
    'upgrade-control-plane': { change: '~', serial: true, disruptive: true },
    'upgrade-worker': { change: '~', serial: false, disruptive: true },
  },
  plan,
};
