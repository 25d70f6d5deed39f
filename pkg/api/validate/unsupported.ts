// Fields KubeOne acts on and this tool does not yet: refused (exit 15) rather than accepted
// and ignored, so that nobody believes e.g. their Secrets are encrypted when they are not.
// Checked on the manifest as written (before defaulting): a field is refused only when the
// user set it to a value that needs the feature. Its default (off, empty) is always accepted,
// so KubeOne's own defaulting never makes a manifest fail. See docs/kubeone-compatibility.md.
import { parseEncryptionConfiguration, REWRITABLE_RESOURCES } from '../../encryption/config.js';
import { isZeroDuration } from '../duration.js';
import { joinPath } from '../path.js';
import type { Issue } from '../errors.js';
import type { HostConfig, KubeOneCluster } from '../types.js';

export const NOT_SUPPORTED_YET = 'not supported yet';

/** A value that asks for something: true, a non-empty string/array/object, a non-zero number. */
function isSet(value: unknown): boolean {
  if (value === undefined || value === null || value === false || value === '' || value === 0) return false;
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === 'object') return Object.values(value as object).some(isSet);
  return true;
}

/** Every set leaf under `value`, with its path (objects are descended, arrays and maps reported whole). */
function setLeaves(value: unknown, path: string, out: string[]): void {
  if (!isSet(value)) return;
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) setLeaves(v, joinPath(path, k), out);
    return;
  }
  out.push(path);
}

class Refusals {
  readonly issues: Issue[] = [];
  refuse(path: string, why: string): void {
    this.issues.push({ path, message: `${NOT_SUPPORTED_YET}: ${path} (${why})` });
  }
  /** Refuses every set leaf of an optional feature. */
  refuseSet(value: unknown, path: string, why: string): void {
    const leaves: string[] = [];
    setLeaves(value, path, leaves);
    for (const leaf of leaves) this.refuse(leaf, why);
  }
}

const WHY = {
  encryptedResources: 'this tool rewrites Secrets and ConfigMaps after every change of the encryption configuration; other resources would keep their old ciphertext',
  managedLoadBalancer: 'KubeOne creates this load balancer for the control-plane machines of controlPlane.nodeSets',
  helmUrlAuth: 'helm takes credentials for a direct chart URL only on its command line, where every local user can read them; use repoURL and chart, or an oci:// chartURL',
  nodeSets: 'KubeOne creates the control-plane machines of a nodeSet through the cloud provider',
  sshCert: 'SSH certificate authentication',
  imageMaximumGCAge: 'the kubelet has no flag for it, and per-host settings travel as kubelet flags (KubeOne drops it silently)',
} as const;

function refuseHost(h: HostConfig, path: string, r: Refusals): void {
  if (isSet(h.sshCertFile)) r.refuse(joinPath(path, 'sshCertFile'), WHY.sshCert);
  if (!isZeroDuration(h.kubelet?.imageMaximumGCAge)) {
    r.refuse(joinPath(joinPath(path, 'kubelet'), 'imageMaximumGCAge'), WHY.imageMaximumGCAge);
  }
}

/** A custom EncryptionConfiguration may only name resources whose objects this tool rewrites after a change. */
function refuseUnrewrittenResources(c: KubeOneCluster, r: Refusals): void {
  const ep = c.features?.encryptionProviders;
  if (!ep?.enable || !ep.customEncryptionConfiguration) return;
  const { config } = parseEncryptionConfiguration(ep.customEncryptionConfiguration);
  const names = (config?.resources ?? []).flatMap((e) => e.resources);
  const other = names.filter((n) => !(REWRITABLE_RESOURCES as readonly string[]).includes(n));
  if (other.length > 0) r.refuse('features.encryptionProviders.customEncryptionConfiguration', `it names ${other.join(', ')}: ${WHY.encryptedResources}`);
}

/** `not supported yet` issues of a manifest as written (decoded, Terraform output merged, not defaulted). */
export function unsupportedFields(c: KubeOneCluster): Issue[] {
  const r = new Refusals();
  (c.controlPlane?.hosts ?? []).forEach((h, i) => refuseHost(h, joinPath('controlPlane.hosts', i), r));
  (c.staticWorkers?.hosts ?? []).forEach((h, i) => refuseHost(h, joinPath('staticWorkers.hosts', i), r));
  if (isSet(c.controlPlane?.nodeSets)) r.refuse('controlPlane.nodeSets', WHY.nodeSets);

  // The managed control plane's load balancer is created with the nodeSets' machines (refused above).
  const cp = c.cloudProvider;
  for (const name of ['hetzner', 'openstack', 'kubevirt'] as const) {
    r.refuseSet(cp?.[name]?.controlPlane, joinPath(joinPath('cloudProvider', name), 'controlPlane'), WHY.managedLoadBalancer);
  }


  refuseUnrewrittenResources(c, r);
  (c.helmReleases ?? []).forEach((hr, i) => {
    if (hr.chartURL && !hr.chartURL.startsWith('oci://') && isSet(hr.auth)) r.refuse(joinPath(joinPath('helmReleases', i), 'auth'), WHY.helmUrlAuth);
  });
  return r.issues;
}

/**
 * Fields that cannot do what they say (KubeOne accepts them and ignores them, or breaks with
 * them): refused with the reason, so that nobody believes they are in effect.
 */
export function removedFeatures(c: KubeOneCluster): Issue[] {
  const issues: Issue[] = [];
  const refuse = (path: string, message: string) => issues.push({ path, message });
  if (c.features?.dynamicAuditLog?.enable) {
    refuse('features.dynamicAuditLog.enable', 'dynamic audit configuration was removed from Kubernetes in 1.19; the flags KubeOne sets for it would stop the API server from starting');
  }
  if (c.features?.podSecurityPolicy?.enable) {
    refuse('features.podSecurityPolicy.enable', 'PodSecurityPolicy was removed from Kubernetes in 1.25 (KubeOne ignores this field); use Pod Security Admission');
  }
  if (c.containerRuntime?.docker !== undefined) {
    refuse('containerRuntime.docker', 'Docker support was removed in KubeOne 1.8 (KubeOne ignores this field and uses containerd): remove it');
  }
  if (c.addons?.enable === false && (c.addons.path || c.addons.addons?.length)) {
    refuse('addons.enable', 'addons are applied whenever addons.path or addons.addons is set (KubeOne ignores enable): remove them to apply none');
  }
  (c.dynamicWorkers ?? []).forEach((w, i) => {
    const annotations = w.providerSpec?.machineAnnotations;
    if (annotations && Object.keys(annotations).length > 0) {
      refuse(joinPath(joinPath(joinPath('dynamicWorkers', i), 'providerSpec'), 'machineAnnotations'), 'machineAnnotations does nothing (KubeOne ignores it since 1.4): use nodeAnnotations for the Nodes or machineObjectAnnotations for the Machines');
    }
  });
  (c.staticWorkers?.hosts ?? []).forEach((h, i) => {
    if (h.isLeader) refuse(joinPath(joinPath('staticWorkers.hosts', i), 'isLeader'), 'only a control-plane host can be the leader');
  });
  return issues;
}
