// Reads Helm releases back from the cluster the way helm stores them (the default "secret"
// driver): one Secret of type helm.sh/release.v1 per revision, labelled owner=helm, name,
// version and status, whose `release` key holds the release as base64 text of gzipped JSON.
// Only the latest revision of each release is decoded; its values become a hash and a
// redacted view, so nothing secret leaves this module.
import { gunzipSync } from 'node:zlib';
import type { CoreV1Api, V1Secret } from '@kubernetes/client-node';
import type { SecretSet } from '../log/redact.js';
import type { HelmReleaseFacts } from '../snapshot/types.js';
import { RELEASED_BY_KUBEONE } from './types.js';
import { isValuesMap, valuesHash, viewOfValues } from './values.js';

export const RELEASE_SECRET_TYPE = 'helm.sh/release.v1';
/** Superseded revisions are history: the latest revision of a release is never superseded. */
export const LATEST_REVISIONS_SELECTOR = 'owner=helm,status!=superseded';

interface StoredRelease {
  name?: string;
  namespace?: string;
  version?: number;
  info?: { status?: string };
  chart?: { metadata?: { name?: string; version?: string; appVersion?: string } };
  config?: unknown;
}

/** The release a storage Secret holds (helm writes base64 of gzipped JSON; old releases may be plain JSON). */
export function decodeStoredRelease(secret: V1Secret): StoredRelease {
  const data = secret.data?.release;
  if (!data) throw new Error(`Secret ${secret.metadata?.namespace}/${secret.metadata?.name} holds no release`);
  const inner = Buffer.from(Buffer.from(data, 'base64').toString('latin1'), 'base64');
  const json = inner[0] === 0x1f && inner[1] === 0x8b ? gunzipSync(inner, { maxOutputLength: 64 * 1024 * 1024 }) : inner;
  const parsed = JSON.parse(json.toString('utf8')) as unknown;
  if (!isValuesMap(parsed)) throw new Error(`Secret ${secret.metadata?.namespace}/${secret.metadata?.name} holds no release object`);
  return parsed as StoredRelease;
}

const revisionOf = (s: V1Secret): number => Number(s.metadata?.labels?.version ?? 0);

export interface ReleaseViewOptions {
  /** Masks known secrets in the values views. */
  mask?: SecretSet;
  /**
   * `namespace/name` of the releases whose values view is kept (the manifest's: the plan may
   * diff them). Every other release gets an empty view: its values are someone else's.
   */
  showValuesOf?: ReadonlySet<string>;
}

/** The latest revision of every release among storage Secrets, decoded; releases whose latest revision is `uninstalled` are gone. */
export function releasesFromSecrets(secrets: V1Secret[], opts: ReleaseViewOptions = {}): HelmReleaseFacts[] {
  const latest = new Map<string, V1Secret>();
  for (const s of secrets) {
    if (s.type !== RELEASE_SECRET_TYPE || s.metadata?.labels?.owner !== 'helm') continue;
    const key = `${s.metadata.namespace ?? ''}\u0000${s.metadata.labels.name ?? ''}`;
    const seen = latest.get(key);
    if (!seen || revisionOf(s) > revisionOf(seen)) latest.set(key, s);
  }
  const out: HelmReleaseFacts[] = [];
  for (const secret of latest.values()) {
    const release = decodeStoredRelease(secret);
    const status = release.info?.status ?? secret.metadata?.labels?.status ?? 'unknown';
    if (status === 'uninstalled') continue;
    const config = isValuesMap(release.config) ? release.config : {};
    const meta = release.chart?.metadata ?? {};
    const name = release.name ?? secret.metadata?.labels?.name ?? '';
    const namespace = release.namespace ?? secret.metadata?.namespace ?? '';
    out.push({
      name,
      namespace,
      revision: release.version ?? revisionOf(secret),
      status,
      chart: meta.name ?? '',
      chartVersion: meta.version ?? '',
      appVersion: meta.appVersion ?? '',
      valuesHash: valuesHash(config),
      values: opts.showValuesOf?.has(`${namespace}/${name}`) ? viewOfValues(config, opts.mask) : {},
      managed: secret.metadata?.labels?.[RELEASED_BY_KUBEONE] !== undefined,
    });
  }
  return out.sort((a, b) => (a.namespace === b.namespace ? compare(a.name, b.name) : compare(a.namespace, b.namespace)));
}

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Lists the releases of every namespace (the latest revision of each) through the API. */
export async function listHelmReleases(core: CoreV1Api, opts: ReleaseViewOptions = {}): Promise<HelmReleaseFacts[]> {
  const list = await core.listSecretForAllNamespaces({ labelSelector: LATEST_REVISIONS_SELECTOR });
  return releasesFromSecrets(list.items, opts);
}
