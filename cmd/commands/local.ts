// kubeone local [-y] [--kubernetes-version V] [--apiendpoint HOST] [apply's flags]
// An all-in-one cluster on the machine kubeone runs on: the manifest (when there is one)
// becomes a one-host cluster of this machine, and apply's flow runs over a local shell
// instead of SSH (same probe, plan, executor, lock and journal).
import { existsSync } from 'node:fs';
import { stringify } from 'yaml';

import type { KubeOneCluster } from '../../pkg/api/types.js';
import { ExitCode, KubeOneError } from '../../pkg/errors/exit-codes.js';
import { createLocalPool, defaultRouteAddress } from '../../pkg/ssh/local.js';
import type { CommandFactory } from '../shared/context.js';
import { type ApplyArgs, runApply, withApplyOptions } from './apply.js';
import { hostHandler } from './executor-options.js';
import { realCollaborators } from './executor-wiring.js';
import { kubernetesVersionFlag } from './config-images.js';

interface LocalArgs extends ApplyArgs {
  'kubernetes-version'?: string;
  apiendpoint?: string;
}

/**
 * KubeOne's conversion: cluster "local", one control plane (this machine, the leader, no
 * taints, so workloads run on it), provider none, machine-controller and OSM off. Static and
 * dynamic workers go (KubeOne keeps them and would run their steps on this machine too);
 * versions, the API endpoint and every other setting stay.
 */
export function toLocalCluster(c: KubeOneCluster, address: string, apiEndpointHost: string | undefined): KubeOneCluster {
  const { staticWorkers: _workers, dynamicWorkers: _dynamic, ...rest } = c;
  return {
    ...rest,
    name: 'local',
    controlPlane: { hosts: [{ publicAddress: address, privateAddress: address, isLeader: true, taints: [] }] },
    cloudProvider: { none: {} },
    machineController: { deploy: false },
    operatingSystemManager: { deploy: false },
    // As KubeOne, a manifest's endpoint stays; --apiendpoint (which KubeOne reads only without a manifest) overrides it.
    apiEndpoint: { ...c.apiEndpoint, host: apiEndpointHost ?? c.apiEndpoint?.host ?? '' },
  };
}

export const localCommand: CommandFactory = (ctx) => ({
  command: 'local',
  describe:
    'Install or reconcile an all-in-one cluster on this machine (commands run locally, not over SSH; run as root or with passwordless sudo). ' +
    'Exit codes as apply: 0 converged; 1 refused, failed or not confirmed; 15 for configuration errors',
  builder: (y) =>
    withApplyOptions(y)
      .option('kubernetes-version', { type: 'string', describe: 'Kubernetes version to install when there is no manifest' })
      .option('apiendpoint', { alias: 'api-endpoint', type: 'string', describe: 'kube-apiserver endpoint host (default: this machine\'s address)' })
      .example('kubeone local --kubernetes-version 1.35.1 -y', 'a cluster from scratch, without a manifest')
      .example('kubeone local -m kubeone.yaml', 'the manifest\'s settings, on this machine only'),
  handler: hostHandler<LocalArgs>(ctx, async (args) => {
    const address = defaultRouteAddress();
    if (!address) throw new KubeOneError('no IPv4 address on this machine to run the cluster on');
    const endpoint = args.apiendpoint;
    const haveManifest = args.manifest === '-' || existsSync(args.manifest);
    let loadOverrides: Parameters<typeof ctx.loadCluster>[1];
    if (haveManifest) {
      if (args['kubernetes-version'] !== undefined) throw new KubeOneError(`--kubernetes-version is for a cluster without a manifest; ${args.manifest} sets versions.kubernetes`);
      loadOverrides = { transform: (c) => toLocalCluster(c, address, endpoint) };
    } else {
      if (!args['kubernetes-version']) throw new KubeOneError(`no manifest at ${args.manifest}: --kubernetes-version is required`, ExitCode.config);
      const generated = toLocalCluster(
        { apiVersion: 'kubeone.k8c.io/v1beta2', kind: 'KubeOneCluster', versions: { kubernetes: kubernetesVersionFlag('--kubernetes-version', args['kubernetes-version']) } },
        address,
        endpoint,
      );
      loadOverrides = { text: stringify(generated) };
    }
    const collaborators = realCollaborators({
      load: () => ctx.loadCluster(args, loadOverrides),
      probeContext: (loaded) => ({ loaded, logger: ctx.logger(args) }),
      createPool: () => createLocalPool(),
    });
    await runApply(collaborators, args, 'kubeone local');
  }),
});
