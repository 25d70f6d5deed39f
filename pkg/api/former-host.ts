// A host taken out of the manifest still has a Node (and maybe an etcd member) in the cluster.
// To reset it, the tool must still reach it: at the Node's InternalIP, with the SSH settings of
// the manifest's hosts of the same role (user, key, bastion). The probe and the executor both
// derive it here, so they connect to the same place.
import type { HostRole, ResolvedHost } from './types.js';

export interface FormerHostRef {
  /** Node name, which becomes the host name. */
  name: string;
  /** The Node's InternalIP. */
  address: string;
  role: HostRole;
  id: number;
}

export function formerHost(hosts: readonly ResolvedHost[], ref: FormerHostRef): ResolvedHost | undefined {
  if (ref.address === '') return undefined;
  const template = hosts.find((h) => h.role === ref.role) ?? hosts[0];
  if (!template) return undefined;
  const t = template.config;
  // A template reached on its own private address (directly or through a bastion) tells the SSH
  // port hosts listen on; one reached through a forwarded address says nothing about it.
  const reachedOnItsAddress = !t.privateAddress || t.publicAddress === t.privateAddress;
  return {
    id: ref.id,
    role: ref.role,
    name: ref.name,
    config: {
      publicAddress: ref.address,
      privateAddress: ref.address,
      sshPort: reachedOnItsAddress ? t.sshPort : 22,
      sshUsername: t.sshUsername,
      sshPrivateKeyFile: t.sshPrivateKeyFile,
      sshCertFile: t.sshCertFile,
      sshAgentSocket: t.sshAgentSocket,
      bastion: t.bastion,
      bastionPort: t.bastionPort,
      bastionUser: t.bastionUser,
      bastionHostPublicKey: t.bastionHostPublicKey,
      bastionPrivateKeyFile: t.bastionPrivateKeyFile,
      hostname: ref.name,
      operatingSystem: t.operatingSystem,
    },
  };
}

/** Nodes of the cluster that match no manifest host, as hosts the tool can reach to reset. */
export function formerHostsOf(
  hosts: readonly ResolvedHost[],
  nodes: readonly { name: string; internalIP: string; host: string | null; labels: Record<string, string> }[],
): ResolvedHost[] {
  const known = new Set(hosts.flatMap((h) => [h.name, h.config.hostname ?? '', h.config.privateAddress ?? '', h.config.publicAddress ?? '']).filter((s) => s !== ''));
  const out: ResolvedHost[] = [];
  for (const node of nodes) {
    if (node.host !== null || known.has(node.name) || known.has(node.internalIP)) continue;
    const role: HostRole = 'node-role.kubernetes.io/control-plane' in node.labels ? 'controlPlane' : 'staticWorker';
    const host = formerHost(hosts, { name: node.name, address: node.internalIP, role, id: hosts.length + out.length });
    if (host) out.push(host);
  }
  return out;
}

/** The manifest host of this name, else the former host the probe reached under that name. */
export function hostNamed(
  hosts: readonly ResolvedHost[],
  probed: readonly { name: string; id: number; role: HostRole; privateAddress: string; former?: boolean }[],
  name: string,
): ResolvedHost | undefined {
  const host = hosts.find((h) => h.name === name);
  if (host) return host;
  const facts = probed.find((f) => f.former === true && f.name === name);
  return facts ? formerHost(hosts, { name, address: facts.privateAddress, role: facts.role, id: facts.id }) : undefined;
}
