import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { applyDefaults } from '../defaults.js';
import type { Issue } from '../errors.js';
import { baseCluster } from '../testing/base-cluster.js';
import type { KubeOneCluster } from '../types.js';
import { validate } from './index.js';

const CERT = `-----BEGIN CERTIFICATE-----
MIIBfTCCASOgAwIBAgIUQ7Xk9ZVPkm2ukFeYxuAS7cY0MrYwCgYIKoZIzj0EAwIw
FDESMBAGA1UEAwwJdGVzdC1yb290MB4XDTI0MDEwMTAwMDAwMFoXDTM0MDEwMTAw
MDAwMFowFDESMBAGA1UEAwwJdGVzdC1yb290MFkwEwYHKoZIzj0CAQYIKoZIzj0D
AQcDQgAE
-----END CERTIFICATE-----`;

const VALID_CA = readFileSync(new URL('../testdata/ca.crt', import.meta.url), 'utf8');

function run(mutate: (c: KubeOneCluster) => void): Issue[] {
  const c = baseCluster();
  mutate(c);
  return validate(applyDefaults(c));
}

/** Each rule: a mutation that keeps the manifest valid, and one that breaks it at `path`. */
interface RuleCase {
  rule: string;
  pass: (c: KubeOneCluster) => void;
  fail: (c: KubeOneCluster) => void;
  path: string;
  message: RegExp;
}

const cp = (c: KubeOneCluster) => c.controlPlane!.hosts![0]!;
const sw = (c: KubeOneCluster) => c.staticWorkers!.hosts![0]!;

