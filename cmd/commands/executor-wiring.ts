// Wires the executor flows (pkg/executor) to the packages that do the I/O: the manifest
// loader of the CLI context, the SSH pool, the probe, the planner, the tunnelled API client
// and the addon appliers. One place, so plan, apply, reset and the others see the same
// cluster the same way. The Kubernetes client and the probe are imported where they are
// used: `plan --snapshot` touches no host and loads neither.
import type { LoadedCluster } from '../../pkg/api/types.js';
import { clusterRenderer, completeAddon } from '../../pkg/addons/cluster-render.js';
import type { Collaborators } from '../../pkg/pipeline/collaborators.js';
import { helmClient } from '../../pkg/helm/client.js';
import { computePlan } from '../../pkg/plan/index.js';
import { poolOptions, type ProbeCommandContext } from '../../pkg/probe/commands.js';
import { createSshPool } from '../../pkg/ssh/pool.js';
import type { KubeConfig } from '@kubernetes/client-node';

const addonApply = () => import('../../pkg/addons/apply.js');

export interface WiringOptions {
  /** Loads the manifest the global flags name (-m, -t, -c); the CLI context's loader. */
  load: () => Promise<LoadedCluster>;
  /** Pool settings beyond the manifest (concurrency, known_hosts, accepted host keys). */
  probeContext: (loaded: LoadedCluster) => ProbeCommandContext;
  /** --helm-binary: the helm client (default `helm` on PATH). */
  helmBinary?: string;
  /** Another transport than SSH (kubeone local: this machine's shell). */
  createPool?: Collaborators['createPool'];
}

export function realCollaborators(options: WiringOptions): Collaborators {
  // Rendered once per loaded manifest: the probe hashes live objects against these, and the
  // same instances go to the planner and to addon.apply (Secret data stays in memory only).
  // The cluster CA is read from the leader when an addon's certificates need it.
  const renderer = clusterRenderer();
  return {
    loadCluster: () => options.load(),
    createPool: options.createPool ?? ((loaded) => createSshPool(poolOptions(options.probeContext(loaded)))),
    probe: async (loaded, pool) => {
      // The handshakes run while the probe's modules load.
      await pool.warm?.(loaded.hosts);
      return (await import('../../pkg/probe/index.js')).probe({
        loaded,
        pool,
        listAddonObjects: async (kc, leader) => (await addonApply()).listAddonObjects(kc as KubeConfig, await renderer.render(loaded, { clusterExists: true, leader })),
        logger: options.probeContext(loaded).logger,
      });
    },
    renderAddons: async (loaded, snapshot) => renderer.render(loaded, { clusterExists: snapshot.state.kube !== null }),
    computePlan,
    createTunnelledKubeConfig: async (t, a, h, p) => (await import('../../pkg/kube/index.js')).createTunnelledKubeConfig(t, a, h, p),
    helm: helmClient(options.helmBinary ? { binary: options.helmBinary } : {}),
    addons: {
      apply: async (kc, addon, leader) => {
        await (await addonApply()).applyAddonObjects(kc as KubeConfig, await completeAddon(addon, leader));
      },
      prune: async (kc, objects) => {
        await (await addonApply()).pruneAddonObjects(kc as KubeConfig, objects as never);
      },
    },
  };
}
