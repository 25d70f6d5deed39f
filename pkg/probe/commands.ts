// The logic behind `kubeone status` and `kubeone snapshot`: open the pool, probe, close,
// print. The yargs modules in cmd/commands/ only parse flags and build the context.
import path from 'node:path';

import type { LoadedCluster } from '../api/types.js';
import { redactText } from '../log/redact.js';
import { writePrivateFile } from '../fs/private-file.js';
import { serializeSnapshot } from '../snapshot/snapshot.js';
import type { Snapshot } from '../snapshot/types.js';
import type { Logger } from '../ssh/logger.js';
import { clusterKnownHostsPath, createSshPool, type SshPoolOptions } from '../ssh/pool.js';
import { renderStatus } from './status.js';

export interface ProbeCommandContext {
  loaded: LoadedCluster;
  logger: Logger;
  /** Where output goes (stdout by default). */
  write?: (text: string) => void;
  concurrency?: number;
  /** Default: `<manifest dir>/.kubeone/<cluster>/known_hosts`. */
  knownHostsPath?: string;
  acceptNewHostKeys?: boolean | string[];
  connectTimeoutMs?: number;
  managedPaths?: string[];
}

export function poolOptions(ctx: ProbeCommandContext): SshPoolOptions {
  return {
    concurrency: ctx.concurrency,
    knownHostsPath: ctx.knownHostsPath ?? clusterKnownHostsPath(path.dirname(ctx.loaded.manifestPath === '<stdin>' ? path.join(process.cwd(), 'x') : ctx.loaded.manifestPath), ctx.loaded.cluster.name ?? ''),
    acceptNewHostKeys: ctx.acceptNewHostKeys,
    connectTimeoutMs: ctx.connectTimeoutMs,
    baseDir: ctx.loaded.baseDir,
    logger: ctx.logger,
  };
}

export async function probeWithPool(ctx: ProbeCommandContext): Promise<Snapshot> {
  const pool = createSshPool(poolOptions(ctx));
  try {
    // The handshakes run while the probe's modules load.
    await pool.warm(ctx.loaded.hosts);
    const { probe } = await import('./index.js');
    return await probe({ loaded: ctx.loaded, pool, managedPaths: ctx.managedPaths, logger: ctx.logger });
  } finally {
    await pool.closeAll();
  }
}

export async function runStatus(ctx: ProbeCommandContext): Promise<Snapshot> {
  const snapshot = await probeWithPool(ctx);
  const write = ctx.write ?? ((t: string) => process.stdout.write(t));
  write(renderStatus(snapshot, { kubernetesVersion: ctx.loaded.cluster.versions?.kubernetes, now: new Date().toISOString() }));
  return snapshot;
}

export async function runSnapshot(ctx: ProbeCommandContext & { output?: string }): Promise<Snapshot> {
  const snapshot = await probeWithPool(ctx);
  const text = serializeSnapshot(snapshot);
  if (ctx.output && ctx.output !== '-') {
    // Masked at the source already; a secret found here would make the hash fail, never leak.
    writePrivateFile(ctx.output, redactText(text));
    ctx.logger.info(`snapshot ${snapshot.hash} written to ${ctx.output}`);
  } else {
    (ctx.write ?? ((t: string) => process.stdout.write(t)))(text);
  }
  return snapshot;
}
