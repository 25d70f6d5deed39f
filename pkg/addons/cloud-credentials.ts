// The Secrets KubeOne's credentials.Ensure writes into kube-system before the addons (the CCM,
// CSI drivers and machine-controller read them), here the objects of a generated addon so
// that they go through the plan like every other object: the cloud-config Secret (the
// manifest's cloudConfig, rendered as a Go template over the CCM credentials), the CCM's
// credentials (vSphere keeps them under "<vcenter>.username/password"), machine-controller's
// and operating-system-manager's. KubeOne also deletes the Secret its versions before 1.0
// wrote; so does this addon (see retired.ts).
import type { KubeOneCluster } from '../api/types.js';
import { providerName } from '../api/provider.js';
import { type CredentialSource, type CredentialsType, SECRET_NAMES, providerCredentials } from './credentials-data.js';
import type { KubeObject } from './normalize.js';
import { renderTemplate, withBuiltins } from './template/index.js';
import { GoStruct, stringMap } from './template/values.js';

/** The generated addon holding the credential Secrets (selected with any provider but none, unless secretProviderClassName is set). */
export const CREDENTIALS_ADDON = 'cloud-credentials';

export const CLOUD_CONFIG_SECRET = 'cloud-config';
export const VSPHERE_CREDENTIALS_SECRET = 'vsphere-ccm-credentials';

/** Whether KubeOne's credentials.Ensure runs for this (defaulted) cluster. */
export function credentialsAddonSelected(cluster: KubeOneCluster): boolean {
  const p = providerName(cluster.cloudProvider);
  return p !== undefined && p !== 'none' && !cluster.cloudProvider?.secretProviderClassName;
}

export class CloudConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CloudConfigError';
  }
}

const CLOUD_CONFIG_DATA = { name: 'credentials.data', fields: [{ name: 'Credentials', json: 'Credentials', omitempty: false, type: 'map[string]string' }] };

/**
 * The cloudConfig as KubeOne writes it into the cloud-config Secret: executed as a Go
 * template (Go's builtin functions only) with `.Credentials` the CCM credentials, so that
 * `{{ .Credentials.OS_PASSWORD }}` need not be written into the manifest.
 */
export function renderCloudConfig(cloudConfig: string, ccmCredentials: Record<string, string>): string {
  try {
    return renderTemplate('cloudConfig', cloudConfig, new GoStruct(CLOUD_CONFIG_DATA, [['Credentials', stringMap(ccmCredentials)]]), withBuiltins([]));
  } catch (e) {
    throw new CloudConfigError(`cloudProvider.cloudConfig: ${(e as Error).message}`);
  }
}

/** The cluster as addon templates see it after credentials.Ensure: cloudConfig rendered (when that runs). */
export function withRenderedCloudConfig(cluster: KubeOneCluster, src: CredentialSource): KubeOneCluster {
  const cloudConfig = cluster.cloudProvider?.cloudConfig;
  if (!cloudConfig || !credentialsAddonSelected(cluster)) return cluster;
  const rendered = renderCloudConfig(cloudConfig, providerCredentials(cluster, src, 'CCM'));
  return { ...cluster, cloudProvider: { ...cluster.cloudProvider, cloudConfig: rendered } };
}

function secret(name: string, data: Record<string, string>): KubeObject {
  const encoded = Object.fromEntries(Object.keys(data).sort().map((k) => [k, Buffer.from(data[k]!, 'utf8').toString('base64')]));
  return { apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace: 'kube-system' }, type: 'Opaque', data: encoded };
}

/** vsphereSecret: the credentials under "<vcenter host>.username" and ".password", as vSphere's CCM and CSI read them. */
function vsphereCredentials(ccm: Record<string, string>): Record<string, string> {
  const host = (ccm.VSPHERE_ADDRESS ?? '').replaceAll('https://', '').replace(/\/$/, '');
  return { [`${host}.username`]: ccm.VSPHERE_USERNAME ?? '', [`${host}.password`]: ccm.VSPHERE_PASSWORD ?? '' };
}

/**
 * The Secrets of the credentials addon for a defaulted cluster whose cloudConfig is not yet
 * rendered (the ones credentials.Ensure creates, in its order); [] when it is not selected.
 */
export function credentialObjects(cluster: KubeOneCluster, src: CredentialSource): KubeObject[] {
  if (!credentialsAddonSelected(cluster)) return [];
  const cp = cluster.cloudProvider!;
  const creds = (type: CredentialsType): Record<string, string> => providerCredentials(cluster, src, type);
  const out: KubeObject[] = [];
  if (cluster.machineController?.deploy) out.push(secret(SECRET_NAMES.mc, creds('MC')));
  if (cluster.operatingSystemManager?.deploy) out.push(secret(SECRET_NAMES.osm, creds('OSM')));
  const ccm = creds('CCM');
  if (cp.cloudConfig) out.push(secret(CLOUD_CONFIG_SECRET, { 'cloud-config': renderCloudConfig(cp.cloudConfig, ccm) }));
  // KubeOne's switch, in its order: every external provider but vSphere (and GCE in any case)
  // gets the generic Secret, vSphere its own. (Its KubeVirt branch is never reached: KubeVirt
  // is always external.)
  if ((cp.external && !cp.vsphere) || cp.gce) out.push(secret(SECRET_NAMES.ccm, ccm));
  else if (cp.vsphere) out.push(secret(VSPHERE_CREDENTIALS_SECRET, vsphereCredentials(ccm)));
  return out;
}
