import { providerName, providersSet } from '../provider.js';
import type { KubeOneCluster } from '../types.js';
import { Issues } from './util.js';

export const MIN_KUBERNETES_MINOR = 34;
export const MAX_KUBERNETES_MINOR = 36;

export function validateAPIEndpoint(c: KubeOneCluster, out: Issues): void {
  const ep = c.apiEndpoint ?? {};
  // Without any control-plane host the missing host is already reported under controlPlane.
  if (!ep.host && !c.controlPlane?.nodeSets?.length && c.controlPlane?.hosts?.length) out.add('apiEndpoint.host', 'no API endpoint host given');
  if (ep.port !== undefined) {
    if (ep.port <= 0) out.add('apiEndpoint.port', 'apiEndpoint.port must be greater than 0');
    else if (ep.port > 65535) out.add('apiEndpoint.port', 'apiEndpoint.port must be lower than 65535');
  }
  const seen = new Set<string>();
  (ep.alternativeNames ?? []).forEach((name, i) => {
    if (seen.has(name)) out.add(`apiEndpoint.alternativeNames[${i}]`, `duplicate alternative name ${JSON.stringify(name)}`);
    seen.add(name);
  });
}

export function validateCloudProvider(c: KubeOneCluster, out: Issues): void {
  const cp = c.cloudProvider ?? {};
  const set = providersSet(cp);
  if (set.length === 0) {
    out.add('cloudProvider', 'provider must be specified');
    return;
  }
  if (set.length > 1) out.add('cloudProvider', `only one provider can be used at the same time (found ${set.join(', ')})`);
  const p = providerName(cp);
  if ((p === 'azure' || p === 'openstack' || p === 'vsphere') && !cp.cloudConfig) {
    out.add('cloudProvider.cloudConfig', `required for the ${p} cloud provider`);
  }
  if (p === 'vsphere' && cp.external && !cp.disableBundledCSIDrivers && !cp.csiConfig) {
    out.add('cloudProvider.csiConfig', 'required for vsphere with the external cloud provider unless disableBundledCSIDrivers is true');
  }
  if (p === 'aws' && cp.external && c.clusterNetwork?.ipFamily === 'IPv4+IPv6' && !cp.cloudConfig) {
    out.add('cloudProvider.cloudConfig', 'required for aws dual-stack with the external cloud provider');
  }
  const nodeSets = c.controlPlane?.nodeSets?.length ?? 0;
  validateProviderSpecs(c, out);
  if (p === 'kubevirt' && nodeSets > 0 && !cp.kubevirt?.controlPlane && !c.apiEndpoint?.host) {
    out.add('apiEndpoint.host', 'required when the KubeVirt control plane is managed (controlPlane.nodeSets) without cloudProvider.kubevirt.controlPlane (no load balancer provides one)');
  }
  if (nodeSets > 0 && p && p !== 'hetzner' && p !== 'openstack' && p !== 'kubevirt') {
    out.add('controlPlane.nodeSets', 'configured cloud provider does not support managed control plane nodes');
  }
  if (p === 'vmwareCloudDirector' && cp.external) out.add('cloudProvider.external', 'external cloud provider is not supported for VMware Cloud Director');
  if (p === 'none') {
    if (c.machineController?.deploy) out.add('machineController.deploy', 'machine-controller requires a cloud provider; cannot be deployed with cloudProvider none');
    if (c.operatingSystemManager?.deploy) out.add('operatingSystemManager.deploy', 'operating-system-manager cannot be deployed with cloudProvider none');
  }
  if (cp.csiConfig) {
    if (cp.disableBundledCSIDrivers) out.add('cloudProvider.csiConfig', 'csiConfig cannot be combined with disableBundledCSIDrivers');
    if (p !== 'vsphere') out.add('cloudProvider.csiConfig', 'csiConfig is only supported for vsphere');
  }
}

