// What plan, apply and reset need from the other packages (api, ssh, probe, plan, kube,
// addons), as one interface: the flows are tested with fakes and the CLI wires the real ones
// (cmd/commands/executor-wiring.ts).
import type { LoadedCluster, ResolvedHost } from '../api/types.js';
import type { DesiredState, Plan, PlanOptions, RenderedAddon } from '../plan/types.js';
import type { Snapshot } from '../snapshot/types.js';
import type { HostTransport } from '../ssh/types.js';
import type { AddonApplier } from '../ops/context.js';
import type { HelmClient } from '../helm/client.js';

export interface TransportPool {
  get(host: ResolvedHost): Promise<HostTransport>;
  /** Start connecting ahead of the first get() (SSH pools; a local transport has nothing to open). */
  warm?(hosts: readonly ResolvedHost[]): Promise<void>;
  closeAll(): Promise<void>;
}

export interface Collaborators {
  loadCluster(manifestPath: string, credentialsPath?: string): Promise<LoadedCluster>;
  createPool(loaded: LoadedCluster): TransportPool;
  probe(loaded: LoadedCluster, pool: TransportPool): Promise<Snapshot>;
  /** Renders the addons for the plan (null: not evaluated). */
  renderAddons(loaded: LoadedCluster, snapshot: Snapshot): Promise<RenderedAddon[] | null>;
  computePlan(desired: DesiredState, snapshot: Snapshot, options: PlanOptions): Plan;
  /** pkg/kube createTunnelledKubeConfig: a client-node KubeConfig whose connections go through `transport`. */
  createTunnelledKubeConfig(transport: HostTransport, adminConf: string, apiHost: string, apiPort: number): Promise<unknown>;
  addons: AddonApplier;
  /** The helm client (helm on PATH or --helm-binary): resolves charts when planning, runs the helm steps. Absent: charts are not resolved and helm steps fail. */
  helm?: HelmClient;
}
