import type { HostConfig, KubeOneCluster, ResolvedHost } from './types.js';

/**
 * Flattens a defaulted cluster's hosts: control plane first, then static workers, ids in
 * that order. `name` is the hostname when set, else the public address, with `:sshPort`
 * appended when another host shares that address (NAT port-forwarding, the sandbox).
 */
export function resolveHosts(c: KubeOneCluster): ResolvedHost[] {
  const entries: { role: ResolvedHost['role']; config: HostConfig }[] = [
    ...(c.controlPlane?.hosts ?? []).map((config) => ({ role: 'controlPlane' as const, config })),
    ...(c.staticWorkers?.hosts ?? []).map((config) => ({ role: 'staticWorker' as const, config })),
  ];
  const addressCount = new Map<string, number>();
  for (const { config } of entries) {
    const a = config.publicAddress ?? '';
    addressCount.set(a, (addressCount.get(a) ?? 0) + 1);
  }
  return entries.map(({ role, config }, id) => {
    const address = config.publicAddress ?? config.privateAddress ?? '';
    const shared = (addressCount.get(config.publicAddress ?? '') ?? 0) > 1;
    const name = config.hostname || (shared ? `${address}:${config.sshPort ?? 22}` : address);
    return { id, role, name, config };
  });
}
