// The command registry. To add a command: write cmd/commands/<name>.ts exporting a
// CommandFactory (see cmd/shared/context.ts) and add it to this list.
import { listAddonObjects } from '../../pkg/addons/apply.js';
import { clusterRenderer } from '../../pkg/addons/cluster-render.js';
import { kubeClientFromLeader } from '../../pkg/kube/index.js';
import { createSshPool } from '../../pkg/ssh/pool.js';
import { SshError } from '../../pkg/ssh/types.js';
import { poolOptions } from '../../pkg/probe/commands.js';
import { readOwnershipRecord } from '../../pkg/probe/cluster-probe.js';
import type { CommandFactory } from '../shared/context.js';
import { addonsCommand } from './addons.js';
import { applyCommand } from './apply.js';
import { certificatesCommand } from './certificates.js';
import { completionCommand } from './completion.js';
import { configCommand } from './config.js';
import { etcdCommand } from './etcd.js';
import { kubeconfigCommand } from './kubeconfig.js';
import { planCommand } from './plan.js';
import { proxyCommand } from './proxy.js';
import { type ProbeCommandDeps, probeContext } from './probe-flags.js';
import { resetCommand } from './reset.js';
import { makeSnapshotCommand } from './snapshot.js';
import { makeStatusCommand } from './status.js';
import { unlockCommand } from './unlock.js';
import { versionCommand } from './version.js';

const probeDeps = (ctx: Parameters<CommandFactory>[0]): ProbeCommandDeps => ({
  loadCluster: (argv) => ctx.loadCluster(argv),
  logger: (argv) => ctx.logger(argv),
  write: (text) => ctx.io.stdout.write(text),
  run: (handler) => ctx.run(handler),
});

const statusCommand: CommandFactory = (ctx) => makeStatusCommand(probeDeps(ctx)) as never;
const snapshotCommand: CommandFactory = (ctx) => makeSnapshotCommand(probeDeps(ctx)) as never;

/** `addons list --live` reads the cluster through the same SSH tunnel as the probe. */
const addonsListCommand: CommandFactory = (ctx) =>
  addonsCommand({
    loadCluster: (argv) => ctx.loadCluster(argv as never),
    write: (text) => ctx.io.stdout.write(text),
    liveAddonObjects: async (loaded, _offline, flags) => {
      const pool = createSshPool(poolOptions(probeContext(loaded, flags, ctx.logger(flags as never))));
      try {
        const failures: string[] = [];
        for (const host of loaded.hosts.filter((h) => h.role === 'controlPlane')) {
          try {
            const client = await kubeClientFromLeader(pool, host);
            try {
              // As plan renders them: the cluster exists, and certificates are signed by its CA.
              const leader = { readFile: async (path: string) => (await pool.get(host)).readFile(path) };
              const rendered = await clusterRenderer().render(loaded, { clusterExists: true, leader });
              const { ownership } = await readOwnershipRecord(client);
              return { rendered, live: await listAddonObjects(client.kubeConfig, rendered), ownership };
            } finally {
              client.close();
            }
          } catch (error) {
            // SSH errors name their host already.
            failures.push(error instanceof SshError ? error.message : `${host.name}: ${(error as Error).message}`);
          }
        }
        throw new Error(`no control plane's API answered: ${failures.join('; ')}`);
      } finally {
        await pool.closeAll();
      }
    },
  }) as never;

export const commands: CommandFactory[] = [
  configCommand,
  planCommand,
  applyCommand,
  resetCommand,
  statusCommand,
  snapshotCommand,
  kubeconfigCommand,
  certificatesCommand,
  etcdCommand,
  proxyCommand,
  unlockCommand,
  addonsListCommand,
  versionCommand,
  completionCommand,
];
