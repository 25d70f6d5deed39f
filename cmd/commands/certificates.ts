// kubeone certificates renew | status.
// renew: the renew-certificates actions only, on every control plane one at a time, through
// the same probe -> plan -> lock -> execute -> verify flow as apply (KubeOne's command).
// status: each control plane's certificates and their expiry, from the probe.
import type { Argv, CommandModule } from 'yargs';
import { certificatesStatus, renderCertificatesTable } from '../../pkg/views/certificates.js';
import type { CommandFactory } from '../shared/context.js';
import type { GlobalArgs } from '../shared/global-flags.js';
import { collaboratorsFor, type HostCommandArgs, hostHandler, withHostOptions } from './executor-options.js';
import { runFlowOnTerminal } from './terminal-ui.js';

interface StatusArgs extends HostCommandArgs {
  output: 'table' | 'json';
}

export const certificatesCommand: CommandFactory = (ctx) => {
  const renew: CommandModule<GlobalArgs, HostCommandArgs> = {
    command: 'renew',
    describe: 'Renew the control-plane certificates (kubeadm certs renew all, a new apiserver certificate when apiEndpoint names are missing), restart the static pods, one control plane at a time; approve the kubelet serving certificate requests',
    builder: (y) =>
      withHostOptions(y).epilog(
        'Does not ask for confirmation (as KubeOne). Exit codes: 0 renewed and verified; 1 refused plan (e.g. an unreachable host), lock held, a failed step; 15 configuration error; 13/14/16 SSH errors.',
      ),
    handler: hostHandler<HostCommandArgs>(ctx, async (args) => {
      await runFlowOnTerminal(collaboratorsFor(ctx, args), args, {
        manifestPath: args.manifest,
        yes: true,
        parallelism: 1,
        planOptions: { only: ['renew-certificates'] },
        requests: { renewCertificates: true },
        command: 'kubeone certificates renew',
      });
    }),
  };
  const status: CommandModule<GlobalArgs, StatusArgs> = {
    command: 'status',
    describe: "Show each control plane's certificates and when they expire (and apiserver certificates missing apiEndpoint names)",
    builder: (y) =>
      (withHostOptions(y) as unknown as Argv<StatusArgs>)
        .option('output', { alias: 'o', choices: ['table', 'json'] as const, default: 'table' as const, describe: 'output format' })
        .epilog('Exit codes: 0 once the hosts were probed (also when a certificate is expired or a host was not read); 15 configuration error; 1 other errors.'),
    handler: hostHandler<StatusArgs>(ctx, async (args) => {
      const c = collaboratorsFor(ctx, args);
      const loaded = await c.loadCluster(args.manifest);
      const pool = c.createPool(loaded);
      try {
        const snapshot = await c.probe(loaded, pool);
        const result = certificatesStatus(loaded, snapshot, new Date());
        ctx.io.stdout.write(args.output === 'json' ? `${JSON.stringify(result, null, 2)}\n` : renderCertificatesTable(result));
      } finally {
        await pool.closeAll();
      }
    }),
  };
  return {
    command: 'certificates',
    describe: 'Control-plane certificates: renew, status',
    builder: (y) => y.command(renew).command(status).demandCommand(1, 'a certificates command is required: renew or status'),
    handler: () => undefined,
  };
};
