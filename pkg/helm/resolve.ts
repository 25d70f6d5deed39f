// Plan time: which chart (name and version) each release would install, asked of helm
// (`helm show chart`), so a version constraint or "the latest" compares with the live
// release, and a chart source that does not answer is known before anything runs. A failure
// is recorded on the release: the planner refuses only the releases that need the chart.
import type { HelmClient } from './client.js';
import type { DesiredHelmRelease } from './types.js';

/** helm processes at once: each may download a repository index. */
const CONCURRENCY = 4;

export async function resolveCharts(releases: DesiredHelmRelease[], helm: HelmClient): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < releases.length) {
      const r = releases[next++]!;
      try {
        r.chart = await helm.showChart(r);
      } catch (error) {
        r.chart = { error: error instanceof Error ? error.message : String(error) };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, releases.length) }, worker));
}
