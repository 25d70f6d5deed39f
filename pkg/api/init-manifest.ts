// What `kubeone init` writes: a KubeOneCluster manifest for a provider (KubeOne 1.14's
// choices: containerd, Canal unless another CNI is asked for, machine-controller and OSM off
// on bare metal, the default-storage-class addon on clouds) and, for providers with
// Terraform configurations, a terraform.tfvars with the cluster name and the variables
// those configurations require.
import { stringify } from 'yaml';

import { EXAMPLE_HOSTS } from './example-manifest.js';
import type { HostConfig } from './types.js';

export interface InitProvider {
  /** The key under cloudProvider. */
  manifestName: string;
  /** KubeOne ships Terraform configurations for it (so tfvars are written and the name comes from Terraform). */
  terraform: boolean;
  /** cloudProvider.external: true. */
  external: boolean;
  /** Variables the provider's Terraform configuration requires (written empty). */
  requiredTFVars: string[];
  /** The provider's CCM needs a cloudConfig (and vSphere's CSI driver a csiConfig). */
  cloudConfig?: boolean;
  csiConfig?: boolean;
}

/** KubeOne 1.14's `init --provider` values. */
export const INIT_PROVIDERS: Readonly<Record<string, InitProvider>> = {
  aws: { manifestName: 'aws', terraform: true, external: true, requiredTFVars: [] },
  azure: { manifestName: 'azure', terraform: true, external: true, requiredTFVars: [], cloudConfig: true },
  digitalocean: { manifestName: 'digitalocean', terraform: true, external: true, requiredTFVars: [] },
  equinixmetal: { manifestName: 'equinixmetal', terraform: true, external: true, requiredTFVars: ['project_id'] },
  gce: { manifestName: 'gce', terraform: true, external: false, requiredTFVars: ['project'] },
  hetzner: { manifestName: 'hetzner', terraform: true, external: true, requiredTFVars: [] },
  kubevirt: { manifestName: 'kubevirt', terraform: false, external: true, requiredTFVars: [] },
  none: { manifestName: 'none', terraform: false, external: false, requiredTFVars: [] },
  nutanix: { manifestName: 'nutanix', terraform: true, external: false, requiredTFVars: ['nutanix_cluster_name', 'project_name', 'subnet_name', 'image_name'] },
  openstack: { manifestName: 'openstack', terraform: true, external: true, requiredTFVars: ['external_network_name', 'image', 'subnet_cidr'], cloudConfig: true },
  'vmware-cloud-director': { manifestName: 'vmwareCloudDirector', terraform: true, external: false, requiredTFVars: ['vcd_vdc_name', 'vcd_edge_gateway_name', 'catalog_name', 'template_name'] },
  vsphere: { manifestName: 'vsphere', terraform: true, external: true, requiredTFVars: ['datastore_name', 'network_name', 'template_name', 'resource_pool_name'], cloudConfig: true, csiConfig: true },
  'vsphere/flatcar': { manifestName: 'vsphere', terraform: true, external: true, requiredTFVars: ['datastore_name', 'network_name', 'template_name', 'resource_pool_name'], cloudConfig: true, csiConfig: true },
};

export const INIT_CNIS = ['canal', 'cilium', 'cilium-ebpf', 'external'] as const;
export type InitCni = (typeof INIT_CNIS)[number];

export interface InitOptions {
  provider: string;
  clusterName: string;
  kubernetesVersion: string;
  terraform: boolean;
  cni: InitCni;
  encryptionProviders: boolean;
  coreDNSPodDisruptionBudget: boolean;
  /** Control-plane hosts for provider none (default: one example host in the documentation range). */
  controlPlaneHosts?: HostConfig[];
  /** Terraform variables beyond cluster_name (answers of the interactive mode); required ones default to "". */
  terraformVars?: Record<string, string>;
}

export interface InitFiles {
  manifest: string;
  /** terraform.tfvars, when the provider has Terraform configurations and --terraform is on. */
  tfvars?: string;
}

function cni(choice: InitCni): Record<string, unknown> {
  switch (choice) {
    case 'canal':
      return { cni: { canal: {} } };
    case 'cilium':
      return { cni: { cilium: { enableHubble: true, kubeProxyReplacement: 'disabled' } } };
    case 'cilium-ebpf':
      return { cni: { cilium: { enableHubble: true, kubeProxyReplacement: 'strict' } }, kubeProxy: { skipInstallation: true } };
    case 'external':
      return { cni: { external: {} } };
  }
}

/** An HCL string literal: JSON's escapes, and no interpolation (`${`, `%{`). */
function hclString(value: string): string {
  return JSON.stringify(value).replace(/\$\{/g, '$${').replace(/%\{/g, '%%{');
}

export function renderInitFiles(o: InitOptions): InitFiles {
  const provider = INIT_PROVIDERS[o.provider];
  if (!provider) throw new Error(`unknown provider ${JSON.stringify(o.provider)}`);
  const withTerraform = o.terraform && provider.terraform;
  const bare = provider.manifestName === 'none';
  const cluster: Record<string, unknown> = {
    apiVersion: 'kubeone.k8c.io/v1beta2',
    kind: 'KubeOneCluster',
    // With Terraform, the name comes from its output (cluster_name), as in KubeOne.
    ...(withTerraform ? {} : { name: o.clusterName }),
    versions: { kubernetes: o.kubernetesVersion },
    cloudProvider: {
      [provider.manifestName]: {},
      ...(provider.external ? { external: true } : {}),
      ...(provider.cloudConfig ? { cloudConfig: `# the ${o.provider} cloud-config of its cloud-controller-manager goes here\n` } : {}),
      ...(provider.csiConfig ? { csiConfig: `# the ${o.provider} CSI driver configuration goes here\n` } : {}),
    },
    ...(bare ? { controlPlane: { hosts: o.controlPlaneHosts?.length ? o.controlPlaneHosts : EXAMPLE_HOSTS } } : {}),
    containerRuntime: { containerd: {} },
    clusterNetwork: cni(o.cni),
    ...(o.encryptionProviders || o.coreDNSPodDisruptionBudget
      ? {
          features: {
            ...(o.encryptionProviders ? { encryptionProviders: { enable: true } } : {}),
            ...(o.coreDNSPodDisruptionBudget ? { coreDNS: { deployPodDisruptionBudget: true } } : {}),
          },
        }
      : {}),
    ...(bare ? { machineController: { deploy: false }, operatingSystemManager: { deploy: false } } : { addons: { enable: true, addons: [{ name: 'default-storage-class' }] } }),
  };
  const header = bare
    ? '# KubeOneCluster manifest (kubeone init). The control-plane hosts below are examples: put your machines there, then run kubeone config validate.\n'
    : withTerraform
      ? '# KubeOneCluster manifest (kubeone init). Hosts and the cluster name come from the Terraform output: kubeone apply -m kubeone.yaml -t .\n'
      : '# KubeOneCluster manifest (kubeone init).\n';
  const files: InitFiles = { manifest: header + stringify(cluster, { lineWidth: 0 }) };
  if (withTerraform) {
    const vars: Record<string, string> = Object.fromEntries(provider.requiredTFVars.map((k) => [k, '']));
    Object.assign(vars, o.terraformVars);
    const lines = Object.keys(vars)
      .filter((k) => k !== 'cluster_name')
      .sort()
      .map((k) => `${k} = ${hclString(vars[k]!)}`);
    files.tfvars = [`# Terraform variables for the ${o.provider} infrastructure (kubeone init). Fill in the empty ones.`, `cluster_name = ${hclString(o.clusterName)}`, '', ...lines, ''].join('\n');
  }
  return files;
}
