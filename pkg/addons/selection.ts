// Which addons the manifest asks for, as KubeOne decides it (inventory §5.2, §5.3): the
// automatic ones from features and the CNI, then the user's list and the custom directory.
import { ConfigError } from '../api/errors.js';
import { providerName } from '../api/provider.js';
import type { KubeOneCluster, ProviderName, StringMap } from '../api/types.js';
import { CREDENTIALS_ADDON, credentialsAddonSelected } from './cloud-credentials.js';
import { withAddonDefaults } from './config-view.js';

export const EMBEDDED_ADDONS = [
  'ca-bundle',
  'ccm-aws',
  'ccm-azure',
  'ccm-digitalocean',
  'ccm-equinixmetal',
  'ccm-gcp',
  'ccm-hetzner',
  'ccm-kubevirt',
  'ccm-nutanix',
  'ccm-openstack',
  'ccm-vsphere',
  'cni-canal',
  'cni-cilium',
  'cni-weavenet',
  'coredns-patch',
  'coredns-pdb',
  'csi-aws-ebs',
  'csi-azuredisk',
  'csi-azurefile',
  'csi-digitalocean',
  'csi-external-snapshotter',
  'csi-gcp-compute-persistent',
  'csi-hetzner',
  'csi-kubevirt',
  'csi-nutanix',
  'csi-openstack-cinder',
  'csi-vmware-cloud-director',
  'csi-vsphere',
  'default-storage-class',
  'machinecontroller',
  'metrics-server',
  'nodelocaldns',
  'operating-system-manager',
] as const;

/** KubeOne's ensureCSIAddons: the CSI drivers of each provider (then csi-external-snapshotter). */
export const CSI_ADDONS: Readonly<Partial<Record<ProviderName, readonly string[]>>> = {
  aws: ['csi-aws-ebs'],
  azure: ['csi-azuredisk', 'csi-azurefile'],
  gce: ['csi-gcp-compute-persistent'],
  digitalocean: ['csi-digitalocean'],
  hetzner: ['csi-hetzner'],
  kubevirt: ['csi-kubevirt'],
  nutanix: ['csi-nutanix'],
  openstack: ['csi-openstack-cinder'],
  vmwareCloudDirector: ['csi-vmware-cloud-director'],
  vsphere: ['csi-vsphere'],
};

/** KubeOne's ensureCCMAddons: the external cloud-controller-manager of each provider. */
export const CCM_ADDONS: Readonly<Partial<Record<ProviderName, string>>> = {
  aws: 'ccm-aws',
  azure: 'ccm-azure',
  digitalocean: 'ccm-digitalocean',
  gce: 'ccm-gcp',
  hetzner: 'ccm-hetzner',
  kubevirt: 'ccm-kubevirt',
  nutanix: 'ccm-nutanix',
  openstack: 'ccm-openstack',
  vsphere: 'ccm-vsphere',
  equinixmetal: 'ccm-equinixmetal',
};

export { PATCH_ADDONS } from './patch-addons.js';

/** Name of the addon made of the YAML files in the root of addons.path (KubeOne uses ""). */
export const ROOT_ADDON = '';

/** How an addon is named to humans (the root addon has an empty name). */
export function displayName(name: string): string {
  return name === ROOT_ADDON ? '(addons.path root)' : name;
}

export interface AddonChoice {
  name: string;
  source: 'embedded' | 'custom';
  /** Why it is selected, for `addons list` and plan reasons. */
  reason: string;
  params: StringMap;
  disableTemplating: boolean;
}

export interface AddonSelection {
  selected: AddonChoice[];
  /** Addons the manifest asks to delete (`delete: true`). */
  deleted: string[];
}

export interface AddonDeletion {
  name: string;
  /** The manifest field that asks for it. */
  reason: string;
}

/**
 * Addons the manifest asks to delete, whoever applied them: `delete: true` in addons.addons,
 * and, as KubeOne cleans them up on every apply, coredns-pdb and nodelocaldns when their
 * feature is explicitly turned off.
 */
export function addonDeletions(cluster: KubeOneCluster): AddonDeletion[] {
  const out: AddonDeletion[] = (cluster.addons?.addons ?? []).flatMap((a, i) => (a.delete && a.name ? [{ name: a.name, reason: `addons.addons[${i}] has delete: true` }] : []));
  const f = cluster.features;
  if (f?.coreDNS?.deployPodDisruptionBudget === false) out.push({ name: 'coredns-pdb', reason: 'features.coreDNS.deployPodDisruptionBudget is false' });
  if (f?.nodeLocalDNS?.deploy === false) out.push({ name: 'nodelocaldns', reason: 'features.nodeLocalDNS.deploy is false' });
  return out.filter((d, i) => out.findIndex((x) => x.name === d.name) === i);
}

export function isEmbedded(name: string): boolean {
  return (EMBEDDED_ADDONS as readonly string[]).includes(name);
}

/**
 * @param customDirs sub-directories of addons.path (a custom one overrides the embedded one of that name)
 * @param hasRootFiles whether addons.path has YAML files at its root
 */
