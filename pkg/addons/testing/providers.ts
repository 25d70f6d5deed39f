// Example settings and credentials for every cloud provider KubeOne supports, as its docs
// describe them (the values are made up): what tests render, plan and apply. Every value of the
// credentials is masked wherever it appears in output, so none is an ordinary word.
import type { CloudProviderSpec, ProviderName } from '../../api/types.js';

export interface ProviderExample {
  /** cloudProvider as the user writes it (external is forced by defaulting). */
  cloudProvider: CloudProviderSpec;
  /** The credentials file: KubeOne's variable names. */
  credentials: Record<string, string>;
  /** The addons KubeOne deploys for it (ensureCSIAddons, then ensureCCMAddons), with the Secrets. */
  addons: string[];
}

const SERVICE_ACCOUNT = JSON.stringify({ type: 'service_account', project_id: 'example-project', private_key_id: 'example-key-id', client_email: 'kubeone@example-project.iam.gserviceaccount.com' });

const INFRA_KUBECONFIG = [
  'apiVersion: v1',
  'kind: Config',
  'clusters: [{name: infra, cluster: {server: "https://infra.example:6443"}}]',
  'users: [{name: infra, user: {token: example-infra-token}}]',
  'contexts: [{name: infra, context: {cluster: infra, user: infra}}]',
  'current-context: infra',
  '',
].join('\n');

