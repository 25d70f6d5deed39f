// A minimal KubeOneCluster loader for the probe's e2e runs and benchmark, used until the
// CLI's pkg/api loader is merged: reads the YAML, flattens hosts, no defaulting beyond
// what the probe needs and no validation. Not part of the product.
import { readFile } from 'node:fs/promises';
import path from 'node:path';

import { parse } from 'yaml';

import type { HostConfig, KubeOneCluster, LoadedCluster, ResolvedHost } from '../../pkg/api/types.js';

export async function loadManifestForProbe(manifestPath: string): Promise<LoadedCluster> {
  const file = path.resolve(manifestPath);
  const cluster = parse(await readFile(file, 'utf8')) as KubeOneCluster;
  const entries: [HostConfig, ResolvedHost['role']][] = [
    ...(cluster.controlPlane?.hosts ?? []).map((h): [HostConfig, ResolvedHost['role']] => [h, 'controlPlane']),
    ...(cluster.staticWorkers?.hosts ?? []).map((h): [HostConfig, ResolvedHost['role']] => [h, 'staticWorker']),
  ];
  const ports = new Set(entries.map(([h]) => h.sshPort ?? 22));
  const hosts = entries.map(([config, role], id): ResolvedHost => {
    const address = config.publicAddress || config.privateAddress || '';
    const name = config.hostname || (ports.size > 1 ? `${address}:${config.sshPort ?? 22}` : address);
    return { id, role, name, config };
  });
  return { manifestPath: file, baseDir: path.dirname(file), cluster, hosts, credentials: {}, warnings: [] };
}
