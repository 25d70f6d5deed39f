// Lookup of served resources: built-ins plus the custom resources of the CRDs in etcd.
// CRDs are re-read when asked for something unknown (another apiserver may have
// created the CRD) and after this server writes a CRD.
import { BUILTIN_RESOURCES, PREFERRED_VERSIONS } from './builtin-resources.js';
import { crdResourceDefs, type Crd } from './crd-resources.js';
import type { ResourceDef } from './resource-def.js';

export interface GroupInfo {
  name: string;
  /** Served versions, preferred first. */
  versions: string[];
}

const REFRESH_MIN_INTERVAL_MS = 1000;

export class ResourceRegistry {
  private crdDefs: ResourceDef[] = [];
  private lastRefresh = 0;

  constructor(private readonly loadCrds: () => Promise<Crd[]>) {}

  all(): ResourceDef[] {
    return [...BUILTIN_RESOURCES, ...this.crdDefs];
  }

  async refresh(): Promise<void> {
    const crds = await this.loadCrds();
    this.crdDefs = crds.filter((c) => isEstablished(c)).flatMap((c) => crdResourceDefs(c));
    this.lastRefresh = Date.now();
  }

  /** Refresh unless done very recently (bounded cost for unknown-resource lookups). */
  async refreshIfStale(): Promise<void> {
    if (Date.now() - this.lastRefresh >= REFRESH_MIN_INTERVAL_MS) await this.refresh();
  }

  find(group: string, version: string, plural: string): ResourceDef | undefined {
    return this.all().find((d) => d.group === group && d.version === version && d.plural === plural);
  }

  /** Like find, but re-reads CRDs once when the resource is unknown. */
  async resolve(group: string, version: string, plural: string): Promise<ResourceDef | undefined> {
    const found = this.find(group, version, plural);
    if (found) return found;
    await this.refreshIfStale();
    return this.find(group, version, plural);
  }

  /** Any version of a resource (the storage-facing definition for cross-version work). */
  findByGroupResource(group: string, plural: string): ResourceDef | undefined {
    return this.all().find((d) => d.group === group && d.plural === plural && d.version === d.storageVersion) ??
      this.all().find((d) => d.group === group && d.plural === plural);
  }

  findByKind(group: string, kind: string): ResourceDef | undefined {
    return this.all().find((d) => d.group === group && d.kind === kind);
  }

  resourcesIn(group: string, version: string): ResourceDef[] {
    return this.all().filter((d) => d.group === group && d.version === version);
  }

  groups(): GroupInfo[] {
    const byGroup = new Map<string, string[]>();
    for (const d of this.all()) {
      if (!d.group) continue;
      const versions = byGroup.get(d.group) ?? [];
      if (!versions.includes(d.version)) versions.push(d.version);
      byGroup.set(d.group, versions);
    }
    return [...byGroup.entries()].map(([name, versions]) => {
      const preferred = PREFERRED_VERSIONS[name];
      versions.sort((a, b) => (a === preferred ? -1 : b === preferred ? 1 : compareKubeVersions(a, b)));
      return { name, versions };
    });
  }
}

function isEstablished(crd: Crd & { status?: { conditions?: Array<{ type: string; status: string }> } }): boolean {
  // CRDs written by this simulator are established at once; also accept ones without status.
  const conds = crd.status?.conditions;
  if (!conds) return true;
  return conds.some((c) => c.type === 'Established' && c.status === 'True') || !conds.some((c) => c.type === 'Established');
}

/** Kubernetes version priority: GA > beta > alpha, higher numbers first. */
export function compareKubeVersions(a: string, b: string): number {
  const parse = (v: string): [number, number, number] => {
    const m = /^v(\d+)(?:(alpha|beta)(\d+))?$/.exec(v);
    if (!m) return [-1, 0, 0];
    const stage = m[2] === 'alpha' ? 0 : m[2] === 'beta' ? 1 : 2;
    return [stage, Number(m[1]), Number(m[3] ?? 0)];
  };
  const [sa, ma, na] = parse(a);
  const [sb, mb, nb] = parse(b);
  if (sa !== sb) return sb - sa;
  if (ma !== mb) return mb - ma;
  if (na !== nb) return nb - na;
  return a.localeCompare(b);
}
