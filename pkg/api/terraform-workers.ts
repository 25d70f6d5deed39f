// Terraform's kubeone_workers merged into dynamicWorkers, as KubeOne 1.14 does
// (pkg/terraform/v1beta2): a workerset the manifest does not name is added whole; for one it
// names, only the cloudProviderSpec keys of the cluster's provider are taken from Terraform,
// and only those the manifest does not set (the manifest wins, and its replicas, SSH keys,
// operating system... stay). Terraform's spec is decoded strictly into machine-controller's
// spec of the provider: an unknown key is an error. Empty values are skipped as Go sees them:
// "", 0, null, an empty list; a plain boolean is always taken (Go cannot tell false from absent).
import { providerName } from './provider.js';
import type { DynamicWorkerConfig, KubeOneCluster } from './types.js';

/** How Go decodes a field: which values count as "not set in the Terraform output". */
type FieldKind = 'string' | 'int' | 'bool' | 'pointer' | 'list' | 'map';

const s = 'string', i = 'int', b = 'bool', p = 'pointer', l = 'list', m = 'map';
/** machine-controller's spec fields per provider (KubeOne's cloudprovider_specs.go). */
export const PROVIDER_SPEC_FIELDS: Partial<Record<string, Record<string, FieldKind>>> = {
  aws: { ami: s, assignPublicIP: p, availabilityZone: s, diskIops: p, diskSize: p, diskType: s, ebsVolumeEncrypted: b, instanceProfile: s, instanceType: p, isSpotInstance: p, spotInstanceConfig: p, region: s, securityGroupIDs: l, subnetId: s, tags: m, vpcId: s },
  azure: {
    location: s, resourceGroup: s, vnetResourceGroup: s, vmSize: s, vnetName: s, subnetName: s, loadBalancerSku: s, routeTableName: s, availabilitySet: s, assignAvailabilitySet: p,
    securityGroupName: s, zones: l, imagePlan: p, imageReference: p, imageID: s, osDiskSize: i, osDiskSKU: p, dataDiskSize: i, dataDiskSKU: p, assignPublicIP: b, publicIPSKU: s, tags: m,
  },
  digitalocean: { region: s, size: s, backups: b, ipv6: b, private_networking: b, monitoring: b, tags: l },
  gce: { diskSize: i, diskType: s, machineType: s, network: s, subnetwork: s, zone: s, preemptible: b, assignPublicIPAddress: p, labels: m, tags: l, multizone: p, regional: p, customImage: s },
  hetzner: { serverType: s, datacenter: s, location: s, image: s, networks: l, labels: m },
  nutanix: { clusterName: s, projectName: p, subnetName: s, imageName: s, cpus: i, cpuCores: p, cpuPassthrough: p, memoryMB: i, diskSize: p, categories: m },
  openstack: { image: s, flavor: s, securityGroups: l, floatingIPPool: s, availabilityZone: s, network: s, subnet: s, rootDiskSizeGB: p, nodeVolumeAttachLimit: p, trustDevicePath: b, tags: m, configDrive: b },
  equinixmetal: { projectID: s, billingCycle: s, metro: s, facilities: l, instanceType: s, tags: l },
  vsphere: { allowInsecure: b, cluster: s, cpus: i, datacenter: s, datastore: s, datastoreCluster: s, diskSizeGB: p, folder: s, resourcePool: s, memoryMB: i, templateVMName: s, vmNetName: s },
  vmwareCloudDirector: {
    organization: s, vdc: s, allowInsecure: b, vapp: s, template: s, catalog: s, placementPolicy: p, network: s, ipAllocationMode: s, cpus: i, cpuCores: i, memoryMB: i,
    sizingPolicy: p, diskSizeGB: p, storageProfile: p, diskIOPS: p, diskBusType: p, metadata: p,
  },
};

function isEmpty(kind: FieldKind, v: unknown): boolean {
  if (v === undefined || v === null) return kind !== 'bool';
  if (kind === 'string') return v === '';
  if (kind === 'int') return v === 0;
  if (kind === 'list') return Array.isArray(v) && v.length === 0;
  return false;
}

/** Go matches JSON keys to struct fields ignoring case. */
const fieldNamed = (fields: Record<string, FieldKind>, key: string): string | undefined =>
  key in fields ? key : Object.keys(fields).find((f) => f.toLowerCase() === key.toLowerCase());

export interface WorkerMergeIssue {
  path: string;
  message: string;
}

/**
 * `existing` with the cloudProviderSpec keys of Terraform's `incoming` it does not set.
 * `path` names the Terraform workerset in messages.
 */
export function mergeTerraformWorkerset(c: KubeOneCluster, existing: DynamicWorkerConfig, incoming: unknown, path: string, issues: WorkerMergeIssue[]): DynamicWorkerConfig {
  const provider = providerName(c.cloudProvider) ?? '';
  const fields = PROVIDER_SPEC_FIELDS[provider];
  if (!fields) {
    issues.push({ path, message: `cannot merge a Terraform workerset into dynamicWorkers ${JSON.stringify(existing.name)}: KubeOne knows no machine spec of cloud provider ${JSON.stringify(provider)}` });
    return existing;
  }
  const spec = incoming && typeof incoming === 'object' ? ((incoming as { providerSpec?: { cloudProviderSpec?: unknown } }).providerSpec?.cloudProviderSpec ?? {}) : {};
  if (typeof spec !== 'object' || spec === null || Array.isArray(spec)) {
    issues.push({ path: `${path}.providerSpec.cloudProviderSpec`, message: 'must be an object' });
    return existing;
  }
  const taken: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(spec)) {
    const field = fieldNamed(fields, key);
    if (!field) {
      issues.push({ path: `${path}.providerSpec.cloudProviderSpec.${key}`, message: `unknown field of the ${provider} machine spec` });
      continue;
    }
    taken[field] = value;
  }
  const current = existing.providerSpec?.cloudProviderSpec;
  const merged: Record<string, unknown> = current && typeof current === 'object' && !Array.isArray(current) ? { ...(current as Record<string, unknown>) } : {};
  for (const [field, kind] of Object.entries(fields)) {
    const value = taken[field] ?? (kind === 'bool' ? false : undefined);
    if (isEmpty(kind, value) || field in merged) continue;
    merged[field] = value;
  }
  return { ...existing, providerSpec: { ...existing.providerSpec, cloudProviderSpec: merged } };
}