/** Kubernetes' Service types (core/v1 ServiceType). */
const SERVICE_TYPES = ['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName'];
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** A cloud resource name or ID as it goes into addon objects and cloud APIs: one printable line, no quotes or backslashes. */
// eslint-disable-next-line no-control-regex
const CLOUD_NAME = /^[^\x00-\x1f\x7f"'`\\]{1,255}$/;

/** KubeOne's per-provider rules (validateHetznerSpec, validateOpenstackSpec, validateKubevirtSpec) and the shapes of the values addons render. */
function validateProviderSpecs(c: KubeOneCluster, out: Issues): void {
  const cp = c.cloudProvider ?? {};
  const name = (value: string | undefined, path: string): void => {
    if (value !== undefined && value !== '' && !CLOUD_NAME.test(value)) out.add(path, `${JSON.stringify(value)} is not a valid name: one line of at most 255 printable characters without quotes or backslashes`);
  };
  if (cp.hetzner) {
    const h = cp.hetzner;
    if (h.controlPlane && !h.networkID) out.add('cloudProvider.hetzner.networkID', 'networkID is required when cloudProvider.hetzner.controlPlane is specified');
    name(h.networkID, 'cloudProvider.hetzner.networkID');
    const lb = h.controlPlane?.loadBalancer;
    name(lb?.name, 'cloudProvider.hetzner.controlPlane.loadBalancer.name');
    if (lb?.type && !/^lb[0-9]+$/.test(lb.type)) out.add('cloudProvider.hetzner.controlPlane.loadBalancer.type', `${JSON.stringify(lb.type)} is not a Hetzner load balancer type (lb11, lb21, lb31, ...)`);
    if (lb?.location && !/^[a-z][a-z0-9-]{1,30}$/.test(lb.location)) out.add('cloudProvider.hetzner.controlPlane.loadBalancer.location', `${JSON.stringify(lb.location)} is not a Hetzner location (nbg1, fsn1, hel1, ash, ...)`);
  }
  if (cp.openstack?.controlPlane) {
    const lb = cp.openstack.controlPlane.loadBalancer;
    if (!lb?.name) out.add('cloudProvider.openstack.controlPlane.loadBalancer.name', 'loadBalancer name is required when cloudProvider.openstack.controlPlane is specified');
    name(lb?.name, 'cloudProvider.openstack.controlPlane.loadBalancer.name');
    name(lb?.poolID, 'cloudProvider.openstack.controlPlane.loadBalancer.poolID');
  }
  if (cp.kubevirt) {
    const k = cp.kubevirt;
    if (!k.infraNamespace) out.add('cloudProvider.kubevirt.infraNamespace', 'is required for kubevirt provider');
    else if (k.infraNamespace.length > 63 || !DNS1123_LABEL.test(k.infraNamespace)) out.add('cloudProvider.kubevirt.infraNamespace', `${JSON.stringify(k.infraNamespace)} is not a namespace name (a DNS-1123 label)`);
    const lb = k.controlPlane?.loadBalancer;
    if (lb?.name && (lb.name.length > 63 || !DNS1035_LABEL.test(lb.name))) out.add('cloudProvider.kubevirt.controlPlane.loadBalancer.name', `${JSON.stringify(lb.name)} is not a Service name (a DNS-1035 label: lower case alphanumerics and "-", starting with a letter)`);
    if (lb?.serviceType && !SERVICE_TYPES.includes(lb.serviceType)) out.add('cloudProvider.kubevirt.controlPlane.loadBalancer.serviceType', `${JSON.stringify(lb.serviceType)} is not a Service type (${SERVICE_TYPES.join(', ')})`);
  }
  if (cp.vmwareCloudDirector) {
    name(cp.vmwareCloudDirector.vApp, 'cloudProvider.vmwareCloudDirector.vApp');
    name(cp.vmwareCloudDirector.storageProfile, 'cloudProvider.vmwareCloudDirector.storageProfile');
  }
  if (cp.secretProviderClassName !== undefined && cp.secretProviderClassName !== '' && !(cp.secretProviderClassName.length <= 253 && /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(cp.secretProviderClassName))) {
    out.add('cloudProvider.secretProviderClassName', `${JSON.stringify(cp.secretProviderClassName)} is not a SecretProviderClass name (a DNS-1123 subdomain)`);
  }
}

const SEMVER = /^(\d+)\.(\d+)\.(\d+)(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/;

export function parseVersion(v: string): { major: number; minor: number; patch: number } | undefined {
  const m = SEMVER.exec(v);
  return m ? { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3]) } : undefined;
}

export function validateVersions(c: KubeOneCluster, out: Issues): void {
  const v = c.versions?.kubernetes;
  const path = 'versions.kubernetes';
  if (!v) {
    out.add(path, 'kubernetes version is required');
    return;
  }
  if (v.startsWith('v')) out.add(path, 'kubernetes version must not start with "v"');
  if (v.includes('-eks-')) {
    out.add(path, 'Amazon EKS-D clusters are not supported by KubeOne 1.4+');
    return;
  }
  const sv = parseVersion(v);
  if (!sv) {
    out.add(path, `${JSON.stringify(v)} is not a semantic version (expected x.y.z, e.g. 1.35.1)`);
    return;
  }
  if (sv.major !== 1 || sv.minor < MIN_KUBERNETES_MINOR) {
    out.add(path, `kubernetes version ${v} is not supported: the minimum supported version is 1.${MIN_KUBERNETES_MINOR}. You need to use an older KubeOne version to manage this cluster`);
  } else if (sv.minor > MAX_KUBERNETES_MINOR) {
    out.add(path, `kubernetes version ${v} is not supported: the maximum supported version is 1.${MAX_KUBERNETES_MINOR}. This version is not yet supported, use a newer KubeOne version`);
  }
}
