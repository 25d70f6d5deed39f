import { cidrsOverlap, parseCidr, type Cidr } from '../cidr.js';
import { ipFamilyHasIPv4, ipFamilyHasIPv6, providerName } from '../provider.js';
import type { KubeOneCluster } from '../types.js';
import { Issues, joinPath } from './util.js';

/** Rules for an ipFamily value (clusterNetwork and dynamic workers share them). */
export function validateIPFamily(family: string | undefined, path: string, c: KubeOneCluster, out: Issues): void {
  if (family === undefined || family === '' || family === 'IPv4') return;
  if (family === 'IPv6' || family === 'IPv6+IPv4') {
    out.add(path, `ipFamily ${family} is currently not supported`);
  } else if (family === 'IPv4+IPv6') {
    const p = providerName(c.cloudProvider);
    if (p && p !== 'aws' && p !== 'vsphere' && p !== 'none') out.add(path, `dual-stack (IPv4+IPv6) is not supported for the ${p} cloud provider`);
  } else {
    out.add(path, `unknown ipFamily ${JSON.stringify(family)}`);
  }
}

function subnet(value: string | undefined, family: 4 | 6, path: string, out: Issues): Cidr | undefined {
  const name = family === 4 ? 'IPv4' : 'IPv6';
  const parsed = value ? parseCidr(value) : undefined;
  if (!parsed || parsed.family !== family) {
    out.add(path, `must be valid "${name}" subnet (CIDR), got ${JSON.stringify(value ?? '')}`);
    return undefined;
  }
  return parsed;
}

function nodeMask(mask: number | undefined, pod: Cidr | undefined, path: string, out: Issues): void {
  if (!mask) out.add(path, 'must be set');
  else if (pod && mask <= pod.prefix) out.add(path, `must be longer than the pod subnet mask (/${pod.prefix})`);
  else if (pod && mask > (pod.family === 4 ? 32 : 128)) out.add(path, 'is longer than the address');
}

export function validateClusterNetwork(c: KubeOneCluster, out: Issues): void {
  const n = c.clusterNetwork ?? {};
  validateIPFamily(n.ipFamily, 'clusterNetwork.ipFamily', c, out);
  const subnets: { cidr: Cidr; path: string }[] = [];
  const keep = (cidr: Cidr | undefined, path: string) => cidr && subnets.push({ cidr, path });
  if (ipFamilyHasIPv4(n.ipFamily)) {
    const pod = subnet(n.podSubnet, 4, 'clusterNetwork.podSubnet', out);
    keep(pod, 'clusterNetwork.podSubnet');
    keep(subnet(n.serviceSubnet, 4, 'clusterNetwork.serviceSubnet', out), 'clusterNetwork.serviceSubnet');
    nodeMask(n.nodeCIDRMaskSizeIPv4, pod, 'clusterNetwork.nodeCIDRMaskSizeIPv4', out);
  }
  if (ipFamilyHasIPv6(n.ipFamily)) {
    const pod = subnet(n.podSubnetIPv6, 6, 'clusterNetwork.podSubnetIPv6', out);
    keep(pod, 'clusterNetwork.podSubnetIPv6');
    keep(subnet(n.serviceSubnetIPv6, 6, 'clusterNetwork.serviceSubnetIPv6', out), 'clusterNetwork.serviceSubnetIPv6');
    nodeMask(n.nodeCIDRMaskSizeIPv6, pod, 'clusterNetwork.nodeCIDRMaskSizeIPv6', out);
  }
  // Addition over KubeOne: overlapping pod and service ranges break routing silently.
  for (let i = 0; i < subnets.length; i++) {
    for (let j = i + 1; j < subnets.length; j++) {
      if (cidrsOverlap(subnets[i]!.cidr, subnets[j]!.cidr)) out.add(subnets[j]!.path, `overlaps ${subnets[i]!.path}`);
    }
  }
  const range = /^(\d+)-(\d+)$/.exec(n.nodePortRange ?? '');
  if (n.nodePortRange !== undefined && (!range || Number(range[1]) >= Number(range[2]) || Number(range[2]) > 65535)) {
    out.add('clusterNetwork.nodePortRange', `${JSON.stringify(n.nodePortRange)} is not a port range "low-high"`);
  }
  validateCNI(c, out);
  if (n.kubeProxy?.iptables && n.kubeProxy?.ipvs) out.add('clusterNetwork.kubeProxy', 'iptables and ipvs cannot be used at the same time');
}

function validateCNI(c: KubeOneCluster, out: Issues): void {
  const cni = c.clusterNetwork?.cni;
  const set = (['canal', 'cilium', 'weaveNet', 'external'] as const).filter((k) => cni?.[k] !== undefined);
  if (set.length === 0) out.add('clusterNetwork.cni', 'cni plugin must be specified');
  if (set.length > 1) out.add('clusterNetwork.cni', `only one cni plugin can be used at the same time (found ${set.join(', ')})`);
  if (cni?.canal && !cni.canal.mtu) out.add('clusterNetwork.cni.canal.mtu', 'mtu must not be 0');
  const cilium = cni?.cilium;
  if (!cilium) return;
  const base = 'clusterNetwork.cni.cilium';
  const strict = cilium.kubeProxyReplacement === 'strict';
  if (strict && !c.clusterNetwork?.kubeProxy?.skipInstallation) {
    out.add(joinPath(base, 'kubeProxyReplacement'), '"strict" requires clusterNetwork.kubeProxy.skipInstallation: true');
  }
  if (cilium.enableGatewayAPI && !strict) out.add(joinPath(base, 'enableGatewayAPI'), 'requires kubeProxyReplacement: strict');
  if (cilium.enableLocalRedirectPolicy) {
    if (!strict) out.add(joinPath(base, 'enableLocalRedirectPolicy'), 'requires kubeProxyReplacement: strict');
    if (c.features?.nodeLocalDNS?.deploy !== false) out.add(joinPath(base, 'enableLocalRedirectPolicy'), 'requires features.nodeLocalDNS.deploy: false');
  }
}
