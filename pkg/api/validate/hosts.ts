import { ipFamilyHasIPv6 } from '../provider.js';
import type { HostConfig, KubeletConfig, KubeOneCluster, StringMap, Taint } from '../types.js';
import { Issues, joinPath } from './util.js';

export function validateKubelet(k: KubeletConfig | undefined, path: string, out: Issues): void {
  if (!k) return;
  if (k.maxPods !== undefined && k.maxPods <= 0) out.add(joinPath(path, 'maxPods'), 'must be greater than 0');
  for (const f of ['imageGCHighThresholdPercent', 'imageGCLowThresholdPercent'] as const) {
    const v = k[f];
    if (v !== undefined && (v < 0 || v > 100)) out.add(joinPath(path, f), 'must be between 0 and 100');
  }
  if (
    k.imageGCHighThresholdPercent !== undefined &&
    k.imageGCLowThresholdPercent !== undefined &&
    k.imageGCLowThresholdPercent > k.imageGCHighThresholdPercent
  ) {
    out.add(joinPath(path, 'imageGCLowThresholdPercent'), 'must not be greater than imageGCHighThresholdPercent');
  }
}

function validateRemovalKeys(map: StringMap | undefined, path: string, out: Issues): void {
  for (const [key, value] of Object.entries(map ?? {})) {
    if (key.endsWith('-') && value !== '') out.add(joinPath(path, key), 'a key ending with "-" removes it and must have an empty value');
  }
}

function validateTaints(taints: Taint[] | null | undefined, path: string, out: Issues): void {
  (taints ?? []).forEach((t, i) => {
    if (t.key === 'node-role.kubernetes.io/master') {
      out.add(joinPath(joinPath(path, i), 'key'), 'the "node-role.kubernetes.io/master" taint is forbidden, use "node-role.kubernetes.io/control-plane"');
    }
  });
}

export function validateHost(h: HostConfig, path: string, c: KubeOneCluster, out: Issues): void {
  if (!h.publicAddress) out.add(joinPath(path, 'publicAddress'), 'no public IP/address given');
  if (!h.privateAddress) out.add(joinPath(path, 'privateAddress'), 'no private IP/address given');
  if (ipFamilyHasIPv6(c.clusterNetwork?.ipFamily) && !h.ipv6Addresses?.length) {
    out.add(joinPath(path, 'ipv6Addresses'), `required for ipFamily ${c.clusterNetwork?.ipFamily}`);
  }
  if (!h.sshPrivateKeyFile && !h.sshAgentSocket) out.add(joinPath(path, 'sshPrivateKeyFile'), 'neither SSH private key nor agent socket given');
  if (!h.sshUsername) out.add(joinPath(path, 'sshUsername'), 'no SSH username given');
  validateKubelet(h.kubelet, joinPath(path, 'kubelet'), out);
  validateRemovalKeys(h.labels, joinPath(path, 'labels'), out);
  validateRemovalKeys(h.annotations, joinPath(path, 'annotations'), out);
  validateTaints(h.taints, joinPath(path, 'taints'), out);
}

function validateHostList(hosts: HostConfig[], base: string, c: KubeOneCluster, out: Issues): void {
  const leaders = hosts.map((h, i) => (h.isLeader ? i : -1)).filter((i) => i >= 0);
  if (leaders.length > 1) {
    for (const i of leaders.slice(1)) out.add(joinPath(joinPath(base, i), 'isLeader'), 'only one leader is allowed');
  }
  hosts.forEach((h, i) => validateHost(h, joinPath(base, i), c, out));
}

/**
 * Host identity across controlPlane and staticWorkers. Deviation from KubeOne (which
 * compares publicAddress alone): the same machine is the same publicAddress AND sshPort,
 * so NAT port-forwarding (many hosts behind one address) is allowed. privateAddress and
 * hostname (when set) must be unique across all hosts.
 */
function validateUniqueHosts(c: KubeOneCluster, out: Issues): void {
  const all: { h: HostConfig; path: string }[] = [
    ...(c.controlPlane?.hosts ?? []).map((h, i) => ({ h, path: joinPath('controlPlane.hosts', i) })),
    ...(c.staticWorkers?.hosts ?? []).map((h, i) => ({ h, path: joinPath('staticWorkers.hosts', i) })),
  ];
  const endpoints = new Map<string, string>();
  const privates = new Map<string, string>();
  const hostnames = new Map<string, string>();
  for (const { h, path } of all) {
    if (h.publicAddress) {
      const key = `${h.publicAddress}\0${h.sshPort ?? 22}`;
      const first = endpoints.get(key);
      if (first) out.add(joinPath(path, 'publicAddress'), `${h.publicAddress}:${h.sshPort ?? 22} is already used by ${first} (same publicAddress and sshPort means the same machine)`);
      else endpoints.set(key, path);
    }
    if (h.privateAddress) {
      const first = privates.get(h.privateAddress);
      if (first) out.add(joinPath(path, 'privateAddress'), `${h.privateAddress} is already used by ${first}`);
      else privates.set(h.privateAddress, path);
    }
    if (h.hostname) {
      const first = hostnames.get(h.hostname);
      if (first) out.add(joinPath(path, 'hostname'), `${h.hostname} is already used by ${first}`);
      else hostnames.set(h.hostname, path);
    }
  }
}

export function validateHosts(c: KubeOneCluster, out: Issues): void {
  const cp = c.controlPlane;
  if (!cp?.hosts?.length && !cp?.nodeSets?.length) {
    out.add('controlPlane', '.controlPlane.Hosts or .controlPlane.NodeSets is a required field. There must be at least one control plane instance in the cluster');
  }
  if (cp?.nodeSets?.length && cp.nodeSets.length % 2 === 0) {
    out.add('controlPlane.nodeSets', `the number of nodeSets must be odd (etcd quorum), got ${cp.nodeSets.length}`);
  }
  validateHostList(cp?.hosts ?? [], 'controlPlane.hosts', c, out);
  validateHostList(c.staticWorkers?.hosts ?? [], 'staticWorkers.hosts', c, out);
  validateUniqueHosts(c, out);
  validateKubelet(c.kubeletConfig, 'kubeletConfig', out);
}
