// kubeadm's version-skew policy for "upgrade apply" / "upgrade plan" and the
// checks "upgrade node" and "join" make, with kubeadm's wording.
import { compareVersions, formatVersion, type Semver } from '../common/versions.js';

export interface SkewInput {
  /** The version the user asked for. */
  target: Semver;
  targetText: string;
  /** Current control plane version (kubeadm-config ClusterConfiguration). */
  cluster: Semver;
  /** This kubeadm binary. */
  kubeadm: Semver;
  /** Versions of every kubelet (Node status). */
  kubelets: Semver[];
}

export interface SkewErrors {
  mandatory: string[];
  skippable: string[];
}

const MAX_MINOR_UPGRADE_SKEW = 1;
const MAX_MINOR_DOWNGRADE_SKEW = 1;
/** Oldest kubelet minor that a control plane of minor m supports (n-3). */
const KUBELET_MAX_SKEW = 3;

export function enforceVersionPolicies(input: SkewInput): SkewErrors {
  const { target, targetText, cluster, kubeadm } = input;
  const errors: SkewErrors = { mandatory: [], skippable: [] };
  const released = target.pre === '';
  const minimumControlPlane: Semver = { major: kubeadm.major, minor: kubeadm.minor - 1, patch: 0, pre: '' };
  if (compareVersions(target, minimumControlPlane) < 0) {
    errors.mandatory.push(`Specified version to upgrade to "${targetText}" is equal to or lower than the minimum supported version "${formatVersion(minimumControlPlane)}". Please specify a higher version to upgrade to`);
  }
  if (target.minor > cluster.minor + MAX_MINOR_UPGRADE_SKEW) {
    const msg = `Specified version to upgrade to "${targetText}" is too high; kubeadm can upgrade only ${MAX_MINOR_UPGRADE_SKEW} minor version at a time`;
    (released ? errors.mandatory : errors.skippable).push(msg);
  }
  if (target.minor < cluster.minor - MAX_MINOR_DOWNGRADE_SKEW) {
    const msg = `Specified version to downgrade to "${targetText}" is too low; kubeadm can downgrade only ${MAX_MINOR_DOWNGRADE_SKEW} minor version at a time`;
    (released ? errors.mandatory : errors.skippable).push(msg);
  }
  if (compareVersions(target, cluster) < 0) {
    errors.skippable.push(`Specified version to upgrade to "${targetText}" is lower than the cluster version "${formatVersion(cluster)}". Downgrades are not supported yet`);
  }
  if (compareVersions(kubeadm, target) < 0) {
    if (target.minor > kubeadm.minor) {
      const msg = `Specified version to upgrade to "${targetText}" is at least one minor release higher than the kubeadm minor release (${target.minor} > ${kubeadm.minor}). Such an upgrade is not supported`;
      (released ? errors.mandatory : errors.skippable).push(msg);
    } else {
      errors.skippable.push(`Specified version to upgrade to "${targetText}" is higher than the kubeadm version "${formatVersion(kubeadm)}". Upgrade kubeadm first using the tool you used to install kubeadm`);
    }
  }
  if (kubeadm.major > target.major || kubeadm.minor > target.minor) {
    errors.skippable.push(`Kubeadm version "${formatVersion(kubeadm)}" can only be used to upgrade to Kubernetes version "v${kubeadm.major}.${kubeadm.minor}"`);
  }
  const tooOld = input.kubelets.filter((k) => k.minor < target.minor - KUBELET_MAX_SKEW);
  if (tooOld.length) {
    errors.skippable.push(`There are kubelets in this cluster that are too old that have these versions [${tooOld.map(formatVersion).join(' ')}]`);
  }
  return errors;
}

/** The text kubeadm prints when the policy refuses an upgrade. */
export function formatSkewErrors(errors: SkewErrors, force: boolean): string | undefined {
  if (errors.mandatory.length) {
    return `[upgrade/version] FATAL: the --version argument is invalid due to these fatal errors:\n\n${errors.mandatory.map((e) => `\t- ${e}\n`).join('')}\nPlease fix the misalignments highlighted above and try upgrading again`;
  }
  if (errors.skippable.length && !force) {
    return `[upgrade/version] FATAL: the --version argument is invalid due to these errors:\n\n${errors.skippable.map((e) => `\t- ${e}\n`).join('')}\nCan be bypassed if you pass the --force flag`;
  }
  return undefined;
}

/** "kubeadm upgrade node" must follow "upgrade apply": this kubeadm may not be newer than the control plane. */
export function checkUpgradeNode(kubeadm: Semver, cluster: Semver): string | undefined {
  if (kubeadm.minor > cluster.minor) {
    return `[upgrade/version] FATAL: the kubeadm version "${formatVersion(kubeadm)}" is newer than the control plane version "${formatVersion(cluster)}" stored in the kubeadm-config ConfigMap. Upgrade the control plane first with "kubeadm upgrade apply ${formatVersion(kubeadm)}" on a control plane node`;
  }
  return undefined;
}

/** kubeadm join's KubeletVersion preflight check. */
export function checkKubeletVersion(kubelet: Semver, controlPlane: Semver): string | undefined {
  if (kubelet.minor > controlPlane.minor) {
    return `the kubelet version is higher than the control plane version. This is not a supported version skew and may lead to a malfunctional cluster. Kubelet version: "${formatVersion(kubelet).slice(1)}" Control plane version: "${formatVersion(controlPlane).slice(1)}"`;
  }
  if (kubelet.minor < controlPlane.minor - KUBELET_MAX_SKEW) {
    return `Kubelet version "${formatVersion(kubelet)}" is lower than kubeadm can support. Please upgrade kubelet`;
  }
  return undefined;
}
