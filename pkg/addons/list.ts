// `kubeone addons list`: every embedded and custom addon with its status. Without live facts
// the status says what apply would do (install / inactive / delete); with them, whether the
// cluster already matches (installed) or differs (drifted).
import { isAbsolute, join } from 'node:path';
import type { LoadedCluster } from '../api/types.js';
import type { RenderedAddon } from '../plan/types.js';
import type { AddonObjectFacts, OwnershipRecord } from '../snapshot/types.js';
import { addonOwnership, diffAddons } from './diff.js';
import { nodeFiles, scanCustomAddons, type AddonFiles } from './files.js';
import { EMBEDDED_ADDONS, ROOT_ADDON, addonDeletions, displayName, isEmbedded, selectAddons } from './selection.js';

export { displayName };

export type AddonStatus = 'install' | 'installed' | 'drifted' | 'inactive' | 'delete' | 'unmanaged';

export interface AddonListEntry {
  name: string;
  source: 'embedded' | 'custom';
  /** A custom directory of the same name replaces the embedded addon. */
  overridesEmbedded: boolean;
  status: AddonStatus;
  /** Why: the manifest field that selects it, or what was observed. */
  reason: string;
  /** Objects rendered (selected addons) or found live (addons to delete). */
  objects: number;
}

export interface ListAddonsInput {
  loaded: LoadedCluster;
  /** renderAddons() output for this manifest (needed for object counts and drift). */
  rendered: RenderedAddon[];
  /** Live labelled objects; null when the cluster was not asked. */
  live: AddonObjectFacts[] | null;
  /** The cluster's ownership record (with `live`): which live objects kubeone applied. */
  ownership?: OwnershipRecord | null;
  files?: AddonFiles;
}

export function listAddons(input: ListAddonsInput): AddonListEntry[] {
  const { loaded, rendered, live } = input;
  const files = input.files ?? nodeFiles;
  const path = loaded.cluster.addons?.path;
  const customPath = path ? (isAbsolute(path) ? path : join(loaded.baseDir, path)) : undefined;
  const custom = scanCustomAddons(files, customPath);
  const selection = selectAddons(loaded.cluster, custom.dirs, custom.rootFiles);
  const deletions = addonDeletions(loaded.cluster);
  const ownership = addonOwnership(input.ownership, deletions.map((d) => d.name));
  const diffs = live ? diffAddons(rendered, live, ownership) : [];
  const liveCount = (name: string): number => live?.filter((o) => o.addon === name).length ?? 0;

  const names = [...new Set([...EMBEDDED_ADDONS, ...custom.dirs, ...selection.selected.map((s) => s.name), ...(live ?? []).map((o) => o.addon)])];
  const entries = names.map((name): AddonListEntry => {
    const chosen = selection.selected.find((s) => s.name === name);
    const overridesEmbedded = isEmbedded(name) && custom.dirs.includes(name);
    const source = chosen?.source ?? (custom.dirs.includes(name) || name === ROOT_ADDON || !isEmbedded(name) ? 'custom' : 'embedded');
    const base = { name, source, overridesEmbedded } as const;
    if (chosen) {
      const objects = rendered.find((a) => a.name === name)?.objects.length ?? 0;
      if (!live) return { ...base, status: 'install', reason: chosen.reason, objects };
      const d = diffs.find((x) => x.addon === name);
      if (!d || d.change === null) return { ...base, status: 'installed', reason: chosen.reason, objects };
      const creating = d.objects.every((o) => o.change === '+') && liveCount(name) === 0;
      const counts = (['+', '~', '-'] as const).map((c) => `${d.objects.filter((o) => o.change === c).length}${c}`).join(' ');
      return { ...base, status: creating ? 'install' : 'drifted', reason: creating ? chosen.reason : `objects differ (${counts})`, objects };
    }
    const n = liveCount(name);
    const deletion = deletions.find((d) => d.name === name);
    if (deletion) return { ...base, status: 'delete', reason: deletion.reason, objects: n };
    if (n > 0) {
      const pruned = diffs.find((d) => d.addon === name)?.objects.length ?? 0;
      if (pruned > 0) return { ...base, status: 'delete', reason: 'no longer in the manifest; kubeone applied its objects and prunes them', objects: n };
      return { ...base, status: 'unmanaged', reason: `labelled kubeone.io/addon=${name} but not applied by kubeone: left alone (delete: true in addons.addons removes it)`, objects: n };
    }
    return { ...base, status: 'inactive', reason: inactiveReason(name), objects: 0 };
  });
  return entries.sort((a, b) => a.name.localeCompare(b.name));
}

function inactiveReason(name: string): string {
  switch (name) {
    case 'cni-canal':
    case 'cni-cilium':
    case 'cni-weavenet':
      return 'another CNI is selected in clusterNetwork.cni';
    case 'metrics-server':
      return 'features.metricsServer.enable is false';
    case 'nodelocaldns':
      return 'features.nodeLocalDNS.deploy is false';
    case 'coredns-pdb':
      return 'features.coreDNS.deployPodDisruptionBudget is false';
    case 'csi-external-snapshotter':
      return 'no bundled CSI driver (cloudProvider without one, or cloudProvider.disableBundledCSIDrivers)';
    default:
      if (name.startsWith('ccm-')) return 'for another cloudProvider (or cloudProvider.external is false)';
      if (name.startsWith('csi-')) return 'for another cloudProvider (or cloudProvider.disableBundledCSIDrivers)';
      return isEmbedded(name) ? 'not listed in addons.addons' : 'not selected';
  }
}

export function formatAddonTable(entries: AddonListEntry[]): string {
  const rows = [
    ['NAME', 'SOURCE', 'STATUS', 'OBJECTS', 'REASON'],
    ...entries.map((e) => [
      displayName(e.name),
      e.overridesEmbedded ? 'custom (overrides embedded)' : e.source,
      e.status,
      String(e.objects),
      e.reason,
    ]),
  ];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  ')).join('\n') + '\n';
}

export function formatAddonJson(entries: AddonListEntry[]): string {
  return JSON.stringify({ addons: entries }, null, 2) + '\n';
}