export const PROVIDER_EXAMPLES: Record<Exclude<ProviderName, 'none'>, ProviderExample> = {
  aws: {
    cloudProvider: { aws: {} },
    credentials: { AWS_ACCESS_KEY_ID: 'AKIAEXAMPLEEXAMPLE00', AWS_SECRET_ACCESS_KEY: 'example-aws-secret-access-key' },
    addons: ['cloud-credentials', 'csi-aws-ebs', 'csi-external-snapshotter', 'ccm-aws'],
  },
  azure: {
    cloudProvider: {
      azure: {},
      cloudConfig: '{"cloud": "AzurePublicCloud", "tenantId": "{{ .Credentials.AZURE_TENANT_ID }}", "subscriptionId": "{{ .Credentials.AZURE_SUBSCRIPTION_ID }}", "aadClientId": "{{ .Credentials.AZURE_CLIENT_ID }}", "aadClientSecret": "{{ .Credentials.AZURE_CLIENT_SECRET }}", "resourceGroup": "kubeone", "location": "westeurope", "vnetName": "kubeone", "subnetName": "kubeone", "routeTableName": "kubeone", "securityGroupName": "kubeone", "primaryAvailabilitySetName": "kubeone", "useInstanceMetadata": true, "loadBalancerSku": "standard"}\n',
    },
    credentials: { ARM_CLIENT_ID: 'example-client-id', ARM_CLIENT_SECRET: 'example-azure-client-secret', ARM_TENANT_ID: 'example-tenant-id', ARM_SUBSCRIPTION_ID: 'example-subscription-id' },
    addons: ['cloud-credentials', 'csi-azuredisk', 'csi-azurefile', 'csi-external-snapshotter', 'ccm-azure'],
  },
  digitalocean: {
    cloudProvider: { digitalocean: {} },
    credentials: { DIGITALOCEAN_TOKEN: 'example-digitalocean-token' },
    addons: ['cloud-credentials', 'csi-digitalocean', 'csi-external-snapshotter', 'ccm-digitalocean'],
  },
  equinixmetal: {
    cloudProvider: { equinixmetal: {} },
    credentials: { METAL_AUTH_TOKEN: 'example-metal-token', METAL_PROJECT_ID: 'example-metal-project' },
    addons: ['cloud-credentials', 'ccm-equinixmetal'],
  },
  gce: {
    cloudProvider: { gce: {}, cloudConfig: '[global]\nproject-id = "example-project"\nnetwork-name = "kubeone"\nmultizone = true\n' },
    credentials: { GOOGLE_CREDENTIALS: SERVICE_ACCOUNT },
    addons: ['cloud-credentials', 'csi-gcp-compute-persistent', 'csi-external-snapshotter', 'ccm-gcp'],
  },
  hetzner: {
    cloudProvider: { hetzner: { networkID: 'kubeone-net' } },
    credentials: { HCLOUD_TOKEN: 'example-hcloud-token-0123456789' },
    addons: ['cloud-credentials', 'csi-hetzner', 'csi-external-snapshotter', 'ccm-hetzner'],
  },
  kubevirt: {
    cloudProvider: { kubevirt: { infraNamespace: 'tenant-a', zoneAndRegionEnabled: true, loadBalancerEnabled: true } },
    credentials: { KUBEVIRT_KUBECONFIG: INFRA_KUBECONFIG },
    addons: ['cloud-credentials', 'csi-kubevirt', 'csi-external-snapshotter', 'ccm-kubevirt'],
  },
  nutanix: {
    cloudProvider: { nutanix: {} },
    credentials: { NUTANIX_ENDPOINT: 'prism.example', NUTANIX_PORT: '9440', NUTANIX_USERNAME: 'prism-user-1', NUTANIX_PASSWORD: 'example-nutanix-password' },
    addons: ['cloud-credentials', 'csi-nutanix', 'csi-external-snapshotter', 'ccm-nutanix'],
  },
  openstack: {
    cloudProvider: {
      openstack: {},
      cloudConfig: '[Global]\nauth-url = "{{ .Credentials.OS_AUTH_URL }}"\nusername = "{{ .Credentials.OS_USERNAME }}"\npassword = "{{ .Credentials.OS_PASSWORD }}"\ntenant-name = "{{ .Credentials.OS_TENANT_NAME }}"\ndomain-name = "{{ .Credentials.OS_DOMAIN_NAME }}"\nregion = "{{ .Credentials.OS_REGION_NAME }}"\n\n[LoadBalancer]\nfloating-network-id = "example-floating-network"\n',
    },
    credentials: { OS_AUTH_URL: 'https://keystone.example:5000/v3', OS_USERNAME: 'os-user-1', OS_PASSWORD: 'example-openstack-password', OS_DOMAIN_NAME: 'os-domain-1', OS_REGION_NAME: 'os-region-1', OS_TENANT_NAME: 'os-project-1' },
    addons: ['cloud-credentials', 'csi-openstack-cinder', 'csi-external-snapshotter', 'ccm-openstack'],
  },
  vmwareCloudDirector: {
    cloudProvider: { vmwareCloudDirector: { vApp: 'kubeone-vapp', storageProfile: 'Fast' } },
    credentials: { VCD_USER: 'vcd-user-1', VCD_PASSWORD: 'example-vcd-password', VCD_ORG: 'example-org', VCD_URL: 'https://vcd.example/api', VCD_VDC: 'example-vdc' },
    addons: ['cloud-credentials', 'csi-vmware-cloud-director', 'csi-external-snapshotter'],
  },
  vsphere: {
    cloudProvider: {
      vsphere: {},
      cloudConfig: '[Global]\nsecret-name = "vsphere-ccm-credentials"\nsecret-namespace = "kube-system"\nport = "443"\ninsecure-flag = "0"\n\n[VirtualCenter "vcenter.example"]\ndatacenters = "dc-1"\n',
      csiConfig: '[Global]\ncluster-id = "kubeone"\n\n[VirtualCenter "vcenter.example"]\ninsecure-flag = "false"\nuser = "administrator@vsphere.local"\npassword = "example-vsphere-password"\nport = "443"\ndatacenters = "dc-1"\n',
    },
    credentials: { VSPHERE_SERVER: 'vcenter.example', VSPHERE_USER: 'administrator@vsphere.local', VSPHERE_PASSWORD: 'example-vsphere-password' },
    addons: ['cloud-credentials', 'csi-vsphere', 'csi-external-snapshotter', 'ccm-vsphere'],
  },
};

/** Every provider's example credentials in one environment (each provider reads only its own). */
export function allExampleCredentials(): Record<string, string> {
  return Object.assign({}, ...Object.values(PROVIDER_EXAMPLES).map((p) => p.credentials));
}