const cases: RuleCase[] = [
  { rule: 'name required', pass: () => {}, fail: (c) => delete c.name, path: 'name', message: /no cluster name/ },
  { rule: 'name DNS-1123', pass: (c) => (c.name = 'a.b-c'), fail: (c) => (c.name = 'Bad_Name'), path: 'name', message: /DNS-1123/ },
  { rule: 'control plane required', pass: () => {}, fail: (c) => (c.controlPlane = { hosts: [] }), path: 'controlPlane', message: /required field/ },
  {
    rule: 'odd number of nodeSets',
    pass: (c) => { c.cloudProvider = { hetzner: { networkID: 'n' } }; c.controlPlane = { nodeSets: [{ name: 'a' }] }; c.staticWorkers = {}; },
    fail: (c) => { c.cloudProvider = { hetzner: { networkID: 'n' } }; c.controlPlane = { nodeSets: [{ name: 'a' }, { name: 'b' }] }; c.staticWorkers = {}; },
    path: 'controlPlane.nodeSets', message: /odd/,
  },
  {
    rule: 'one leader',
    pass: (c) => { cp(c).isLeader = true; },
    fail: (c) => { c.controlPlane!.hosts!.push({ publicAddress: '192.0.2.11', isLeader: true }); cp(c).isLeader = true; },
    path: 'controlPlane.hosts[1].isLeader', message: /only one leader/,
  },
  { rule: 'publicAddress required', pass: (c) => delete cp(c).publicAddress, fail: (c) => { delete cp(c).publicAddress; delete cp(c).privateAddress; }, path: 'controlPlane.hosts[0].publicAddress', message: /no public/ },
  { rule: 'privateAddress required', pass: (c) => delete cp(c).privateAddress, fail: (c) => { delete cp(c).publicAddress; delete cp(c).privateAddress; }, path: 'controlPlane.hosts[0].privateAddress', message: /no private/ },
  {
    rule: 'ipv6Addresses for dual-stack',
    pass: (c) => { c.clusterNetwork = { ipFamily: 'IPv4+IPv6' }; for (const h of [cp(c), sw(c)]) h.ipv6Addresses = ['fd00::1']; sw(c).ipv6Addresses = ['fd00::2']; },
    fail: (c) => { c.clusterNetwork = { ipFamily: 'IPv4+IPv6' }; sw(c).ipv6Addresses = ['fd00::2']; },
    path: 'controlPlane.hosts[0].ipv6Addresses', message: /required/,
  },
  { rule: 'sshUsername required (defaults to root)', pass: (c) => (cp(c).sshUsername = 'ubuntu'), fail: () => {}, path: '', message: /never/ },
  { rule: 'kubelet maxPods > 0', pass: (c) => (cp(c).kubelet = { maxPods: 110 }), fail: (c) => (cp(c).kubelet = { maxPods: 0 }), path: 'controlPlane.hosts[0].kubelet.maxPods', message: /greater than 0/ },
  { rule: 'kubelet imageGC percent range', pass: (c) => (cp(c).kubelet = { imageGCHighThresholdPercent: 85 }), fail: (c) => (cp(c).kubelet = { imageGCHighThresholdPercent: 101 }), path: 'controlPlane.hosts[0].kubelet.imageGCHighThresholdPercent', message: /between 0 and 100/ },
  { rule: 'top-level kubeletConfig rules', pass: (c) => (c.kubeletConfig = { imageGCLowThresholdPercent: 80 }), fail: (c) => (c.kubeletConfig = { imageGCLowThresholdPercent: -1 }), path: 'kubeletConfig.imageGCLowThresholdPercent', message: /between 0 and 100/ },
  { rule: 'label removal key has empty value', pass: (c) => (cp(c).labels = { 'foo-': '' }), fail: (c) => (cp(c).labels = { 'foo-': 'x' }), path: 'controlPlane.hosts[0].labels.foo-', message: /empty value/ },
  { rule: 'annotation removal key has empty value', pass: (c) => (sw(c).annotations = { 'a-': '' }), fail: (c) => (sw(c).annotations = { 'a-': 'x' }), path: 'staticWorkers.hosts[0].annotations.a-', message: /empty value/ },
  { rule: 'master taint forbidden', pass: (c) => (cp(c).taints = [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }]), fail: (c) => (cp(c).taints = [{ key: 'node-role.kubernetes.io/master', effect: 'NoSchedule' }]), path: 'controlPlane.hosts[0].taints[0].key', message: /forbidden/ },
  { rule: 'apiEndpoint port > 0', pass: (c) => (c.apiEndpoint = { port: 443 }), fail: (c) => (c.apiEndpoint = { port: -1 }), path: 'apiEndpoint.port', message: /greater than 0/ },
  { rule: 'apiEndpoint port <= 65535', pass: (c) => (c.apiEndpoint = { port: 65535 }), fail: (c) => (c.apiEndpoint = { port: 70000 }), path: 'apiEndpoint.port', message: /lower than 65535/ },
  { rule: 'alternativeNames unique', pass: (c) => (c.apiEndpoint = { alternativeNames: ['a', 'b'] }), fail: (c) => (c.apiEndpoint = { alternativeNames: ['a', 'a'] }), path: 'apiEndpoint.alternativeNames[1]', message: /duplicate/ },
  { rule: 'apiEndpoint host required', pass: () => {}, fail: (c) => { for (const h of [cp(c)]) { delete h.publicAddress; delete h.privateAddress; } }, path: 'apiEndpoint.host', message: /no API endpoint/ },
  { rule: 'provider must be specified', pass: () => {}, fail: (c) => (c.cloudProvider = {}), path: 'cloudProvider', message: /provider must be specified/ },
  { rule: 'only one provider', pass: () => {}, fail: (c) => (c.cloudProvider = { none: {}, aws: {} }), path: 'cloudProvider', message: /only one provider/ },
  { rule: 'azure needs cloudConfig', pass: (c) => (c.cloudProvider = { azure: {}, cloudConfig: 'x' }), fail: (c) => (c.cloudProvider = { azure: {} }), path: 'cloudProvider.cloudConfig', message: /azure/ },
  { rule: 'openstack needs cloudConfig', pass: (c) => (c.cloudProvider = { openstack: {}, cloudConfig: 'x' }), fail: (c) => (c.cloudProvider = { openstack: {} }), path: 'cloudProvider.cloudConfig', message: /openstack/ },
  { rule: 'vsphere external needs csiConfig', pass: (c) => (c.cloudProvider = { vsphere: {}, cloudConfig: 'x', csiConfig: 'y' }), fail: (c) => (c.cloudProvider = { vsphere: {}, cloudConfig: 'x' }), path: 'cloudProvider.csiConfig', message: /required for vsphere/ },
  { rule: 'aws dual-stack needs cloudConfig (default satisfies it)', pass: (c) => { c.cloudProvider = { aws: {} }; c.clusterNetwork = { ipFamily: 'IPv4+IPv6' }; cp(c).ipv6Addresses = ['fd::1']; sw(c).ipv6Addresses = ['fd::2']; }, fail: () => {}, path: '', message: /never/ },
  { rule: 'hetzner nodeSets need networkID', pass: (c) => { c.cloudProvider = { hetzner: { networkID: 'n' } }; c.controlPlane = { nodeSets: [{ name: 'a' }] }; c.staticWorkers = {}; }, fail: (c) => { c.cloudProvider = { hetzner: {} }; c.controlPlane = { nodeSets: [{ name: 'a' }] }; c.staticWorkers = {}; }, path: 'cloudProvider.hetzner.networkID', message: /required/ },
  { rule: 'hetzner controlPlane needs networkID (KubeOne: whether or not nodeSets exist)', pass: (c) => (c.cloudProvider = { hetzner: { networkID: 'n', controlPlane: { loadBalancer: { type: 'lb21', location: 'fsn1' } } } }), fail: (c) => (c.cloudProvider = { hetzner: { controlPlane: {} } }), path: 'cloudProvider.hetzner.networkID', message: /networkID is required/ },
  { rule: 'hetzner load balancer type', pass: (c) => (c.cloudProvider = { hetzner: { networkID: 'n', controlPlane: { loadBalancer: { type: 'lb11' } } } }), fail: (c) => (c.cloudProvider = { hetzner: { networkID: 'n', controlPlane: { loadBalancer: { type: 'big' } } } }), path: 'cloudProvider.hetzner.controlPlane.loadBalancer.type', message: /load balancer type/ },
  { rule: 'hetzner network ID shape', pass: (c) => (c.cloudProvider = { hetzner: { networkID: '1234567' } }), fail: (c) => (c.cloudProvider = { hetzner: { networkID: 'net"\n  evil: x' } }), path: 'cloudProvider.hetzner.networkID', message: /not a valid name/ },
  { rule: 'openstack controlPlane needs a load balancer name', pass: (c) => (c.cloudProvider = { openstack: { controlPlane: { loadBalancer: { name: 'kube-api' } } }, cloudConfig: 'x' }), fail: (c) => (c.cloudProvider = { openstack: { controlPlane: { loadBalancer: { poolID: 'p' } } }, cloudConfig: 'x' }), path: 'cloudProvider.openstack.controlPlane.loadBalancer.name', message: /loadBalancer name is required/ },
  { rule: 'kubevirt load balancer Service name', pass: (c) => (c.cloudProvider = { kubevirt: { infraNamespace: 'ns', controlPlane: { loadBalancer: { name: 'kube-api' } } } }), fail: (c) => (c.cloudProvider = { kubevirt: { infraNamespace: 'ns', controlPlane: { loadBalancer: { name: '1-API' } } } }), path: 'cloudProvider.kubevirt.controlPlane.loadBalancer.name', message: /DNS-1035/ },
  { rule: 'kubevirt load balancer Service type', pass: (c) => (c.cloudProvider = { kubevirt: { infraNamespace: 'ns', controlPlane: { loadBalancer: { serviceType: 'NodePort' } } } }), fail: (c) => (c.cloudProvider = { kubevirt: { infraNamespace: 'ns', controlPlane: { loadBalancer: { serviceType: 'Balancer' } } } }), path: 'cloudProvider.kubevirt.controlPlane.loadBalancer.serviceType', message: /not a Service type/ },
  { rule: 'kubevirt infraNamespace is a namespace name', pass: (c) => (c.cloudProvider = { kubevirt: { infraNamespace: 'tenant-1' } }), fail: (c) => (c.cloudProvider = { kubevirt: { infraNamespace: 'Tenant_1' } }), path: 'cloudProvider.kubevirt.infraNamespace', message: /DNS-1123 label/ },
  { rule: 'kubevirt managed control plane without load balancer needs apiEndpoint.host', pass: (c) => { c.cloudProvider = { kubevirt: { infraNamespace: 'ns' } }; c.controlPlane = { nodeSets: [{ name: 'a' }] }; c.staticWorkers = {}; c.apiEndpoint = { host: 'api.example' }; }, fail: (c) => { c.cloudProvider = { kubevirt: { infraNamespace: 'ns' } }; c.controlPlane = { nodeSets: [{ name: 'a' }] }; c.staticWorkers = {}; }, path: 'apiEndpoint.host', message: /KubeVirt control plane/ },
  { rule: 'vmwareCloudDirector vApp shape', pass: (c) => (c.cloudProvider = { vmwareCloudDirector: { vApp: 'kube one', storageProfile: '*' } }), fail: (c) => (c.cloudProvider = { vmwareCloudDirector: { vApp: 'a\nb' } }), path: 'cloudProvider.vmwareCloudDirector.vApp', message: /not a valid name/ },
  { rule: 'secretProviderClassName is a resource name', pass: (c) => (c.cloudProvider = { hetzner: {}, secretProviderClassName: 'vault-kubeone' }), fail: (c) => (c.cloudProvider = { hetzner: {}, secretProviderClassName: 'Vault KubeOne' }), path: 'cloudProvider.secretProviderClassName', message: /SecretProviderClass/ },
  { rule: 'kubevirt infraNamespace', pass: (c) => (c.cloudProvider = { kubevirt: { infraNamespace: 'ns' } }), fail: (c) => (c.cloudProvider = { kubevirt: {} }), path: 'cloudProvider.kubevirt.infraNamespace', message: /required/ },
  { rule: 'unsupported provider for nodeSets', pass: (c) => { c.cloudProvider = { openstack: {}, cloudConfig: 'x' }; c.controlPlane = { nodeSets: [{ name: 'a' }] }; c.staticWorkers = {}; }, fail: (c) => { c.cloudProvider = { aws: {} }; c.controlPlane = { nodeSets: [{ name: 'a' }] }; c.staticWorkers = {}; }, path: 'controlPlane.nodeSets', message: /does not support managed control plane/ },
  { rule: 'vmwareCloudDirector forbids external', pass: (c) => (c.cloudProvider = { vmwareCloudDirector: {} }), fail: (c) => (c.cloudProvider = { vmwareCloudDirector: {}, external: true }), path: 'cloudProvider.external', message: /not supported/ },
  { rule: 'none forbids machine-controller', pass: (c) => (c.machineController = { deploy: false }), fail: (c) => { c.machineController = { deploy: true }; c.operatingSystemManager = { deploy: false }; }, path: 'machineController.deploy', message: /machine-controller/ },
  { rule: 'none forbids OSM', pass: () => {}, fail: (c) => (c.operatingSystemManager = { deploy: true }), path: 'operatingSystemManager.deploy', message: /none/ },
  { rule: 'csiConfig only for vsphere', pass: () => {}, fail: (c) => (c.cloudProvider = { none: {}, csiConfig: 'x' }), path: 'cloudProvider.csiConfig', message: /only supported for vsphere/ },
  { rule: 'csiConfig not with disableBundledCSIDrivers', pass: (c) => (c.cloudProvider = { vsphere: {}, cloudConfig: 'x', disableBundledCSIDrivers: true }), fail: (c) => (c.cloudProvider = { vsphere: {}, cloudConfig: 'x', disableBundledCSIDrivers: true, csiConfig: 'y' }), path: 'cloudProvider.csiConfig', message: /cannot be combined/ },
  { rule: 'version semver', pass: (c) => (c.versions = { kubernetes: 'v1.36.0' }), fail: (c) => (c.versions = { kubernetes: '1.35' }), path: 'versions.kubernetes', message: /semantic version/ },
  { rule: 'version minimum 1.34', pass: (c) => (c.versions = { kubernetes: '1.34.0' }), fail: (c) => (c.versions = { kubernetes: '1.33.9' }), path: 'versions.kubernetes', message: /older KubeOne/ },
  { rule: 'version maximum 1.36', pass: (c) => (c.versions = { kubernetes: '1.36.99' }), fail: (c) => (c.versions = { kubernetes: '1.37.0' }), path: 'versions.kubernetes', message: /not yet supported/ },
  { rule: 'no EKS-D', pass: () => {}, fail: (c) => (c.versions = { kubernetes: '1.35.1-eks-1-35-1' }), path: 'versions.kubernetes', message: /EKS-D/ },
  { rule: 'registry key _default', pass: (c) => (c.containerRuntime = { containerd: { registries: { '*': {} } } }), fail: (c) => (c.containerRuntime = { containerd: { registries: { _default: {} } } }), path: 'containerRuntime.containerd.registries._default', message: /use "\*"/ },
  { rule: 'registry keys on the same host', pass: (c) => (c.containerRuntime = { containerd: { registries: { 'a.io/x': {}, 'b.io': {} } } }), fail: (c) => (c.containerRuntime = { containerd: { registries: { 'gitlab.com/org1': {}, 'gitlab.com/org2': {} } } }), path: 'containerRuntime.containerd.registries["gitlab.com/org2"]', message: /same host/ },
  { rule: 'ipFamily IPv6 unsupported', pass: () => {}, fail: (c) => (c.clusterNetwork = { ipFamily: 'IPv6' }), path: 'clusterNetwork.ipFamily', message: /not supported/ },
  { rule: 'dual-stack only on aws/vsphere/none', pass: (c) => { c.clusterNetwork = { ipFamily: 'IPv4+IPv6' }; cp(c).ipv6Addresses = ['fd::1']; sw(c).ipv6Addresses = ['fd::2']; }, fail: (c) => { c.cloudProvider = { hetzner: {} }; c.clusterNetwork = { ipFamily: 'IPv4+IPv6' }; cp(c).ipv6Addresses = ['fd::1']; sw(c).ipv6Addresses = ['fd::2']; c.machineController = { deploy: false }; }, path: 'clusterNetwork.ipFamily', message: /dual-stack/ },
  { rule: 'unknown ipFamily', pass: () => {}, fail: (c) => (c.clusterNetwork = { ipFamily: 'IPX' }), path: 'clusterNetwork.ipFamily', message: /unknown ipFamily/ },
  { rule: 'podSubnet valid IPv4', pass: (c) => (c.clusterNetwork = { podSubnet: '10.200.0.0/16' }), fail: (c) => (c.clusterNetwork = { podSubnet: 'fd00::/48' }), path: 'clusterNetwork.podSubnet', message: /valid "IPv4" subnet/ },
  { rule: 'serviceSubnet valid IPv4', pass: (c) => (c.clusterNetwork = { serviceSubnet: '10.100.0.0/16' }), fail: (c) => (c.clusterNetwork = { serviceSubnet: '10.100.0.0/33' }), path: 'clusterNetwork.serviceSubnet', message: /valid "IPv4" subnet/ },
  { rule: 'podSubnetIPv6 valid IPv6', pass: (c) => { c.clusterNetwork = { ipFamily: 'IPv4+IPv6', podSubnetIPv6: 'fd05::/48' }; cp(c).ipv6Addresses = ['fd::1']; sw(c).ipv6Addresses = ['fd::2']; }, fail: (c) => { c.clusterNetwork = { ipFamily: 'IPv4+IPv6', podSubnetIPv6: '10.0.0.0/8' }; cp(c).ipv6Addresses = ['fd::1']; sw(c).ipv6Addresses = ['fd::2']; }, path: 'clusterNetwork.podSubnetIPv6', message: /valid "IPv6" subnet/ },
  { rule: 'node CIDR mask longer than pod mask', pass: (c) => (c.clusterNetwork = { nodeCIDRMaskSizeIPv4: 26 }), fail: (c) => (c.clusterNetwork = { podSubnet: '10.244.0.0/24', nodeCIDRMaskSizeIPv4: 24 }), path: 'clusterNetwork.nodeCIDRMaskSizeIPv4', message: /longer than the pod subnet/ },
  { rule: 'pod and service subnets do not overlap (addition)', pass: () => {}, fail: (c) => (c.clusterNetwork = { podSubnet: '10.96.0.0/16' }), path: 'clusterNetwork.serviceSubnet', message: /overlaps/ },
  { rule: 'nodePortRange low-high (addition)', pass: (c) => (c.clusterNetwork = { nodePortRange: '30000-31000' }), fail: (c) => (c.clusterNetwork = { nodePortRange: '31000-30000' }), path: 'clusterNetwork.nodePortRange', message: /port range/ },
  { rule: 'only one CNI', pass: (c) => (c.clusterNetwork = { cni: { external: {} } }), fail: (c) => (c.clusterNetwork = { cni: { external: {}, weaveNet: {} } }), path: 'clusterNetwork.cni', message: /only one cni/ },
  { rule: 'CNI must be specified', pass: () => {}, fail: (c) => (c.clusterNetwork = { cni: {} }), path: 'clusterNetwork.cni', message: /must be specified/ },
  { rule: 'not both iptables and ipvs', pass: (c) => (c.clusterNetwork = { kubeProxy: { ipvs: {} } }), fail: (c) => (c.clusterNetwork = { kubeProxy: { ipvs: {}, iptables: {} } }), path: 'clusterNetwork.kubeProxy', message: /same time/ },
  { rule: 'cilium strict needs kube-proxy skipped', pass: (c) => (c.clusterNetwork = { cni: { cilium: { kubeProxyReplacement: 'strict' } }, kubeProxy: { skipInstallation: true } }), fail: (c) => (c.clusterNetwork = { cni: { cilium: { kubeProxyReplacement: 'strict' } } }), path: 'clusterNetwork.cni.cilium.kubeProxyReplacement', message: /skipInstallation/ },
  { rule: 'cilium gateway API needs strict', pass: (c) => (c.clusterNetwork = { cni: { cilium: { kubeProxyReplacement: 'strict', enableGatewayAPI: true } }, kubeProxy: { skipInstallation: true } }), fail: (c) => (c.clusterNetwork = { cni: { cilium: { enableGatewayAPI: true } } }), path: 'clusterNetwork.cni.cilium.enableGatewayAPI', message: /strict/ },
  { rule: 'cilium LRP needs nodeLocalDNS off', pass: (c) => { c.clusterNetwork = { cni: { cilium: { kubeProxyReplacement: 'strict', enableLocalRedirectPolicy: true } }, kubeProxy: { skipInstallation: true } }; c.features = { nodeLocalDNS: { deploy: false } }; }, fail: (c) => (c.clusterNetwork = { cni: { cilium: { kubeProxyReplacement: 'strict', enableLocalRedirectPolicy: true } }, kubeProxy: { skipInstallation: true } }), path: 'clusterNetwork.cni.cilium.enableLocalRedirectPolicy', message: /nodeLocalDNS/ },
  { rule: 'static worker is not a CP machine (address+port)', pass: (c) => { sw(c).publicAddress = '192.0.2.10'; sw(c).sshPort = 2222; }, fail: (c) => { sw(c).publicAddress = '192.0.2.10'; }, path: 'staticWorkers.hosts[0].publicAddress', message: /same machine/ },
  { rule: 'privateAddress unique', pass: () => {}, fail: (c) => (sw(c).privateAddress = '10.0.0.10'), path: 'staticWorkers.hosts[0].privateAddress', message: /already used/ },
  { rule: 'hostname unique', pass: (c) => { cp(c).hostname = 'a'; sw(c).hostname = 'b'; }, fail: (c) => { cp(c).hostname = 'a'; sw(c).hostname = 'a'; }, path: 'staticWorkers.hosts[0].hostname', message: /already used/ },
  { rule: 'CP hosts unique among themselves', pass: (c) => c.controlPlane!.hosts!.push({ publicAddress: '192.0.2.10', sshPort: 2022, privateAddress: '10.0.0.11' }), fail: (c) => c.controlPlane!.hosts!.push({ publicAddress: '192.0.2.10', privateAddress: '10.0.0.11' }), path: 'controlPlane.hosts[1].publicAddress', message: /same machine/ },
  { rule: 'dynamic workers need machine-controller', pass: () => {}, fail: (c) => (c.dynamicWorkers = [{ name: 'w', replicas: 1 }]), path: 'dynamicWorkers', message: /machine-controller deployment is disabled/ },
  { rule: 'dynamic worker name', pass: (c) => { c.cloudProvider = { aws: {} }; c.dynamicWorkers = [{ name: 'w', replicas: 1, providerSpec: { cloudProviderSpec: {} } }]; }, fail: (c) => { c.cloudProvider = { aws: {} }; c.dynamicWorkers = [{ replicas: 1, providerSpec: { cloudProviderSpec: {} } }]; }, path: 'dynamicWorkers[0].name', message: /no name/ },
  { rule: 'dynamic worker replicas set', pass: (c) => { c.cloudProvider = { aws: {} }; c.dynamicWorkers = [{ name: 'w', replicas: 0, providerSpec: { cloudProviderSpec: {} } }]; }, fail: (c) => { c.cloudProvider = { aws: {} }; c.dynamicWorkers = [{ name: 'w' }]; }, path: 'dynamicWorkers[0].replicas', message: /must be specified/ },
  { rule: 'dynamic worker replicas >= 0', pass: () => {}, fail: (c) => { c.cloudProvider = { aws: {} }; c.dynamicWorkers = [{ name: 'w', replicas: -1 }]; }, path: 'dynamicWorkers[0].replicas', message: /negative/ },
  { rule: 'dynamic worker cloudProviderSpec', pass: (c) => { c.cloudProvider = { hetzner: { networkID: 'n' } }; c.dynamicWorkers = [{ name: 'w', replicas: 1, providerSpec: { cloudProviderSpec: { serverType: 'cx22' } } }]; }, fail: (c) => { c.cloudProvider = { hetzner: { networkID: 'n' } }; c.dynamicWorkers = [{ name: 'w', replicas: 1, providerSpec: {} }]; }, path: 'dynamicWorkers[0].providerSpec.cloudProviderSpec', message: /couldn't find cloudProviderSpec/ },
  { rule: 'dynamic worker AWS spec fields', pass: (c) => { c.cloudProvider = { aws: {} }; c.dynamicWorkers = [{ name: 'w', replicas: 1, providerSpec: { cloudProviderSpec: { region: 'r', subnetID: 's' } } }]; }, fail: (c) => { c.cloudProvider = { aws: {} }; c.dynamicWorkers = [{ name: 'w', replicas: 1, providerSpec: { cloudProviderSpec: { region: 'r', zone: 'z' } } }]; }, path: 'dynamicWorkers[0].providerSpec.cloudProviderSpec.zone', message: /not a field of machine-controller's AWS spec/ },
  { rule: 'dynamic worker ipFamily', pass: (c) => { c.cloudProvider = { aws: {} }; c.dynamicWorkers = [{ name: 'w', replicas: 1, providerSpec: { cloudProviderSpec: {}, network: { ipFamily: 'IPv4' } } }]; }, fail: (c) => { c.cloudProvider = { aws: {} }; c.dynamicWorkers = [{ name: 'w', replicas: 1, providerSpec: { network: { ipFamily: 'IPv6' } } }]; }, path: 'dynamicWorkers[0].providerSpec.network.ipFamily', message: /not supported/ },
  { rule: 'OSM requires machine-controller', pass: (c) => { c.cloudProvider = { aws: {} }; }, fail: (c) => { c.cloudProvider = { aws: {} }; c.machineController = { deploy: false }; c.operatingSystemManager = { deploy: true }; }, path: 'operatingSystemManager.deploy', message: /requires machine-controller/ },
  { rule: 'CA bundle is PEM', pass: (c) => (c.certificateAuthority = { bundle: VALID_CA }), fail: (c) => (c.certificateAuthority = { bundle: 'not a pem' }), path: 'certificateAuthority.bundle', message: /can't parse caBundle/ },
  { rule: 'CA bundle certificates parse', pass: (c) => (c.caBundle = VALID_CA + VALID_CA), fail: (c) => (c.caBundle = CERT), path: 'certificateAuthority.bundle', message: /not a valid X.509/ },
  { rule: 'coreDNS replicas >= 0', pass: (c) => (c.features = { coreDNS: { replicas: 0 } }), fail: (c) => (c.features = { coreDNS: { replicas: -1 } }), path: 'features.coreDNS.replicas', message: /negative/ },
  { rule: 'eventRateLimit config', pass: (c) => (c.features = { eventRateLimit: { enable: true, config: { configFilePath: 'e.yaml' } } }), fail: (c) => (c.features = { eventRateLimit: { enable: true } }), path: 'features.eventRateLimit.config.configFilePath', message: /required/ },
  { rule: 'podNodeSelector config', pass: (c) => (c.features = { podNodeSelector: { enable: true, config: { configFilePath: 'p.yaml' } } }), fail: (c) => (c.features = { podNodeSelector: { enable: true } }), path: 'features.podNodeSelector.config.configFilePath', message: /required/ },
  { rule: 'staticAuditLog policy', pass: (c) => (c.features = { staticAuditLog: { enable: true, config: { policyFilePath: 'a.yaml' } } }), fail: (c) => (c.features = { staticAuditLog: { enable: true } }), path: 'features.staticAuditLog.config.policyFilePath', message: /required/ },
  { rule: 'staticAuditLog sizes > 0', pass: () => {}, fail: (c) => (c.features = { staticAuditLog: { enable: true, config: { policyFilePath: 'a', logMaxAge: -1 } } }), path: 'features.staticAuditLog.config.logMaxAge', message: /greater than 0/ },
  { rule: 'OIDC issuerUrl', pass: (c) => (c.features = { openidConnect: { enable: true, config: { issuerUrl: 'https://i' } } }), fail: (c) => (c.features = { openidConnect: { enable: true } }), path: 'features.openidConnect.config.issuerUrl', message: /required/ },
  { rule: 'helm chart or chartURL', pass: (c) => (c.helmReleases = [{ chart: 'x', repoURL: 'https://r', namespace: 'n' }]), fail: (c) => (c.helmReleases = [{ namespace: 'n' }]), path: 'helmReleases[0].chart', message: /chart or chartURL/ },
  { rule: 'helm auth pair', pass: (c) => (c.helmReleases = [{ chart: 'x', repoURL: 'https://r', namespace: 'n', auth: { username: 'u', password: 'p' } }]), fail: (c) => (c.helmReleases = [{ chart: 'x', repoURL: 'https://r', namespace: 'n', auth: { username: 'u' } }]), path: 'helmReleases[0].auth', message: /together/ },
  { rule: 'helm namespace', pass: () => {}, fail: (c) => (c.helmReleases = [{ chart: 'x', repoURL: 'https://r' }]), path: 'helmReleases[0].namespace', message: /required/ },
  { rule: 'helm chartURL needs releaseName', pass: (c) => (c.helmReleases = [{ chartURL: 'oci://r/c', releaseName: 'c', namespace: 'n' }]), fail: (c) => (c.helmReleases = [{ chartURL: 'oci://r/c', namespace: 'n' }]), path: 'helmReleases[0].releaseName', message: /required/ },
  { rule: 'helm inline values YAML', pass: (c) => (c.helmReleases = [{ chart: 'x', repoURL: 'https://r', namespace: 'n', values: [{ inline: 'a: 1' }] }]), fail: (c) => (c.helmReleases = [{ chart: 'x', repoURL: 'https://r', namespace: 'n', values: [{ inline: 'a: [' }] }]), path: 'helmReleases[0].values[0].inline', message: /not valid YAML/ },
  { rule: 'helm release name shape', pass: (c) => (c.helmReleases = [{ chart: 'x', repoURL: 'https://r', namespace: 'n', releaseName: 'my-app.v2' }]), fail: (c) => (c.helmReleases = [{ chart: 'x', repoURL: 'https://r', namespace: 'n', releaseName: '--post-renderer=x' }]), path: 'helmReleases[0].releaseName', message: /not a helm release name/ },
  { rule: 'helm release name defaulted from a local chart path', pass: (c) => (c.helmReleases = [{ chart: 'x', repoURL: 'https://r', namespace: 'n' }]), fail: (c) => (c.helmReleases = [{ chart: './charts/x', namespace: 'n' }]), path: 'helmReleases[0].releaseName', message: /defaults to chart: set releaseName/ },
  { rule: 'helm release unique per namespace', pass: (c) => (c.helmReleases = [{ chart: 'x', repoURL: 'https://r', namespace: 'a' }, { chart: 'x', repoURL: 'https://r', namespace: 'b' }]), fail: (c) => (c.helmReleases = [{ chart: 'x', repoURL: 'https://r', namespace: 'a' }, { chart: 'y', repoURL: 'https://r', namespace: 'a', releaseName: 'x' }]), path: 'helmReleases[1].releaseName', message: /already helmReleases\[0\]/ },
  { rule: 'helm namespace shape', pass: (c) => (c.helmReleases = [{ chart: 'x', repoURL: 'https://r', namespace: 'kube-system' }]), fail: (c) => (c.helmReleases = [{ chart: 'x', repoURL: 'https://r', namespace: 'Apps' }]), path: 'helmReleases[0].namespace', message: /DNS-1123 label/ },
  { rule: 'helm repoURL is http(s)', pass: (c) => (c.helmReleases = [{ chart: 'x', repoURL: 'http://127.0.0.1:8879/charts', namespace: 'n' }]), fail: (c) => (c.helmReleases = [{ chart: 'x', repoURL: 'file:///etc', namespace: 'n' }]), path: 'helmReleases[0].repoURL', message: /http/ },
  { rule: 'helm chartURL is http(s) or oci', pass: (c) => (c.helmReleases = [{ chartURL: 'oci://registry.example/charts/x', releaseName: 'x', namespace: 'n' }]), fail: (c) => (c.helmReleases = [{ chartURL: 'ftp://r/x.tgz', releaseName: 'x', namespace: 'n' }]), path: 'helmReleases[0].chartURL', message: /oci:\/\// },
  { rule: 'helm chart name in a repository', pass: () => {}, fail: (c) => (c.helmReleases = [{ chart: '../x', repoURL: 'https://r', namespace: 'n', releaseName: 'x' }]), path: 'helmReleases[0].chart', message: /not a chart name/ },
  { rule: 'helm version', pass: (c) => (c.helmReleases = [{ chart: 'x', repoURL: 'https://r', namespace: 'n', version: '>= 1.2, < 2' }]), fail: (c) => (c.helmReleases = [{ chart: 'x', repoURL: 'https://r', namespace: 'n', version: '-1\n' }]), path: 'helmReleases[0].version', message: /not a chart version/ },
  { rule: 'insecureRegistry needs overwriteRegistry', pass: (c) => (c.registryConfiguration = { overwriteRegistry: 'r.io', insecureRegistry: true }), fail: (c) => (c.registryConfiguration = { insecureRegistry: true }), path: 'registryConfiguration.insecureRegistry', message: /overwriteRegistry/ },
  { rule: 'no feature-gates flag', pass: (c) => (c.controlPlaneComponents = { apiServer: { flags: { v: '2' } } }), fail: (c) => (c.controlPlaneComponents = { apiServer: { flags: { 'feature-gates': 'A=true' } } }), path: 'controlPlaneComponents.apiServer.flags["feature-gates"]', message: /featureGates/ },
  { rule: 'etcd quota 0 or >= 2GiB', pass: (c) => (c.controlPlaneComponents = { etcd: { quotaBackendBytes: 4294967296 } }), fail: (c) => (c.controlPlaneComponents = { etcd: { quotaBackendBytes: 1024 } }), path: 'controlPlaneComponents.etcd.quotaBackendBytes', message: /2 GiB/ },
  { rule: 'etcd compaction mode', pass: (c) => (c.controlPlaneComponents = { etcd: { autoCompactionMode: 'revision' } }), fail: (c) => (c.controlPlaneComponents = { etcd: { autoCompactionMode: 'daily' } }), path: 'controlPlaneComponents.etcd.autoCompactionMode', message: /periodic/ },
  { rule: 'etcd compaction retention', pass: (c) => (c.controlPlaneComponents = { etcd: { autoCompactionRetention: '1h30m' } }), fail: (c) => (c.controlPlaneComponents = { etcd: { autoCompactionRetention: 'soon' } }), path: 'controlPlaneComponents.etcd.autoCompactionRetention', message: /duration/ },
  { rule: 'kubernetesBinaries: at most one source', pass: (c) => (c.kubernetesBinaries = { bundle: { path: './b-{version}.tgz' } }), fail: (c) => (c.kubernetesBinaries = { bundle: { path: './b.tgz' }, packageRepository: {} }), path: 'kubernetesBinaries', message: /at most one/ },
  { rule: 'kubernetesBinaries: bundle url xor path', pass: (c) => (c.kubernetesBinaries = { bundle: { url: 'https://m/k-{arch}-v{version}.tgz' } }), fail: (c) => (c.kubernetesBinaries = { bundle: {} }), path: 'kubernetesBinaries.bundle', message: /exactly one/ },
  { rule: 'kubernetesBinaries: http(s) URL', pass: (c) => (c.kubernetesBinaries = { packageRepository: { url: 'http://m/v{minor}/deb/' } }), fail: (c) => (c.kubernetesBinaries = { bundle: { url: 'ftp://m/k.tgz' } }), path: 'kubernetesBinaries.bundle.url', message: /http\(s\)/ },
  { rule: 'kubernetesBinaries: intermediate versions', pass: (c) => (c.kubernetesBinaries = { intermediateVersions: { '1.35': '1.35.1' } }), fail: (c) => (c.kubernetesBinaries = { intermediateVersions: { '1.35': '1.36.0' } }), path: 'kubernetesBinaries.intermediateVersions["1.35"]', message: /not a 1\.35 patch release/ },
  { rule: 'kubernetesBinaries: placeholders', pass: () => {}, fail: (c) => (c.kubernetesBinaries = { bundle: { path: './k-{os}.tgz' } }), path: 'kubernetesBinaries.bundle.path', message: /unknown placeholder \{os\}/ },
];

describe('validate: every rule has a passing and a failing case', () => {
  it('the base manifest is valid', () => {
    expect(run(() => {})).to.deep.equal([]);
  });
  for (const rc of cases) {
    it(`${rc.rule}: passing case`, () => {
      expect(run(rc.pass)).to.deep.equal([]);
    });
    if (rc.path === '' && rc.message.source === 'never') continue; // unreachable through defaulting, as in KubeOne
    it(`${rc.rule}: failing case reports ${rc.path}`, () => {
      const issues = run(rc.fail);
      const hit = issues.find((i) => i.path === rc.path && rc.message.test(i.message));
      expect(hit, `issues were: ${JSON.stringify(issues)}`).to.not.equal(undefined);
    });
  }
  it('aggregates every error instead of stopping at the first', () => {
    const issues = run((c) => {
      delete c.name;
      c.cloudProvider = {};
      c.versions = { kubernetes: '1.30.1' };
    });
    expect(issues.map((i) => i.path)).to.include.members(['name', 'cloudProvider', 'versions.kubernetes']);
  });
});