export function selectAddons(
  cluster: KubeOneCluster,
  customDirs: readonly string[],
  hasRootFiles: boolean,
  env: NodeJS.ProcessEnv = process.env,
  /** The credentials file's addonParams (addon name -> params). */
  credentialParams: Readonly<Record<string, StringMap>> = {},
): AddonSelection {
  const c = withAddonDefaults(cluster);
  const features = c.features!;
  const cni = c.clusterNetwork!.cni!;
  const listed = c.addons?.addons ?? [];
  const global = c.addons?.globalParams ?? {};
  const selected: AddonChoice[] = [];
  const deleted: string[] = [];
  const seen = new Set<string>();

  const paramsOf = (name: string, index: number): StringMap => {
    const entry = listed.find((a) => a.name === name);
    // As KubeOne: the credentials file's addonParams, then the manifest's params; a param in both is an error.
    const secret = credentialParams[name] ?? {};
    for (const k of Object.keys(secret)) {
      if (entry?.params && k in entry.params) {
        throw new Error(`addons.addons[${index}].params.${k}: param ${JSON.stringify(k)} for addon ${JSON.stringify(name)} is set both in the manifest and in the credentials file's addonParams; remove it from one of them`);
      }
    }
    const merged: StringMap = { ...global, ...secret, ...(entry?.params ?? {}) };
    // As KubeOne: on Hetzner, flannel binds to the private network interface by default.
    if (name === 'cni-canal' && c.cloudProvider?.hetzner && merged.IFACE_REGEX === undefined) merged.IFACE_REGEX = 'en|eth1';
    for (const [k, v] of Object.entries(merged)) {
      if (typeof v === 'string' && v.startsWith('env:')) {
        const variable = v.slice(4);
        const value = Object.prototype.hasOwnProperty.call(env, variable) ? env[variable] : undefined;
        if (value === undefined) {
          const where = index >= 0 ? `addons.addons[${index}].params.${k}` : `addons.globalParams.${k}`;
          throw new Error(`${where}: environment variable ${variable} is not set`);
        }
        merged[k] = value;
      }
    }
    return merged;
  };
  const add = (name: string, reason: string): void => {
    if (seen.has(name)) return;
    seen.add(name);
    const index = listed.findIndex((a) => a.name === name);
    selected.push({
      name,
      source: customDirs.includes(name) ? 'custom' : 'embedded',
      reason,
      params: paramsOf(name, index),
      disableTemplating: index >= 0 ? Boolean(listed[index]!.disableTemplating) : false,
    });
  };

  if (customDirs.includes(CREDENTIALS_ADDON) || listed.some((a) => a.name === CREDENTIALS_ADDON)) {
    const i = listed.findIndex((a) => a.name === CREDENTIALS_ADDON);
    throw new ConfigError([{ path: i >= 0 ? `addons.addons[${i}].name` : 'addons.path', message: `${JSON.stringify(CREDENTIALS_ADDON)} is the addon kubeone generates for the cloud credential Secrets: give your addon another name` }]);
  }
  for (const [i, a] of listed.entries()) {
    // Configuration errors (exit 15); loadCluster finds them first, with their line.
    if (!a.name) throw new ConfigError([{ path: `addons.addons[${i}].name`, message: 'required' }]);
    if (a.delete) deleted.push(a.name);
    else if (!isEmbedded(a.name) && !customDirs.includes(a.name)) {
      throw new ConfigError([{ path: `addons.addons[${i}].name`, message: `no embedded addon and no directory in addons.path named ${JSON.stringify(a.name)}` }]);
    }
  }
  const wanted = (name: string): boolean => !deleted.includes(name);

  if (features.coreDNS!.deployPodDisruptionBudget && wanted('coredns-pdb')) add('coredns-pdb', 'features.coreDNS.deployPodDisruptionBudget');
  if (features.metricsServer!.enable && wanted('metrics-server')) add('metrics-server', 'features.metricsServer.enable');
  if (cni.canal && wanted('cni-canal')) add('cni-canal', 'clusterNetwork.cni.canal');
  if (cni.cilium && wanted('cni-cilium')) add('cni-cilium', 'clusterNetwork.cni.cilium');
  if (cni.weaveNet && wanted('cni-weavenet')) add('cni-weavenet', 'clusterNetwork.cni.weaveNet');
  if (features.nodeLocalDNS!.deploy && wanted('nodelocaldns')) add('nodelocaldns', 'features.nodeLocalDNS.deploy');
  // As KubeOne's collectAddons: machine-controller, then operating-system-manager.
  if (c.machineController?.deploy && wanted('machinecontroller')) add('machinecontroller', 'machineController.deploy');
  if (c.operatingSystemManager?.deploy && wanted('operating-system-manager')) add('operating-system-manager', 'operatingSystemManager.deploy');
  add('coredns-patch', 'features.coreDNS (replicas, anti-affinity, tolerations)');
  if (c.certificateAuthority?.bundle && wanted('ca-bundle')) add('ca-bundle', 'certificateAuthority.bundle');
  const provider = providerName(c.cloudProvider);
  const providerPath = `cloudProvider.${provider ?? 'none'}`;
  // KubeOne writes these Secrets before it applies any addon (their order here does not matter: addons are applied together).
  if (credentialsAddonSelected(c)) add(CREDENTIALS_ADDON, `${providerPath}: the credential and cloud-config Secrets (secretProviderClassName unset)`);
  const csi = (provider && CSI_ADDONS[provider]) ?? [];
  if (!c.cloudProvider?.disableBundledCSIDrivers && csi.length > 0) {
    for (const name of [...csi, 'csi-external-snapshotter']) if (wanted(name)) add(name, `${providerPath} (cloudProvider.disableBundledCSIDrivers unset)`);
  }
  const ccm = provider && CCM_ADDONS[provider];
  if (c.cloudProvider?.external && ccm && wanted(ccm)) add(ccm, `${providerPath} with cloudProvider.external`);
  for (const a of listed) if (!a.delete) add(a.name, 'addons.addons');
  for (const dir of [...customDirs].sort()) if (!isEmbedded(dir) && wanted(dir)) add(dir, 'directory in addons.path');
  if (hasRootFiles) add(ROOT_ADDON, 'YAML files at the root of addons.path');
  return { selected, deleted };
}
