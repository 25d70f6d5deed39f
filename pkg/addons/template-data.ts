// The data addon templates see, field for field as KubeOne's templateData
// (pkg/addons/applier.go): a value of type addons.templateData whose fields keep KubeOne's
// names and Go types. See docs/addons.md for each field.
import type { LoadedCluster } from '../api/types.js';
import { providerName } from '../api/provider.js';
import { CertificateIssuer, certificatesMap, type ClusterCA } from './certificates.js';
import { configView, kubeoneValue, nthServiceSubnetIP } from './config-view.js';
import {
  type CredentialSource,
  SECRET_NAMES,
  anyCredentials,
  credentialsHash,
  customCredentials,
  envVarBindingsYAML,
  providerCredentials,
} from './credentials-data.js';
import { internalImages } from './images.js';
import { CA_BUNDLE } from './template/kubeone.js';
import { GoStruct, type GoValue, type StructType, markSlice, stringMap } from './template/values.js';
import type { KubeOneCluster } from '../api/types.js';

const FIELDS: [string, string][] = [
  ['Config', '*kubeone.KubeOneCluster'],
  ['Certificates', 'map[string]string'],
  ['Credentials', 'map[string]string'],
  ['CustomCredentials', 'map[string]string'],
  ['CredentialsCCM', 'map[string]string'],
  ['CredentialsCCMHash', 'string'],
  ['CCMClusterName', 'string'],
  ['CalicoIptablesBackend', 'string'],
  ['DeployCSIAddon', 'bool'],
  ['SnapshotterWebhookFailurePolicy', 'string'],
  ['MachineControllerCredentialsEnvVars', 'string'],
  ['MachineControllerCredentialsHash', 'string'],
  ['OperatingSystemManagerEnabled', 'bool'],
  ['OperatingSystemManagerCredentialsEnvVars', 'string'],
  ['OperatingSystemManagerCredentialsHash', 'string'],
  ['RegistryCredentials', '[]addons.registryCredentialsContainer'],
  ['InternalImages', '*addons.internalImages'],
  ['Resources', 'map[string]string'],
  ['Params', 'map[string]string'],
];

const TEMPLATE_DATA: StructType = {
  name: 'addons.templateData',
  fields: FIELDS.map(([name, type]) => ({ name, json: name, omitempty: false, type })),
};

const REGISTRY_CREDENTIALS: StructType = {
  name: 'addons.registryCredentialsContainer',
  fields: [
    { name: 'RegistryName', json: 'RegistryName', omitempty: false, type: 'string' },
    { name: 'Auth', json: 'Auth', omitempty: false, type: 'kubeone.ContainerdRegistryAuthConfig' },
  ],
};

/** Providers KubeOne deploys a CSI driver for (ensureCSIAddons). */
const CSI_PROVIDERS = new Set(['aws', 'azure', 'gce', 'digitalocean', 'hetzner', 'kubevirt', 'nutanix', 'openstack', 'vmwareCloudDirector', 'vsphere']);

/** KubeOne's resources.All: names and addresses templates use. */
export function resources(serviceSubnet: string): Record<string, string> {
  return {
    MachineControllerName: 'machine-controller',
    MachineControllerNameSpace: 'kube-system',
    MachineControllerWebhookName: 'machine-controller-webhook',
    OperatingSystemManagerName: 'operating-system-manager',
    OperatingSystemManagerNamespace: 'kube-system',
    OperatingSystemManagerWebhookName: 'operating-system-manager-webhook',
    KubeletImageRepository: 'quay.io/kubermatic/kubelet',
    NodeLocalDNSVirtualIP: '169.254.20.10',
    CiliumNodeLocalDNSVirtualIP: `169.254.20.10,${nthServiceSubnetIP(serviceSubnet, 10)}`,
    CABundleSSLCertFilePath: CA_BUNDLE.filePath,
  };
}

