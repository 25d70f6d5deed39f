// Control-plane flags and extra volumes that live in kube-system/kubeadm-config but that the
// manifest does not render: removed only when this tool rendered them before (the ownership
// record names them) or when the manifest explicitly turns their feature off; otherwise they
// are kept in the configuration this tool uploads, and the plan warns. A cluster KubeOne built
// keeps its audit, admission and encryption flags through every reconfiguration. Pure.
import type { KubeOneCluster } from '../api/types.js';
import { COMPONENT_PATHS, normalizeExtraArgs } from '../kubeadm/cluster-configuration.js';
import type { ControlPlaneComponent, OwnershipRecord } from '../snapshot/types.js';
import { CONTROL_PLANE_COMPONENTS } from './record.js';

export interface KeptSetting {
  component: ControlPlaneComponent;
  kind: 'flag' | 'volume';
  name: string;
  /** The flag's value, or the volume's hostPath. */
  value: string;
  /** What turns it off in the manifest, when a feature of the manifest renders it. */
  feature?: string;
}

type Config = Record<string, unknown>;
type Named = { name: string; [k: string]: unknown };

/**
 * Never removed by this rule, even when recorded: the apiserver could no longer read what was
 * encrypted with it. Turning encryption off is its own procedure (decrypt everything first),
 * which belongs to the encryption feature.
 */
const NEVER_DROPPED: Partial<Record<ControlPlaneComponent, { flags: readonly string[]; volumes: readonly string[] }>> = {
  apiServer: { flags: ['encryption-provider-config'], volumes: ['encryption-providers-conf', 'kms-endpoint'] },
};

interface Feature {
  /** The manifest field, as users read it. */
  field: string;
  /** The manifest explicitly turns the feature off. */
  off(cluster: KubeOneCluster): boolean;
  flags: readonly string[];
  volumes: readonly string[];
}

const admissionOff = (c: KubeOneCluster): boolean => {
  const f = c.features;
  return !f?.podNodeSelector?.enable && !f?.eventRateLimit?.enable && (f?.podNodeSelector?.enable === false || f?.eventRateLimit?.enable === false);
};

/** The API server flags and volumes KubeOne renders for a manifest feature (pkg/features, kubeadm v1beta4 template). */
const API_SERVER_FEATURES: readonly Feature[] = [
  {
    field: 'features.staticAuditLog.enable',
    off: (c) => c.features?.staticAuditLog?.enable === false,
    flags: ['audit-policy-file', 'audit-log-path', 'audit-log-maxage', 'audit-log-maxbackup', 'audit-log-maxsize'],
    volumes: ['audit-conf', 'log'],
  },
  {
    field: 'features.openidConnect.enable',
    off: (c) => c.features?.openidConnect?.enable === false,
    flags: ['oidc-issuer-url', 'oidc-client-id', 'oidc-username-claim', 'oidc-username-prefix', 'oidc-groups-claim', 'oidc-groups-prefix', 'oidc-required-claim', 'oidc-signing-algs', 'oidc-ca-file'],
    volumes: [],
  },
  {
    field: 'features.podNodeSelector.enable / features.eventRateLimit.enable',
    off: admissionOff,
    flags: ['admission-control-config-file'],
    volumes: ['admission-conf'],
  },
  {
    field: 'features.encryptionProviders.enable',
    off: () => false,
    flags: ['encryption-provider-config'],
    volumes: ['encryption-providers-conf', 'kms-endpoint'],
  },
];

function featureOf(component: ControlPlaneComponent, kind: 'flag' | 'volume', name: string): Feature | undefined {
  if (component !== 'apiServer') return undefined;
  return API_SERVER_FEATURES.find((f) => (kind === 'flag' ? f.flags : f.volumes).includes(name));
}

function dig(obj: Config | null | undefined, path: readonly string[]): unknown {
  let cur: unknown = obj;
  for (const key of path) cur = cur && typeof cur === 'object' ? (cur as Config)[key] : undefined;
  return cur;
}

function volumesOf(raw: unknown): Named[] {
  return Array.isArray(raw) ? raw.filter((v): v is Named => Boolean(v) && typeof v === 'object' && typeof (v as Named).name === 'string') : [];
}

/** v1beta4 extraArgs entries of one flag (a flag may repeat), from a list or a v1beta3 map. */
function argEntries(raw: unknown, name: string): { name: string; value: string }[] {
  if (Array.isArray(raw)) return raw.filter((a) => a && typeof a === 'object' && (a as Named).name === name).map((a) => ({ name, value: String((a as Named).value ?? '') }));
  const map = normalizeExtraArgs(raw);
  return name in map ? [{ name, value: map[name]! }] : [];
}

