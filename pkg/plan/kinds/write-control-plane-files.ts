// write-control-plane-files: the audit policy, admission configuration (and its plugins'
// files) or CA bundle of a control plane differ from the manifest's. The files are written
// first: the flags that name them (reconfigure-control-plane) and the restarts that load them
// (restart-control-plane) come later in the plan. Hosts about to init or join get them in
// their own action, before kubeadm starts the components.
import { describeFileDrift, driftedFiles } from '../context.js';
import type { ActionKindModule } from '../kind.js';
import { step } from './steps.js';

export const idOf = (host: string): string => `write-control-plane-files:${host}`;

export const writeControlPlaneFiles: ActionKindModule<'write-control-plane-files'> = {
  name: 'write the control planes\' audit policy, admission configuration and CA bundle',
  when: ['reconcile'],
  kinds: { 'write-control-plane-files': { change: '~', serial: false, disruptive: false } },
  plan: (ctx) =>
    ctx.staying.flatMap((host) => {
      if (host.role !== 'controlPlane' || !host.reachable || !host.cpInitialized) return [];
      const drifted = driftedFiles(ctx, host, 'control-plane');
      if (drifted.length === 0) return [];
      return {
        kind: 'write-control-plane-files' as const,
        id: idOf(host.name),
        hosts: [host.name],
        title: `write the control-plane configuration files on ${host.name}`,
        reason: `${drifted.map((p) => describeFileDrift(ctx, host, p)).join('; ')} (features.staticAuditLog, podNodeSelector, eventRateLimit, certificateAuthority)`,
        steps: [step('host.controlplane.files', host.name, `write ${drifted.join(', ')} on ${host.name}`)],
      };
    }),
};
