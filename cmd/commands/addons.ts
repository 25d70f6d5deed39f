// `kubeone addons list [-o table|json] [--live]`: the embedded and custom addons and their status.
// The manifest loader and the cluster connection are injected by the command registry, so
// this file only maps flags to pkg/addons calls and prints.
import type { Argv, CommandModule } from 'yargs';
import type { LoadedCluster } from '../../pkg/api/types.js';
import type { RenderedAddon } from '../../pkg/plan/types.js';
import type { AddonObjectFacts, OwnershipRecord } from '../../pkg/snapshot/types.js';
import { formatAddonJson, formatAddonTable, listAddons } from '../../pkg/addons/list.js';
import { renderAddons } from '../../pkg/addons/render.js';
import { type ProbeFlags, withProbeFlags } from './probe-flags.js';

export interface AddonsCommandDeps {
  /** Loads, defaults and validates the manifest (with -c credentials), as every command does. */
  loadCluster(args: Record<string, unknown>): Promise<LoadedCluster>;
  /**
   * Lists the live labelled objects through the SSH-tunnelled API client (the probe's
   * listAddonObjects); called only with --live. Returns the addons rendered for the live
   * cluster too (as plan renders them: the cluster exists, certificates signed by its CA).
   */
  liveAddonObjects?(
    loaded: LoadedCluster,
    rendered: RenderedAddon[],
    flags: ProbeFlags,
  ): Promise<{ rendered: RenderedAddon[]; live: AddonObjectFacts[]; ownership?: OwnershipRecord | null }>;
  write?(text: string): void;
}

interface ListArgs extends ProbeFlags {
  output: 'table' | 'json';
  live: boolean;
}

export function addonsCommand(deps: AddonsCommandDeps): CommandModule {
  const write = deps.write ?? ((t: string) => process.stdout.write(t));
  const list: CommandModule<object, ListArgs> = {
    command: 'list',
    describe: 'List embedded and custom addons and what apply would do with each',
    builder: (y: Argv) =>
      withProbeFlags(y)
        .option('output', { alias: 'o', choices: ['table', 'json'] as const, default: 'table' as const, describe: 'Output format' })
        .option('live', { type: 'boolean', default: false, describe: 'Compare with the cluster (installed / drifted)' }) as unknown as Argv<ListArgs>,
    handler: async (args) => {
      const loaded = await deps.loadCluster(args as unknown as Record<string, unknown>);
      let rendered = renderAddons({ loaded });
      let live: AddonObjectFacts[] | null = null;
      let ownership: OwnershipRecord | null | undefined;
      if (args.live) {
        if (!deps.liveAddonObjects) throw new Error('--live: no cluster connection available in this build');
        ({ rendered, live, ownership } = await deps.liveAddonObjects(loaded, rendered, args));
      }
      const entries = listAddons({ loaded, rendered, live, ownership });
      write(args.output === 'json' ? formatAddonJson(entries) : formatAddonTable(entries));
    },
  };
  return {
    command: 'addons <command>',
    describe: 'Inspect addons',
    builder: (y: Argv) => y.command(list as unknown as CommandModule).demandCommand(1),
    handler: () => undefined,
  };
}
