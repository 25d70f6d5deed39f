// `kubeone migrate`: KubeOne 1.14's two migrations. `to-ccm-csi` has been a no-op since
// KubeOne 1.14 (in-tree volume plugins are gone; CSI serves every volume), kept so scripts
// that call it keep working. `to-containerd` (hidden, as in KubeOne) moved Docker clusters to
// containerd; kubeone installs containerd only, so it probes the cluster and either confirms
// that every Node runs containerd or refuses, naming the Nodes, without touching a host.
import type { Argv, CommandModule } from 'yargs';

import { ExitCode, KubeOneError } from '../../pkg/errors/exit-codes.js';
import type { Snapshot } from '../../pkg/snapshot/types.js';
import type { CommandFactory } from '../shared/context.js';
import type { GlobalArgs } from '../shared/global-flags.js';
import { collaboratorsFor, type HostCommandArgs, hostHandler, withHostOptions } from './executor-options.js';

interface ToCcmCsiArgs extends GlobalArgs {
  'auto-approve': boolean;
  complete: boolean;
}

/** The Nodes whose runtime is not containerd (name and runtime), or why the cluster cannot be judged. */
export function containerdMigrationVerdict(snapshot: Snapshot): { notProvisioned: true } | { others: { node: string; runtime: string }[] } {
  const kube = snapshot.state.kube;
  if (!kube || kube.nodes.length === 0) return { notProvisioned: true };
  const others = kube.nodes
    .filter((n) => !n.containerRuntimeVersion.startsWith('containerd://'))
    .map((n) => ({ node: n.name, runtime: n.containerRuntimeVersion || 'unknown' }));
  return { others };
}

export const migrateCommand: CommandFactory = (ctx) => {
  const toCcmCsi: CommandModule<GlobalArgs, ToCcmCsiArgs> = {
    command: 'to-ccm-csi',
    describe: 'No-op, as in KubeOne 1.14: in-tree volume plugins are gone and CSI drivers serve every volume (the flags are accepted for scripts)',
    builder: (y) =>
      (y as unknown as Argv<ToCcmCsiArgs>)
        .option('auto-approve', { alias: 'y', type: 'boolean', default: false, describe: 'accepted, nothing to approve' })
        .option('complete', { type: 'boolean', default: false, describe: 'accepted, nothing to complete' })
        .epilog('Exit codes: 0 (nothing is read or changed).'),
    handler: ctx.run(async () => {
      ctx.io.stderr.write('migrate to-ccm-csi: nothing to do (a no-op since KubeOne 1.14; external CCM and CSI come from cloudProvider.external)\n');
    }),
  };

  const toContainerd: CommandModule<GlobalArgs, HostCommandArgs> = {
    command: 'to-containerd',
    describe: false, // hidden, as in KubeOne
    builder: (y) =>
      (withHostOptions(y) as unknown as Argv<HostCommandArgs>).epilog(
        'Exit codes: 0 every Node runs containerd (nothing to migrate); 1 the cluster is not provisioned; 15 a Node runs another runtime (kubeone installs containerd only: not supported); 13/14/16 SSH errors.',
      ),
    handler: hostHandler<HostCommandArgs>(ctx, async (args) => {
      const c = collaboratorsFor(ctx, args);
      const loaded = await c.loadCluster(args.manifest);
      const pool = c.createPool(loaded);
      let snapshot: Snapshot;
      try {
        snapshot = await c.probe(loaded, pool);
      } finally {
        await pool.closeAll();
      }
      const verdict = containerdMigrationVerdict(snapshot);
      if ('notProvisioned' in verdict) throw new KubeOneError('containerd migration: the target cluster is not provisioned');
      if (verdict.others.length > 0) {
        const list = verdict.others.map((o) => `${o.node} (${o.runtime})`).join(', ');
        throw new KubeOneError(`not supported yet: kubeone migrate to-containerd on Nodes running another runtime: ${list}; kubeone installs and manages containerd only`, ExitCode.config);
      }
      ctx.io.stdout.write(`every Node runs containerd (${snapshot.state.kube!.nodes.length} of them): nothing to migrate\n`);
    }),
  };

  return {
    command: 'migrate',
    describe: 'Migrations KubeOne offers: to-ccm-csi (a no-op since KubeOne 1.14)',
    builder: (y) => y.command(toCcmCsi as never).command(toContainerd as never).demandCommand(1, 'name a migration: to-ccm-csi'),
    handler: () => undefined,
  };
};
