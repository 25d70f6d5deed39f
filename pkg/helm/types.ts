// The desired side of a Helm release, as the planner and the helm ops see it. Values and
// repository credentials are held in memory only: plans, snapshots, logs and the journal get
// the redacted view (valuesView) and the hash, never the values themselves.

/**
 * The label this tool (and KubeOne) puts on the storage Secret of every revision it installs
 * or upgrades: its record of which releases are its own. Releases without it are never
 * uninstalled.
 */
export const RELEASED_BY_KUBEONE = 'kubeone.k8c.io/released-by-kubeone';

/** Where the chart comes from: a repository (repoURL + chart), a direct URL (chartURL: http(s) or oci), or a local directory. */
export type ChartSource =
  | { kind: 'repository'; repoURL: string; chart: string }
  | { kind: 'url'; url: string }
  | { kind: 'local'; path: string };

/** What `helm show chart` says the release would install: the chart's own name and version. */
export interface ResolvedChart {
  name: string;
  version: string;
}

export interface DesiredHelmRelease {
  /** Its position in the manifest (helmReleases[index]). */
  index: number;
  /** releaseName (defaulted to chart). */
  name: string;
  namespace: string;
  source: ChartSource;
  /** The version field: a version or a constraint; '' asks for the latest. */
  version: string;
  wait: boolean;
  /** A Go duration (defaulted to 5m). */
  timeout: string;
  insecure: boolean;
  /** Repository credentials (in memory only). */
  auth?: { username: string; password: string };
  /** The merged values (valuesFile and inline, in order), as helm receives them. In memory only. */
  values: Record<string, unknown>;
  /** sha256 of the canonical JSON of `values` (the live release's config is hashed the same way). */
  valuesHash: string;
  /** `values` with secrets masked (pkg/helm/values.ts viewOfValues): what diffs may show. */
  valuesView: Record<string, unknown>;
  /** The chart as `helm show chart` resolved it at plan time, or why it could not; absent when not looked up. */
  chart?: ResolvedChart | { error: string };
}

/** Where a release's chart is, in one phrase (plans, errors). */
export function describeSource(source: ChartSource): string {
  if (source.kind === 'repository') return `chart ${source.chart} from ${source.repoURL}`;
  if (source.kind === 'url') return `chart ${source.url}`;
  return `local chart ${source.path}`;
}
