// Address arithmetic kubeadm does implicitly and we need explicitly (cluster DNS IP, API endpoint).
import type { KubeOneCluster, ResolvedHost } from '../api/types.js';

export const DEFAULTS = {
  podSubnet: '10.244.0.0/16',
  serviceSubnet: '10.96.0.0/12',
  serviceDomainName: 'cluster.local',
  nodePortRange: '30000-32767',
  apiPort: 6443,
};

/** The 10th address of the (first) service subnet, as kubeadm picks for CoreDNS. */
export function clusterDnsIp(serviceSubnet: string): string {
  const first = serviceSubnet.split(',')[0]!.trim();
  const [base] = first.split('/');
  const octets = (base ?? '').split('.').map(Number);
  if (octets.length !== 4 || octets.some((o) => Number.isNaN(o))) {
    // IPv6: base + 0xa
    return `${(base ?? '').replace(/::?$/, '')}::a`;
  }
  const value = ((octets[0]! << 24) >>> 0) + (octets[1]! << 16) + (octets[2]! << 8) + octets[3]! + 10;
  return [value >>> 24, (value >>> 16) & 255, (value >>> 8) & 255, value & 255].join('.');
}

export function serviceSubnetOf(cluster: KubeOneCluster): string {
  const n = cluster.clusterNetwork ?? {};
  return [n.serviceSubnet || DEFAULTS.serviceSubnet, n.serviceSubnetIPv6].filter(Boolean).join(',');
}

export function podSubnetOf(cluster: KubeOneCluster): string {
  const n = cluster.clusterNetwork ?? {};
  return [n.podSubnet || DEFAULTS.podSubnet, n.podSubnetIPv6].filter(Boolean).join(',');
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

export function advertiseAddressOf(host: ResolvedHost): string {
  return host.config.privateAddress || host.config.publicAddress || '';
}

/** `host:port`, bracketing IPv6 literals. */
export function joinHostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}
