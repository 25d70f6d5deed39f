// Node names. KubeOne registers every host under its `hostname` from the manifest, else under
// the name it detects on the machine over SSH (`hostname -f`, or `hostname` when that says
// `localhost`, and always `hostname` on Azure, where the Node must be named after the VM).
// Deliberately unlike KubeOne, names are lower-cased: the kubelet lower-cases the name it
// registers, kubeadm refuses upper-case ones, so that is the only name that can work.
import { ConfigError, type Issue } from './errors.js';
import { joinPath } from './path.js';
import type { KubeOneCluster, LoadedCluster, ResolvedHost } from './types.js';

/** What the probe read on a host (HostFacts' fields of the same names). */
export interface DetectedNames {
  /** Kernel hostname (`hostname`). */
  hostname?: string;
  /** `hostname -f`; '' when it failed. */
  fqdn?: string;
}

/** The name KubeOne's detection gives this machine, lower-cased; '' when nothing was detected. */
export function detectedHostname(names: DetectedNames, cluster: Pick<KubeOneCluster, 'cloudProvider'>): string {
  const short = (names.hostname ?? '').trim().toLowerCase();
  const fqdn = (names.fqdn ?? '').trim().toLowerCase();
  if (cluster.cloudProvider?.azure !== undefined) return short;
  return fqdn !== '' && fqdn !== 'localhost' ? fqdn : short;
}

/** Whether the Node name of a host can come from `hostname -f` (the probe runs it only then). */
export function needsFqdn(host: ResolvedHost, cluster: Pick<KubeOneCluster, 'cloudProvider'>): boolean {
  return !host.config.hostname && cluster.cloudProvider?.azure === undefined;
}

/** The Node name of a host: the manifest's hostname, else the detected one, else '' (unknown: not probed). */
export function nodeNameFor(host: ResolvedHost, names: DetectedNames | undefined, cluster: Pick<KubeOneCluster, 'cloudProvider'>): string {
  if (host.config.hostname) return host.config.hostname.toLowerCase();
  return names ? detectedHostname(names, cluster) : '';
}

function manifestPath(loaded: LoadedCluster, host: ResolvedHost): string {
  const cps = loaded.hosts.filter((h) => h.role === 'controlPlane');
  return host.role === 'controlPlane'
    ? joinPath('controlPlane.hosts', cps.indexOf(host))
    : joinPath('staticWorkers.hosts', loaded.hosts.filter((h) => h.role === 'staticWorker').indexOf(host));
}

/**
 * The loaded cluster with every host's `config.hostname` set to its Node name (from `nodeNames`,
 * host name -> detected/recorded node name), as KubeOne sets HostConfig.Hostname after detection.
 * The manifest object itself is not touched (the manifest hash stays the same). Two hosts with
 * the same Node name would fight over one Node: that is a configuration error naming both.
 */
export function withNodeNames(loaded: LoadedCluster, nodeNames: Record<string, string | undefined>): LoadedCluster {
  const hosts = loaded.hosts.map((h) => {
    const name = h.config.hostname ? h.config.hostname.toLowerCase() : (nodeNames[h.name] ?? '');
    return name === '' || name === h.config.hostname ? h : { ...h, config: { ...h.config, hostname: name } };
  });
  const issues: Issue[] = [];
  const seen = new Map<string, ResolvedHost>();
  hosts.forEach((h, i) => {
    const name = h.config.hostname;
    if (!name) return;
    const first = seen.get(name);
    if (!first) {
      seen.set(name, h);
      return;
    }
    const origin = loaded.hosts[i]!.config.hostname ? 'set in the manifest' : 'detected on the machine';
    issues.push({
      path: joinPath(manifestPath(loaded, loaded.hosts[i]!), 'hostname'),
      message: `node name ${JSON.stringify(name)} (${origin}) is also the node name of ${first.name}; two machines cannot register the same Node: set a distinct hostname for one of them`,
    });
  });
  if (issues.length > 0) throw new ConfigError(issues, 'node names');
  return { ...loaded, hosts };
}
