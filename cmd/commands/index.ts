// The command registry. To add a command: write cmd/commands/<name>.ts exporting a
// CommandFactory (see cmd/shared/context.ts) and add it to this list with lazyCommand, so its
// module (and whatever it imports) loads only when that command runs: light commands such
// as `version` and `config validate` must not load the Kubernetes client, SSH or winston
// (cmd/startup.test.ts checks).
import type { CommandFactory } from '../shared/context.js';
import { lazyCommand } from '../shared/lazy-command.js';
import type { ProbeCommandDeps } from './probe-flags.js';

const probeDeps = (ctx: Parameters<CommandFactory>[0]): ProbeCommandDeps => ({
  loadCluster: (argv) => ctx.loadCluster(argv),
  logger: (argv) => ctx.logger(argv),
  write: (text) => ctx.io.stdout.write(text),
  run: (handler) => ctx.run(handler),
});

const statusCommand = lazyCommand(
  { command: 'status', describe: 'Show the state of every host and of the cluster (table, then problems found)' },
  async () => {
    const { makeStatusCommand } = await import('./status.js');
    return (ctx) => makeStatusCommand(probeDeps(ctx)) as never;
  },
);

const snapshotCommand = lazyCommand(
  { command: 'snapshot', describe: 'Probe every host and the cluster and print the snapshot (versioned, redacted JSON)' },
  async () => {
    const { makeSnapshotCommand } = await import('./snapshot.js');
    return (ctx) => makeSnapshotCommand(probeDeps(ctx)) as never;
  },
);

/** `addons list --live` reads the cluster through the same SSH tunnel as the probe. */
const addonsListCommand = lazyCommand({ command: 'addons <command>', describe: 'Inspect addons' }, async () => {
  const { addonsCommand } = await import('./addons.js');
  return (ctx) =>
    addonsCommand({
      loadCluster: (argv) => ctx.loadCluster(argv as never),
      write: (text) => ctx.io.stdout.write(text),
      liveAddonObjects: async (loaded, _offline, flags) => {
        const [{ listAddonObjects }, { clusterRenderer }, { kubeClientFromLeader }, { createSshPool }, { SshError }, { poolOptions }, { readOwnershipRecord }, { probeContext }] =
          await Promise.all([
            import('../../pkg/addons/apply.js'),
            import('../../pkg/addons/cluster-render.js'),
            import('../../pkg/kube/index.js'),
            import('../../pkg/ssh/pool.js'),
            import('../../pkg/ssh/types.js'),
            import('../../pkg/probe/commands.js'),
            import('../../pkg/probe/cluster-probe.js'),
            import('./probe-flags.js'),
          ]);
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
});

export const commands: CommandFactory[] = [
  lazyCommand({ command: 'config', describe: 'Work with the KubeOneCluster manifest' }, async () => (await import('./config.js')).configCommand),
  lazyCommand({ command: 'plan', describe: 'Show the actions apply would run, each with its reason (changes nothing)' }, async () => (await import('./plan.js')).planCommand),
  lazyCommand({ command: 'apply [planfile]', describe: 'Converge the hosts to the manifest: probe, plan, confirm, execute, verify' }, async () => (await import('./apply.js')).applyCommand),
  lazyCommand({ command: 'reset', describe: 'Tear the cluster down on every host (there is no way to recover it afterwards)' }, async () => (await import('./reset.js')).resetCommand),
  statusCommand,
  snapshotCommand,
  lazyCommand(
    { command: 'kubeconfig', describe: 'Print the cluster admin kubeconfig (from the leader); `kubeconfig generate` makes one for a user' },
    async () => (await import('./kubeconfig.js')).kubeconfigCommand,
  ),
  lazyCommand({ command: 'certificates', describe: 'Control-plane certificates: renew, status' }, async () => (await import('./certificates.js')).certificatesCommand),
  lazyCommand({ command: 'etcd', describe: 'etcd operations: members, disarm, defragment, snapshot' }, async () => (await import('./etcd.js')).etcdCommand),
  lazyCommand(
    {
      command: 'proxy',
      describe: 'HTTPS (CONNECT) proxy on this machine tunnelling over SSH through a control plane, e.g. for kubectl and an API endpoint only the hosts reach',
    },
    async () => (await import('./proxy.js')).proxyCommand,
  ),
  lazyCommand(
    {
      command: 'ui',
      describe:
        'Web dashboard of the cluster (Nodes with apiserver/etcd health, MachineDeployments, pods of a node; scale, restart, delete) on 127.0.0.1, behind a per-run token. ' +
        "Exit codes: 0 stopped by a signal; 1 bad --port/--address or the address in use; 12 no control plane's API answers; 13/14 SSH; 15 configuration error",
    },
    async () => (await import('./ui.js')).uiCommand,
  ),
  lazyCommand({ command: 'migrate', describe: 'Migrations KubeOne offers: to-ccm-csi (a no-op since KubeOne 1.14)' }, async () => (await import('./migrate.js')).migrateCommand),
  lazyCommand({ command: 'unlock', describe: 'Show the cluster lock, or remove it with --force LOCK_ID' }, async () => (await import('./unlock.js')).unlockCommand),
  addonsListCommand,
  lazyCommand(
    {
      command: 'mirror-images <registry>',
      describe:
        'Copy every image kubeone clusters use (control plane and addons) to another registry, at the same repository paths. ' +
        'Exit codes: 0; 1 for bad arguments or when an image could not be copied (all are listed); 10 for a bad --filter; 15 for a bad Kubernetes version',
    },
    async () => (await import('./mirror-images.js')).mirrorImagesCommand,
  ),
  lazyCommand(
    {
      command: 'init',
      describe:
        'Write a new kubeone.yaml (and terraform.tfvars for providers with Terraform configurations). ' +
        'Exit codes: 0; 10 without --kubernetes-version; 15 for an invalid name or version; 1 for other bad arguments or when a file to write exists already',
    },
    async () => (await import('./init.js')).initCommand,
  ),
  lazyCommand(
    {
      command: 'local',
      describe:
        'Install or reconcile an all-in-one cluster on this machine (commands run locally, not over SSH; run as root or with passwordless sudo). ' +
        'Exit codes as apply: 0 converged; 1 refused, failed or not confirmed; 15 for configuration errors',
    },
    async () => (await import('./local.js')).localCommand,
  ),
  lazyCommand({ command: 'version', describe: 'Print the version as JSON' }, async () => (await import('./version.js')).versionCommand),
  lazyCommand(
    { command: 'completion <shell>', describe: 'Print a shell completion script (bash, zsh or fish). Exit codes: 0; 1 for another shell' },
    async () => (await import('./completion.js')).completionCommand,
  ),
];
