// Address arithmetic kubeadm does implicitly and we need explicitly: subnets in IP family
// order, the cluster DNS IP, the API endpoint, each node's advertise address and node IPs.
import { nthAddress } from '../api/cidr.js';
import type { KubeOneCluster, ResolvedHost } from '../api/types.js';

export const DEFAULTS = {
  podSubnet: '10.244.0.0/16',
  serviceSubnet: '10.96.0.0/12',
  serviceDomainName: 'cluster.local',
  nodePortRange: '30000-32767',
  apiPort: 6443,
};

/**
 * The port every kube-apiserver binds on its host. KubeOne leaves localAPIEndpoint.bindPort
 * to kubeadm's default whatever apiEndpoint.port says (that one is the load balancer's port),
 * so the probe, the leader lookup and the tunnelled clients talk to this port.
 */
export const APISERVER_BIND_PORT = 6443;

/** The link-local address NodeLocal DNSCache listens on (KubeOne's kubelet clusterDNS when it is deployed). */
export const NODE_LOCAL_DNS_IP = '169.254.20.10';

export type IPFamily = 'IPv4' | 'IPv6' | 'IPv4+IPv6' | 'IPv6+IPv4';

export function ipFamilyOf(cluster: KubeOneCluster): IPFamily {
  const family = cluster.clusterNetwork?.ipFamily;
  return family === 'IPv6' || family === 'IPv4+IPv6' || family === 'IPv6+IPv4' ? family : 'IPv4';
}

export const isDualStack = (family: IPFamily): boolean => family === 'IPv4+IPv6' || family === 'IPv6+IPv4';
export const isIPv6Primary = (family: IPFamily): boolean => family === 'IPv6' || family === 'IPv6+IPv4';

/** kubeadm's comma-separated subnet list, primary family first (KubeOne's joinSubnets). */
function joinSubnets(family: IPFamily, v4: string, v6: string): string {
  switch (family) {
    case 'IPv4':
      return v4;
    case 'IPv6':
      return v6;
    case 'IPv4+IPv6':
      return `${v4},${v6}`;
    case 'IPv6+IPv4':
      return `${v6},${v4}`;
  }
}

export function serviceSubnetOf(cluster: KubeOneCluster): string {
  const n = cluster.clusterNetwork ?? {};
  return joinSubnets(ipFamilyOf(cluster), n.serviceSubnet || DEFAULTS.serviceSubnet, n.serviceSubnetIPv6 ?? '');
}

export function podSubnetOf(cluster: KubeOneCluster): string {
  const n = cluster.clusterNetwork ?? {};
  return joinSubnets(ipFamilyOf(cluster), n.podSubnet || DEFAULTS.podSubnet, n.podSubnetIPv6 ?? '');
}

/** The 10th address of the first service subnet, as kubeadm picks for the kube-dns Service. */
export function clusterDnsIp(serviceSubnet: string): string {
  const first = serviceSubnet.split(',')[0]!.trim();
  const ip = nthAddress(first, 10);
  if (ip === undefined) throw new Error(`service subnet ${JSON.stringify(first)} is not a CIDR`);
  return ip;
}

export function apiEndpointOf(cluster: KubeOneCluster, hosts: ResolvedHost[]): { host: string; port: number } {
  const port = cluster.apiEndpoint?.port || DEFAULTS.apiPort;
  const host =
    cluster.apiEndpoint?.host ||
    hosts.find((h) => h.role === 'controlPlane')?.config.privateAddress ||
    hosts.find((h) => h.role === 'controlPlane')?.config.publicAddress ||
    '';
  return { host, port };
}

/** privateAddress, else publicAddress (KubeOne's newNodeIP). */
export function nodeIPv4Of(host: ResolvedHost): string {
  return host.config.privateAddress || host.config.publicAddress || '';
}

/** The address a control plane's apiserver and etcd advertise: the first IPv6 address when IPv6 is primary. */
export function advertiseAddressOf(cluster: KubeOneCluster, host: ResolvedHost): string {
  if (isIPv6Primary(ipFamilyOf(cluster))) return host.config.ipv6Addresses?.[0] ?? '';
  return nodeIPv4Of(host);
}

/**
 * kubelet's --node-ip as KubeOne sets it: the node address on single-stack clusters; both
 * families (primary first) on dual-stack clusters, except with an external cloud provider,
 * whose CCM sets the addresses (null: no flag).
 */
export function nodeIpFlagOf(cluster: KubeOneCluster, host: ResolvedHost): string | null {
  const family = ipFamilyOf(cluster);
  if (!isDualStack(family)) return nodeIPv4Of(host);
  if (cluster.cloudProvider?.external) return null;
  const v6 = host.config.ipv6Addresses?.[0] ?? '';
  return family === 'IPv4+IPv6' ? `${nodeIPv4Of(host)},${v6}` : `${v6},${nodeIPv4Of(host)}`;
}

/** `host:port`, bracketing IPv6 literals. */
export function joinHostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}