/** Names of the flags and volumes a ClusterConfiguration sets, per component (what the record keeps). */
export function settingNames(config: Config): Pick<OwnershipRecord['controlPlane'], 'flags' | 'volumes'> {
  const flags: OwnershipRecord['controlPlane']['flags'] = {};
  const volumes: OwnershipRecord['controlPlane']['volumes'] = {};
  for (const component of CONTROL_PLANE_COMPONENTS) {
    const paths = COMPONENT_PATHS[component];
    const f = Object.keys(normalizeExtraArgs(dig(config, paths.args)));
    if (f.length > 0) flags[component] = f.sort();
    const v = paths.volumes ? volumesOf(dig(config, paths.volumes)).map((x) => x.name) : [];
    if (v.length > 0) volumes[component] = v.sort();
  }
  return { flags, volumes };
}

export interface MergedConfiguration {
  /** The rendered configuration plus the live settings that stay. */
  clusterConfiguration: Config;
  kept: KeptSetting[];
}

/**
 * The ClusterConfiguration to upload: the rendered one, plus every live flag and extra volume it
 * lacks that this tool did not render before (per `record`) and whose feature the manifest does
 * not explicitly turn off. With no live configuration (a new cluster) it is the rendered one.
 */
export function withUnownedLiveSettings(
  rendered: Config,
  live: Config | null | undefined,
  record: OwnershipRecord | null | undefined,
  cluster: KubeOneCluster,
): MergedConfiguration {
  if (!live) return { clusterConfiguration: rendered, kept: [] };
  const out = structuredClone(rendered);
  const kept: KeptSetting[] = [];
  const ensure = (path: readonly string[]): Config => {
    let cur = out;
    for (const key of path.slice(0, -1)) cur = (cur[key] ??= {}) as Config;
    return cur;
  };
  const owned = (component: ControlPlaneComponent, kind: 'flags' | 'volumes', name: string): boolean =>
    !(NEVER_DROPPED[component]?.[kind] ?? []).includes(name) && (record?.controlPlane[kind][component] ?? []).includes(name);
  for (const component of CONTROL_PLANE_COMPONENTS) {
    const paths = COMPONENT_PATHS[component];
    const liveArgs = dig(live, paths.args);
    const want = normalizeExtraArgs(dig(out, paths.args));
    for (const name of Object.keys(normalizeExtraArgs(liveArgs)).sort()) {
      if (name in want || owned(component, 'flags', name)) continue;
      const feature = featureOf(component, 'flag', name);
      if (feature?.off(cluster)) continue;
      const entries = argEntries(liveArgs, name);
      const parent = ensure(paths.args);
      const key = paths.args.at(-1)!;
      parent[key] = [...((parent[key] as unknown[] | undefined) ?? []), ...entries].sort((a, b) => ((a as Named).name < (b as Named).name ? -1 : (a as Named).name > (b as Named).name ? 1 : 0));
      kept.push({ component, kind: 'flag', name, value: entries.map((e) => e.value).join(','), ...(feature ? { feature: feature.field } : {}) });
    }
    if (!paths.volumes) continue;
    const wantVolumes = new Set(volumesOf(dig(out, paths.volumes)).map((v) => v.name));
    for (const volume of volumesOf(dig(live, paths.volumes))) {
      if (wantVolumes.has(volume.name) || owned(component, 'volumes', volume.name)) continue;
      const feature = featureOf(component, 'volume', volume.name);
      if (feature?.off(cluster)) continue;
      const parent = ensure(paths.volumes);
      const key = paths.volumes.at(-1)!;
      parent[key] = [...((parent[key] as unknown[] | undefined) ?? []), structuredClone(volume)];
      kept.push({ component, kind: 'volume', name: volume.name, value: String(volume.hostPath ?? ''), ...(feature ? { feature: feature.field } : {}) });
    }
  }
  return { clusterConfiguration: out, kept };
}

const MANIFEST_FLAGS: Partial<Record<ControlPlaneComponent, string>> = {
  apiServer: 'controlPlaneComponents.apiServer.flags',
  controllerManager: 'controlPlaneComponents.controllerManager.flags',
  scheduler: 'controlPlaneComponents.scheduler.flags',
};

/** One line for the plan's warnings: what is kept and what the user can do about it. */
export function describeKept(k: KeptSetting): string {
  const what = k.kind === 'flag' ? `flag --${k.name}=${k.value}` : `extra volume ${k.name} (${k.value})`;
  const never = (NEVER_DROPPED[k.component]?.[k.kind === 'flag' ? 'flags' : 'volumes'] ?? []).includes(k.name);
  const how = never
    ? 'kubeone never removes it on its own: what the API server encrypted with it would become unreadable'
    : k.feature
      ? `set ${k.feature} to false to have kubeone remove it`
      : k.kind === 'flag' && MANIFEST_FLAGS[k.component]
        ? `list it in ${MANIFEST_FLAGS[k.component]} to manage it with kubeone`
        : 'edit kube-system/kubeadm-config to remove it';
  return `${COMPONENT_PATHS[k.component].label} ${what} is in kube-system/kubeadm-config but not rendered from the manifest, and kubeone has no record of setting it: kept (${how})`;
}
