// apply's flags that change what the plan does (KubeOne's): --no-init, --force-install,
// --force-upgrade, --prune-images, --rotate-encryption-key, --create-machine-deployments,
// --upgrade-machine-deployments. A force flag is a one-time request:
// it shapes the plan that runs, and the check after the run (a fresh plan must be empty) is made
// without it.
import type { Argv } from 'yargs';
import { KubeOneError, ExitCode } from '../../pkg/errors/exit-codes.js';
import type { FlowOptions } from '../../pkg/executor/apply-flow.js';
import type { ActionKind } from '../../pkg/plan/types.js';

export interface ApplyRequestArgs {
  /** false with --no-init. */
  init: boolean;
  'force-install': boolean;
  'force-upgrade': boolean;
  'prune-images': boolean;
  'rotate-encryption-key': boolean;
  'create-machine-deployments': boolean;
  'upgrade-machine-deployments': boolean;
  planfile?: string;
}

/** What `apply --no-init` plans: the host preparation KubeOne's WithBinariesOnly runs, no kubeadm. */
export const NO_INIT_KINDS: readonly ActionKind[] = ['install-prerequisites', 'install-container-runtime', 'install-binaries', 'configure-container-runtime'];

export function withApplyRequestFlags<T>(y: Argv<T>): Argv<T & ApplyRequestArgs> {
  return y
    .option('init', { type: 'boolean', default: true, describe: '--no-init: only prepare the hosts (prerequisites, containerd, kubeadm/kubelet/kubectl); no kubeadm init or join' })
    .option('force-install', { type: 'boolean', default: false, describe: 'install kubeadm, kubelet and kubectl again on every host at versions.kubernetes (dangerous: restarts the kubelets)' })
    .option('force-upgrade', { type: 'boolean', default: false, describe: 'run the upgrade (drain, kubeadm upgrade, kubelet restart, uncordon) on every host even at versions.kubernetes; renews the control-plane certificates' })
    .option('prune-images', { type: 'boolean', default: false, describe: 'after a host is upgraded, remove its unused container images (crictl rmi --prune)' })
    .option('rotate-encryption-key', { type: 'boolean', default: false, describe: 'rotate the key of the generated encryption configuration, and nothing else (needs --force-upgrade, as KubeOne)' })
    .option('create-machine-deployments', { type: 'boolean', default: true, describe: 'create the MachineDeployments of dynamicWorkers on the first install (kubeone does not change them afterwards, as KubeOne)' })
    .option('upgrade-machine-deployments', { type: 'boolean', default: false, describe: 'after the control planes are upgraded, set the kubelet version of every MachineDeployment in kube-system to versions.kubernetes' }) as unknown as Argv<T & ApplyRequestArgs>;
}

/** The flow options of the flags; bad combinations fail before anything connects (exit 1). */
export function applyRequests(args: ApplyRequestArgs): Pick<FlowOptions, 'planOptions' | 'requests'> {
  // KubeOne's rule (runApplyRotateKey): a configuration error, checked before anything is read.
  if (args['rotate-encryption-key'] && !args['force-upgrade']) throw new KubeOneError('rotating encryption keys requires the --force-upgrade flag', ExitCode.config);
  if (args['rotate-encryption-key']) {
    // KubeOne runs the rotation alone (its --force-upgrade is only the gate); the flags it would
    // drop without a word are refused instead.
    const dropped = [args['force-install'] && '--force-install', args['prune-images'] && '--prune-images', args['upgrade-machine-deployments'] && '--upgrade-machine-deployments', !args.init && '--no-init', args.planfile && 'PLANFILE'].filter((f): f is string => typeof f === 'string');
    if (dropped.length > 0) throw new KubeOneError(`--rotate-encryption-key runs the rotation alone: it cannot be combined with ${dropped.join(', ')}`, ExitCode.default);
    return { requests: { rotateEncryptionKey: true } };
  }
  const forced = [args['force-install'] && '--force-install', args['force-upgrade'] && '--force-upgrade', args['upgrade-machine-deployments'] && '--upgrade-machine-deployments', !args.init && '--no-init'].filter((f): f is string => typeof f === 'string');
  if (args.planfile && forced.length > 0) {
    throw new KubeOneError(`a saved plan runs as it was planned: ${forced.join(', ')} cannot be combined with PLANFILE (plan without a saved file instead)`, ExitCode.default);
  }
  if (!args.init && (args['force-upgrade'] || args['prune-images'])) {
    throw new KubeOneError(`--no-init prepares the hosts only: it cannot be combined with ${args['force-upgrade'] ? '--force-upgrade' : '--prune-images'}`, ExitCode.default);
  }
  const requests = {
    ...(args['force-upgrade'] ? { forceUpgrade: true } : {}),
    ...(args['force-install'] ? { forceInstall: true } : {}),
    ...(args['upgrade-machine-deployments'] ? { upgradeMachineDeployments: true } : {}),
  };
  const planOptions = {
    ...(args.init ? {} : { only: NO_INIT_KINDS }),
    ...(args['prune-images'] ? { pruneImages: true } : {}),
    ...(args['create-machine-deployments'] === false ? { createMachineDeployments: false } : {}),
  };
  return {
    ...(Object.keys(planOptions).length > 0 ? { planOptions } : {}),
    ...(Object.keys(requests).length > 0 ? { requests } : {}),
  };
}
