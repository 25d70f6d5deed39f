// KubeOne's post-render mutations (pkg/addons/manifest.go): for the cloud (CCM/CSI),
// backups-restic, operating-system-manager and machinecontroller addons, unless templating
// is disabled, the pod templates of Deployments, StatefulSets, DaemonSets, ReplicaSets,
// Jobs and CronJobs get the CA bundle (certificateAuthority.bundle: volume, mount and
// SSL_CERT_FILE in every container, a hash annotation) and the secrets-store CSI volume
// (cloudProvider.secretProviderClassName).
import { caBundleEnvVar, caBundleVolume, caBundleVolumeMount } from './template/kubeone.js';
import type { KubeObject } from './normalize.js';
import { sha256Hex } from '../api/sha256.js';

/** KubeOne's resources.CloudAddons() plus the other addons it mutates. */
export const MUTATED_ADDONS: ReadonlySet<string> = new Set([
  'ccm-aws', 'ccm-azure', 'ccm-gcp', 'ccm-digitalocean', 'ccm-equinixmetal', 'ccm-hetzner', 'ccm-openstack', 'ccm-packet', 'ccm-vsphere',
  'csi-external-snapshotter', 'csi-aws-ebs', 'csi-azuredisk', 'csi-azurefile', 'csi-digitalocean', 'csi-gcp-compute-persistent',
  'csi-hetzner', 'csi-kubevirt', 'csi-nutanix', 'csi-openstack-cinder', 'csi-vmware-cloud-director', 'csi-vsphere',
  'backups-restic', 'operating-system-manager', 'machinecontroller',
]);

export const CA_BUNDLE_HASH_ANNOTATION = 'kubeone.k8c.io/cabundle-hash';

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function child(o: Obj, key: string): Obj {
  if (!isObj(o[key])) o[key] = {};
  return o[key] as Obj;
}

/** The pod template of a workload object (created when absent, as the typed Go object would have it), or undefined for other kinds. */
function podTemplate(o: KubeObject): Obj | undefined {
  const group = typeof o.apiVersion === 'string' && o.apiVersion.includes('/') ? o.apiVersion.split('/')[0] : '';
  const kind = o.kind;
  if (group === 'apps' && (kind === 'Deployment' || kind === 'StatefulSet' || kind === 'DaemonSet' || kind === 'ReplicaSet')) return child(child(o, 'spec'), 'template');
  if (group === 'batch' && kind === 'Job') return child(child(o, 'spec'), 'template');
  if (group === 'batch' && kind === 'CronJob') return child(child(child(child(o, 'spec'), 'jobTemplate'), 'spec'), 'template');
  return undefined;
}

function append(o: Obj, key: string, item: unknown): void {
  o[key] = [...(Array.isArray(o[key]) ? (o[key] as unknown[]) : []), item];
}

function containers(spec: Obj): Obj[] {
  return Array.isArray(spec.containers) ? (spec.containers as unknown[]).filter(isObj) : [];
}

/** cabundle.Inject. */
function injectCABundle(tpl: Obj, bundle: string): void {
  const meta = child(tpl, 'metadata');
  const annotations = child(meta, 'annotations');
  annotations[CA_BUNDLE_HASH_ANNOTATION] = sha256Hex(bundle);
  const spec = child(tpl, 'spec');
  append(spec, 'volumes', caBundleVolume());
  for (const c of containers(spec)) {
    append(c, 'volumeMounts', caBundleVolumeMount());
    append(c, 'env', caBundleEnvVar());
  }
}

function injectSecretsStore(tpl: Obj, className: string): void {
  const spec = child(tpl, 'spec');
  append(spec, 'volumes', { name: 'secrets-store', csi: { driver: 'secrets-store.csi.k8s.io', readOnly: true, volumeAttributes: { secretProviderClass: className } } });
  for (const c of containers(spec)) append(c, 'volumeMounts', { name: 'secrets-store', mountPath: '/mnt/secrets-store', readOnly: true });
}

export interface MutationOptions {
  addon: string;
  disableTemplating: boolean;
  caBundle: string;
  secretProviderClassName: string;
}

/** Applies KubeOne's mutations in place (CA bundle first, then the secrets-store volume). */
export function mutateObjects(objects: KubeObject[], opts: MutationOptions): void {
  if (opts.disableTemplating || !MUTATED_ADDONS.has(opts.addon)) return;
  if (opts.caBundle) for (const o of objects) {
    const tpl = podTemplate(o);
    if (tpl) injectCABundle(tpl, opts.caBundle);
  }
  if (opts.secretProviderClassName) for (const o of objects) {
    const tpl = podTemplate(o);
    if (tpl) injectSecretsStore(tpl, opts.secretProviderClassName);
  }
}
