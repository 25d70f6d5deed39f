// Drift of the static pods' volumes and environment in the ClusterConfiguration (kubeadm renders
// them into the manifests, as it does the flags). Only the names this tool renders are compared:
// what someone else added is not ours to remove.
import { normalizeExtraArgs } from './reconfigure-control-plane.js';

/** Volumes and variables this tool renders (audit, admission, encryption, the controller manager's CA bundle). */
const OURS = {
  extraVolumes: ['audit-conf', 'log', 'admission-conf', 'encryption-providers-conf', 'ca-certs'],
  extraEnvs: ['SSL_CERT_FILE'],
} as const;

const SECTIONS = ['apiServer', 'controllerManager'] as const;

type Named = { name?: unknown };

function byName(list: unknown, names: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  if (!Array.isArray(list)) return out;
  for (const item of list as Named[]) {
    if (typeof item?.name !== 'string' || !names.includes(item.name)) continue;
    const { name, ...rest } = item as Record<string, unknown>;
    out[name as string] = JSON.stringify(Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined && v !== false && v !== '').sort(([a], [b]) => (a < b ? -1 : 1))));
  }
  return out;
}

const section = (config: Record<string, unknown> | null, name: string): Record<string, unknown> => ((config?.[name] ?? {}) as Record<string, unknown>);

/** Human descriptions of our volumes and variables that differ, e.g. `apiServer.extraVolumes audit-conf: unset in the cluster, the manifest sets it`. */
export function mountDrift(live: Record<string, unknown> | null, desired: Record<string, unknown>): string[] {
  const out: string[] = [];
  for (const s of SECTIONS) {
    for (const field of ['extraVolumes', 'extraEnvs'] as const) {
      const have = byName(section(live, s)[field], OURS[field]);
      const want = byName(section(desired, s)[field], OURS[field]);
      for (const key of [...new Set([...Object.keys(have), ...Object.keys(want)])].sort()) {
        if (have[key] === want[key]) continue;
        if (!(key in have)) out.push(`${s}.${field} ${key}: unset in the cluster, the manifest sets it`);
        else if (!(key in want)) out.push(`${s}.${field} ${key}: set in the cluster, the manifest removes it`);
        else out.push(`${s}.${field} ${key}: differs from the manifest's`);
      }
    }
  }
  return out;
}

/** Whether the component's static pod changes when the desired ClusterConfiguration is applied (its flags, our volumes or variables). */
export function componentDrifts(live: Record<string, unknown> | null, desired: Record<string, unknown>, name: string): boolean {
  const args = (c: Record<string, unknown> | null) => JSON.stringify(Object.entries(normalizeExtraArgs(section(c, name).extraArgs)).sort());
  if (args(live) !== args(desired)) return true;
  return mountDrift(live, desired).some((d) => d.startsWith(`${name}.`));
}