/** The registries with auth, under the host names containerd keys auth by (containerdRegistryCredentials). */
function registryCredentials(cluster: KubeOneCluster): GoValue[] {
  const regs = cluster.containerRuntime?.containerd?.registries ?? {};
  const out: GoValue[] = [];
  const seen = new Set<string>();
  const add = (host: string, auth: unknown): void => {
    if (seen.has(host)) return;
    seen.add(host);
    out.push(new GoStruct(REGISTRY_CREDENTIALS, [
      ['RegistryName', host],
      ['Auth', kubeoneValue('kubeone.ContainerdRegistryAuthConfig', auth)],
    ]));
  };
  for (const name of Object.keys(regs).sort()) {
    const reg = regs[name]!;
    if (!reg.auth) continue;
    if (name !== '*' && name !== '_default') add(name.split('/')[0]!, reg.auth);
    for (const mirror of reg.mirrors ?? []) {
      let host = '';
      try {
        host = new URL(mirror).host;
      } catch {
        host = '';
      }
      add(host || mirror.split('/')[0]!, reg.auth);
    }
  }
  return markSlice(out, '[]addons.registryCredentialsContainer', out.length === 0);
}

export interface TemplateDataOptions {
  loaded: LoadedCluster;
  /** The defaulted cluster. */
  cluster: KubeOneCluster;
  env: NodeJS.ProcessEnv;
  clusterCA: ClusterCA | null;
  /** Whether the cluster exists (default: whether the CA is known). */
  clusterExists?: boolean;
  now: Date;
}

/** Everything of templateData but Params, built once per render. */
export interface BaseTemplateData {
  values: Map<string, GoValue>;
  issuer: CertificateIssuer;
}

export function baseTemplateData(opts: TemplateDataOptions): BaseTemplateData {
  const { cluster, loaded } = opts;
  const src: CredentialSource = { file: loaded.credentials, env: opts.env };
  const provider = providerName(cluster.cloudProvider) ?? '';
  const osm = cluster.operatingSystemManager?.deploy === true;
  const mcDeploy = cluster.machineController?.deploy === true;
  const issuer = new CertificateIssuer(opts.clusterCA, cluster.clusterNetwork?.serviceDomainName ?? 'cluster.local', opts.now);
  const ccm = providerCredentials(cluster, src, 'CCM');
  const mcCreds = providerCredentials(cluster, src, 'MC');
  const controlPlaneOS = (cluster.controlPlane?.hosts ?? []).map((h) => h.operatingSystem ?? '');
  const values = new Map<string, GoValue>([
    ['Config', configView(cluster, loaded.manifestPath)],
    ['Certificates', certificatesMap(issuer, osm)],
    ['Credentials', stringMap(anyCredentials(src))],
    ['CustomCredentials', stringMap(customCredentials(src))],
    ['CredentialsCCM', stringMap(ccm)],
    ['CredentialsCCMHash', credentialsHash(cluster, ccm)],
    ['CCMClusterName', cluster.name ?? ''],
    ['CalicoIptablesBackend', controlPlaneOS.some((os) => os === 'flatcar' || os === 'rhel') ? 'NFT' : 'Auto'],
    ['DeployCSIAddon', CSI_PROVIDERS.has(provider)],
    // "Ignore" until the cluster exists (the webhook is not there to answer), then "Fail".
    ['SnapshotterWebhookFailurePolicy', (opts.clusterExists ?? Boolean(opts.clusterCA)) ? 'Fail' : 'Ignore'],
    ['MachineControllerCredentialsEnvVars', mcDeploy ? envVarBindingsYAML(SECRET_NAMES.mc, mcCreds) : ''],
    ['MachineControllerCredentialsHash', credentialsHash(cluster, mcCreds)],
    ['OperatingSystemManagerEnabled', osm],
    ['OperatingSystemManagerCredentialsEnvVars', ''],
    ['OperatingSystemManagerCredentialsHash', ''],
    ['RegistryCredentials', registryCredentials(cluster)],
    ['InternalImages', internalImages(cluster.versions?.kubernetes ?? '', cluster.registryConfiguration?.overwriteRegistry ?? '')],
    ['Resources', stringMap(resources(cluster.clusterNetwork?.serviceSubnet ?? ''))],
  ]);
  if (osm) {
    const osmCreds = providerCredentials(cluster, src, 'OSM');
    values.set('OperatingSystemManagerCredentialsEnvVars', envVarBindingsYAML(SECRET_NAMES.osm, osmCreds));
    values.set('OperatingSystemManagerCredentialsHash', credentialsHash(cluster, osmCreds));
  }
  return { values, issuer };
}

/** templateData for one addon: the base with its Params. */
export function templateData(base: BaseTemplateData, params: Record<string, string>): GoStruct {
  return new GoStruct(TEMPLATE_DATA, [...base.values, ['Params', stringMap(params)]]);
}
